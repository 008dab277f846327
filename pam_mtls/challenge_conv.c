/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The prompt side of proof of possession.  The challenge lives only in
 * this call: an answer can match no other login, and none can be reused. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_ext.h>

#include "challenge.h"
#include "challenge_conv.h"
#include "util.h"

/* The whole answer, joining lines that end in a backslash: some clients
 * cap a response (OpenSSH's askpass keeps 1023 bytes).  Every prompt
 * repeats the challenge and names the part it wants, so a stateless
 * helper (mtls-sign --chunk) can answer each one. */
static char *
read_answer(pam_handle_t *pamh, const char *challenge, size_t *len)
{
	char *resp = NULL, *all = NULL;
	size_t n = 0, piece;
	int part = 1;

	for (; part <= 64; part++) {
		int rc = part == 1 ?
		    pam_prompt(pamh, PAM_PROMPT_ECHO_ON, &resp, "%s answer: ",
		    challenge) :
		    pam_prompt(pamh, PAM_PROMPT_ECHO_ON, &resp,
		    "%s answer part %d: ", challenge, part);

		if (rc != PAM_SUCCESS || resp == NULL)
			break;
		piece = strlen(resp);
		if (n + piece > MTLS_ANSWER_MAX) {
			free(resp);
			break;
		}
		char *grown = realloc(all, n + piece + 1);

		if (grown == NULL) {
			free(resp);
			break;
		}
		all = grown;
		memcpy(all + n, resp, piece + 1);
		n += piece;
		free(resp);
		resp = NULL;
		if (n == 0 || all[n - 1] != '\\') {
			*len = n;
			return all;
		}
		all[--n] = '\0';
	}
	free(all);
	return NULL;
}

enum mtls_reason
pam_challenge_input(pam_handle_t *pamh, const char *service, long window,
    char **cert, size_t *cert_len, char **chain, size_t *chain_len,
    char *msg, size_t msgsz)
{
	char challenge[MTLS_CHALLENGE_MAX], *answer;
	time_t issued = time(NULL);
	enum mtls_reason r;
	size_t len = 0;

	if (mtls_challenge_new(service, issued, challenge,
	    sizeof(challenge)) != 0) {
		mtls_fmt(msg, msgsz, "cannot make a challenge");
		return MTLS_E_INTERNAL;
	}
	if ((answer = read_answer(pamh, challenge, &len)) == NULL) {
		mtls_fmt(msg, msgsz, "no answer to the challenge");
		return MTLS_E_NO_CERT;
	}
	if (time(NULL) - issued > window) {
		mtls_fmt(msg, msgsz, "the answer came after %lld s "
		    "(challenge_window = %ld)", (long long)(time(NULL) - issued),
		    window);
		free(answer);
		return MTLS_E_BAD_SIGNATURE;
	}
	r = mtls_challenge_verify(challenge, answer, len, cert, chain, msg,
	    msgsz);
	free(answer);
	if (r == MTLS_OK) {
		*cert_len = strlen(*cert);
		*chain_len = *chain ? strlen(*chain) : 0;
	}
	return r;
}
