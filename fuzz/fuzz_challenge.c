/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Challenge answers (the "mtls-sig v1" envelope and base64 CMS), and
 * challenge lines and ssh's "(user@host) " prefix in prompt text. */
#include "config.h"

#include "fuzz.h"

#include "challenge.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char challenge[] = "mtls-challenge v1 sshd host 1764000000 "
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
	char *cert = NULL, *chain = NULL, msg[256], out[MTLS_CHALLENGE_MAX];
	char host[256];
	char *text = malloc(size + 1);

	mtls_challenge_verify(challenge, (const char *)data, size, &cert,
	    &chain, msg, sizeof(msg));
	free(cert);
	free(chain);
	if (text != NULL) {
		memcpy(text, data, size);
		text[size] = '\0';
		(void)mtls_challenge_find(text, out, sizeof(out));
		(void)mtls_challenge_time(text);
		if (mtls_prompt_host(text, host, sizeof(host)) == 0)
			(void)mtls_host_equal(host, "host");
		if (mtls_challenge_host(text, host, sizeof(host)) == 0)
			(void)mtls_host_equal("HOST.", host);
		free(text);
	}
	return 0;
}
