/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <security/pam_appl.h>

#include "cgi.h"
#include "mapfile.h"

int
cgi_header_var(const char *header, char *out, size_t outsz)
{
	size_t i, n = strlen(header);

	if (n == 0 || n + 6 > outsz)
		return -1;
	memcpy(out, "HTTP_", 5);
	for (i = 0; i < n; i++) {
		char ch = header[i];

		if (!isalnum((unsigned char)ch) && ch != '-')
			return -1;
		out[5 + i] = ch == '-' ? '_' : (char)toupper((unsigned char)ch);
	}
	out[5 + n] = '\0';
	return 0;
}

void
cgi_format(int pam_rc, int error, const char *reason, const char *user,
    char *buf, size_t bufsz)
{
	int ok = pam_rc == PAM_SUCCESS && user != NULL &&
	    mtls_valid_username(user);
	const char *status;

	if (ok)
		status = "200 OK";
	else if (pam_rc == PAM_SUCCESS || error)
		status = "500 Internal Server Error";
	else if (reason != NULL && strcmp(reason, "MTLS_E_NO_CERT") == 0)
		status = "401 Unauthorized";
	else if (pam_rc == PAM_AUTHINFO_UNAVAIL)
		status = "503 Service Unavailable";
	else
		status = "403 Forbidden";
	snprintf(buf, bufsz, "Status: %s\r\nContent-Type: text/plain\r\n"
	    "Cache-Control: no-store\r\nX-Mtls-Reason: %s\r\n%s%s%s\r\n%s\n",
	    status, reason != NULL && mtls_valid_username(reason) ? reason :
	    "-", ok ? "X-Mtls-User: " : "", ok ? user : "", ok ? "\r\n" : "",
	    status);
}
