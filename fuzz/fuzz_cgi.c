/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-auth --cgi: header names from configuration, and the reply for any
 * reason and user string.  The property checked: the reply always has the
 * same header block, whatever it is given (no header injection). */
#include "config.h"

#include "fuzz.h"

#include <security/pam_appl.h>

#include "cert_input.h"
#include "cgi.h"

/* Lines before the blank line that ends the headers. */
static int
header_lines(const char *reply)
{
	const char *end = strstr(reply, "\r\n\r\n"), *p;
	int n = 1;

	if (end == NULL)
		abort();
	for (p = reply; p < end; p++)
		if (*p == '\n' || *p == '\r')
			n += *p == '\n';
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), var[128], reply[1024];
	const char *half;
	X509 *x = NULL;
	int lines;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)cgi_header_var(s, var, sizeof(var));
	half = s + strlen(s) / 2;
	cgi_format(PAM_SUCCESS, 0, s, half, reply, sizeof(reply));
	lines = header_lines(reply);
	if (lines != 4 && lines != 5)
		abort();	/* a header was added or split */
	cgi_format(PAM_AUTH_ERR, 0, half, s, reply, sizeof(reply));
	if (header_lines(reply) != 4)
		abort();
	/* The header's value is what the module decodes. */
	mtls_input_cert((const char *)data, size, &x, var, sizeof(var));
	X509_free(x);
	free(s);
	return 0;
}
