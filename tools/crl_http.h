/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* One conditional GET of a CRL over http:// through OpenSSL's HTTP client. */
#ifndef MTLS_CRL_HTTP_H
#define MTLS_CRL_HTTP_H

#include <stddef.h>
#include <time.h>

enum crl_http_rc {
	CRL_HTTP_BODY,		/* *body holds the answer */
	CRL_HTTP_NOT_MODIFIED,	/* 304 to our If-Modified-Since */
	CRL_HTTP_FAILED,	/* err says why */
};

/* GETs url, sending If-Modified-Since: since when since is not 0.  The
 * whole exchange (connect, redirects, answer) ends within timeout seconds
 * and the answer is at most max bytes.  No proxy is taken from the
 * environment.  *body is the caller's to free. */
enum crl_http_rc crl_http_get(const char *url, time_t since, int timeout,
    size_t max, char **body, size_t *len, char *err, size_t errsz);

#endif
