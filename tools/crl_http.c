/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* OSSL_HTTP_get sends extra headers (If-Modified-Since) but reports any
 * status other than 200 and redirects as an error, the status in the
 * error data ("code=304"): that is how a 304 Not Modified is recognised. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/x509v3.h>

#include "crl_http.h"
#include "util.h"

/* RFC 9110 IMF-fixdate, independent of the locale. */
static void
http_date(time_t t, char *out, size_t outsz)
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	mtls_fmt(out, outsz, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Why the exchange failed, from OpenSSL's error queue, oldest first (the
 * status line's error comes before the generic "error receiving"); 1 when
 * the server answered 304. */
static int
failure(char *err, size_t errsz)
{
	const char *data, *why;
	unsigned long e;
	int flags, first = 1;

	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data,
	    &flags)) != 0) {
		if (!(flags & ERR_TXT_STRING))
			data = NULL;
		if (ERR_GET_LIB(e) == ERR_LIB_HTTP && data != NULL &&
		    strncmp(data, "code=304", 8) == 0 &&
		    (data[8] == '\0' || data[8] == ',')) {
			ERR_clear_error();
			return 1;
		}
		if (!first)
			continue;
		why = ERR_reason_error_string(e);
		mtls_fmt(err, errsz, "%s%s%.100s", why ? why : "HTTP error",
		    data ? ": " : "", data ? data : "");
		first = 0;
	}
	if (first)
		mtls_fmt(err, errsz, "HTTP error");
	return 0;
}

enum crl_http_rc
crl_http_get(const char *url, time_t since, int timeout, size_t max,
    char **body, size_t *len, char *err, size_t errsz)
{
	STACK_OF(CONF_VALUE) *hdr = NULL;
	enum crl_http_rc rc = CRL_HTTP_FAILED;
	char date[64], *data;
	BIO *bio = NULL;
	long n;
	int ssl = 0;

	*body = NULL;
	*len = 0;
	ERR_clear_error();
	if (!OSSL_HTTP_parse_url(url, &ssl, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL) || ssl) {
		mtls_fmt(err, errsz, "not an http:// URL");
		goto out;
	}
	if (since != 0) {
		http_date(since, date, sizeof(date));
		if (!X509V3_add_value("If-Modified-Since", date, &hdr)) {
			mtls_fmt(err, errsz, "out of memory");
			goto out;
		}
	}
	/* proxy "": never a proxy from http_proxy in the environment. */
	/* expect_asn1: the answer is buffered whole (a DER CRL, as RFC 5280
	 * requires of http distribution points) under max and timeout. */
	bio = OSSL_HTTP_get(url, "", NULL, NULL, NULL, NULL, NULL, 0, hdr,
	    NULL, 1, max, timeout);
	if (bio == NULL) {
		rc = failure(err, errsz) ? CRL_HTTP_NOT_MODIFIED :
		    CRL_HTTP_FAILED;
		goto out;
	}
	if ((n = BIO_get_mem_data(bio, &data)) <= 0) {
		mtls_fmt(err, errsz, "empty answer");
		goto out;
	}
	if ((*body = malloc((size_t)n + 1)) == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		goto out;
	}
	memcpy(*body, data, (size_t)n);
	(*body)[n] = '\0';
	*len = (size_t)n;
	rc = CRL_HTTP_BODY;
out:
	ERR_clear_error();
	BIO_free(bio);
	sk_CONF_VALUE_pop_free(hdr, X509V3_conf_free);
	return rc;
}
