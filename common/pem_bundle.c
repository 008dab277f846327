/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* PEM bundles, read through the safe reader and parsed by OpenSSL. */
#include "config.h"

#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "pem_bundle.h"
#include "safe_file.h"
#include "util.h"

/* Parses text into sk; 0, or -1 with a sentence. */
static int
parse(const char *path, const char *text, size_t len, size_t max,
    STACK_OF(X509) *sk, char *err, size_t errsz)
{
	int start = sk_X509_num(sk), rc = -1;
	BIO *bio;
	X509 *x;

	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL) {
		mtls_fmt(err, errsz, "%s: out of memory", path);
		return -1;
	}
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (max > 0 && (size_t)(sk_X509_num(sk) - start) == max) {
			X509_free(x);
			mtls_fmt(err, errsz, "%s: more than %zu certificates",
			    path, max);
			goto out;
		}
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			mtls_fmt(err, errsz, "%s: out of memory", path);
			goto out;
		}
	}
	/* The loop ends on "no start line" at EOF; anything else is a
	 * damaged file. */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
		mtls_fmt(err, errsz, "%s: cannot parse certificate: %s", path,
		    ERR_reason_error_string(ERR_peek_last_error()));
		goto out;
	}
	if (sk_X509_num(sk) == start) {
		mtls_fmt(err, errsz, "%s: no certificates", path);
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	BIO_free(bio);
	return rc;
}

int
mtls_pem_bundle_load(const char *path, int flags, size_t max,
    STACK_OF(X509) *sk, char *err, size_t errsz)
{
	int start = sk_X509_num(sk), rc;
	char *text;
	size_t len;

	if (mtls_read_file(path, MTLS_PEM_BUNDLE_MAX, flags | MTLS_FILE_TEXT,
	    &text, &len, err, errsz) != 0)
		return -1;
	rc = parse(path, text, len, max, sk, err, errsz);
	free(text);
	/* All or nothing: a caller never works from half a bundle. */
	while (rc != 0 && sk_X509_num(sk) > start)
		X509_free(sk_X509_pop(sk));
	return rc;
}
