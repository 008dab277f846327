/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-auth --cgi: the request header it reads and the reply it writes. */
#ifndef MTLS_TOOLS_CGI_H
#define MTLS_TOOLS_CGI_H

#include <stddef.h>

/* The CGI parameter a request header arrives in: "X-SSL-Client-Cert" ->
 * "HTTP_X_SSL_CLIENT_CERT".  -1 for a name that is not a header name. */
int cgi_header_var(const char *header, char *out, size_t outsz);

/* The auth subrequest's reply for a PAM result: status line, fixed
 * headers, X-Mtls-Reason and, on success, X-Mtls-User.  A reason or user
 * that is not a plain name is never copied into a header: a bad user
 * turns an accept into a 500. */
void cgi_format(int pam_rc, int error, const char *reason, const char *user,
    char *buf, size_t bufsz);

#endif
