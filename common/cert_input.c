/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base64.h"
#include "cert_input.h"
#include "util.h"

static const char pem_begin[] = "-----BEGIN ";

static size_t
skip_space(const char *in, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)in[i]))
		i++;
	return i;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decoding only: '+' stays '+', since base64 uses it. */
static int
url_decode(const char *in, size_t len, char *out, size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (in[i] != '%') {
			out[o++] = in[i];
			continue;
		}
		if (i + 2 >= len || hexval(in[i + 1]) < 0 ||
		    hexval(in[i + 2]) < 0)
			return -1;
		out[o++] = (char)(hexval(in[i + 1]) << 4 | hexval(in[i + 2]));
		i += 2;
	}
	*outlen = o;
	return 0;
}

/* d2i_X509 also takes some BER; DER is one encoding, so the bytes read
 * must be exactly what OpenSSL writes back. */
static int
is_der(X509 *x, const unsigned char *der, size_t len)
{
	unsigned char *re = NULL;
	int n = i2d_X509(x, &re), same;

	same = n > 0 && (size_t)n == len && memcmp(re, der, len) == 0;
	OPENSSL_free(re);
	return same;
}

/* The known certificate whose whole DER encoding starts at p, if any.
 * Whole encodings only, length checked first: a truncated, altered or
 * extended copy is no match and is parsed like any other input. */
static X509 *
known_at(const struct mtls_known_certs *k, const unsigned char *p,
    size_t left, size_t *len)
{
	size_t i;

	for (i = 0; k != NULL && i < k->n; i++)
		if (k->c[i].len <= left &&
		    memcmp(p, k->c[i].der, k->c[i].len) == 0) {
			*len = k->c[i].len;
			return k->c[i].x;
		}
	return NULL;
}

/* One certificate from *p (advanced past it) into *out. */
static enum mtls_reason
parse_one(const unsigned char *der, size_t len, const unsigned char **p,
    X509 **out, char *msg, size_t msgsz)
{
	const unsigned char *start = *p;
	X509 *x;

	x = d2i_X509(NULL, p, (long)(der + len - start));
	if (x == NULL && *p == der) {
		mtls_fmt(msg, msgsz, "not a DER certificate");
		return MTLS_E_BAD_INPUT;
	}
	if (x == NULL) {
		mtls_fmt(msg, msgsz, "%zu bytes after the DER certificate are "
		    "not a certificate", (size_t)(der + len - start));
		return MTLS_E_BAD_INPUT;
	}
	if (!is_der(x, start, (size_t)(*p - start))) {
		X509_free(x);
		mtls_fmt(msg, msgsz, "certificate is not DER encoded");
		return MTLS_E_BAD_INPUT;
	}
	*out = x;
	return MTLS_OK;
}

/* A known certificate is taken as is: d2i_X509 would decode the same bytes
 * into the same certificate, at the cost of a public key decode through
 * the provider (most of a login's parsing).  The known X509 objects are
 * shared read-only by every thread already (each verification has them
 * in its untrusted set); X509_up_ref is atomic. */
static enum mtls_reason
push_der(const unsigned char *der, size_t len,
    const struct mtls_known_certs *known, STACK_OF(X509) *sk, char *msg,
    size_t msgsz)
{
	const unsigned char *p = der;
	enum mtls_reason r;
	size_t klen;

	while (p < der + len) {
		X509 *x;

		if (sk_X509_num(sk) >= MTLS_CHAIN_MAX) {
			mtls_fmt(msg, msgsz, "more than %d certificates",
			    MTLS_CHAIN_MAX);
			return MTLS_E_BAD_INPUT;
		}
		if ((x = known_at(known, p, (size_t)(der + len - p),
		    &klen)) != NULL) {
			if (!X509_up_ref(x))
				return MTLS_E_INTERNAL;
			p += klen;
		} else if ((r = parse_one(der, len, &p, &x, msg, msgsz)) !=
		    MTLS_OK)
			return r;
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			return MTLS_E_INTERNAL;
		}
	}
	return MTLS_OK;
}

/* What the memory BIO has not read yet is nothing but white space. */
static int
rest_is_space(BIO *bio)
{
	char *rest;
	long n = BIO_get_mem_data(bio, &rest);

	return n <= 0 || skip_space(rest, (size_t)n) == (size_t)n;
}

/* The next PEM block starts right here (after white space): text between
 * or after blocks is refused, not skipped as OpenSSL's reader would. */
static int
next_is_pem(BIO *bio)
{
	char *rest;
	long n = BIO_get_mem_data(bio, &rest);
	size_t s;

	if (n <= 0)
		return 0;
	s = skip_space(rest, (size_t)n);
	return (size_t)n - s >= sizeof(pem_begin) - 1 &&
	    memcmp(rest + s, pem_begin, sizeof(pem_begin) - 1) == 0;
}

static enum mtls_reason
decode_pem(const char *in, size_t len, const struct mtls_known_certs *known,
    STACK_OF(X509) *sk, char *msg, size_t msgsz)
{
	enum mtls_reason r = MTLS_OK;
	BIO *bio;

	if (memchr(in, '\0', len) != NULL) {
		mtls_fmt(msg, msgsz, "NUL byte in PEM text");
		return MTLS_E_BAD_INPUT;
	}
	if ((bio = BIO_new_mem_buf(in, (int)len)) == NULL)
		return MTLS_E_INTERNAL;
	ERR_clear_error();
	for (;;) {
		char *name = NULL, *header = NULL;
		unsigned char *data = NULL;
		long dlen = 0;

		if (sk_X509_num(sk) > 0 && rest_is_space(bio))
			break;
		if (!next_is_pem(bio)) {
			mtls_fmt(msg, msgsz, "text after the PEM block");
			r = MTLS_E_BAD_INPUT;
			break;
		}
		if (!PEM_read_bio(bio, &name, &header, &data, &dlen)) {
			mtls_fmt(msg, msgsz, "damaged PEM block");
			r = MTLS_E_BAD_INPUT;
			break;
		}
		if (strcmp(name, "CERTIFICATE") != 0 || header[0] != '\0') {
			mtls_fmt(msg, msgsz, "PEM block '%.40s' is not a "
			    "plain CERTIFICATE", name);
			r = MTLS_E_BAD_INPUT;
		} else
			r = push_der(data, (size_t)dlen, known, sk, msg,
			    msgsz);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		if (r != MTLS_OK)
			break;
	}
	ERR_clear_error();
	BIO_free(bio);
	return r;
}

static enum mtls_reason
decode_base64(const char *in, size_t len,
    const struct mtls_known_certs *known, STACK_OF(X509) *sk, char *msg,
    size_t msgsz)
{
	unsigned char *der;
	enum mtls_reason r;
	size_t n;

	if ((der = mtls_base64_decode(in, len, MTLS_B64_SPACE, 0, &n)) ==
	    NULL) {
		mtls_fmt(msg, msgsz, "neither PEM, escaped PEM, base64 nor "
		    "DER");
		return MTLS_E_BAD_INPUT;
	}
	r = push_der(der, n, known, sk, msg, msgsz);
	free(der);
	return r;
}

static enum mtls_reason
decode_any(const char *in, size_t len, const struct mtls_known_certs *known,
    STACK_OF(X509) *sk, char *msg, size_t msgsz)
{
	size_t s = skip_space(in, len), dlen;
	enum mtls_reason r;
	char *dec;

	if (len > MTLS_INPUT_MAX) {
		mtls_fmt(msg, msgsz, "input larger than %d bytes",
		    MTLS_INPUT_MAX);
		return MTLS_E_BAD_INPUT;
	}
	if (s == len) {
		mtls_fmt(msg, msgsz, "empty certificate input");
		return MTLS_E_BAD_INPUT;
	}
	if (len - s > sizeof(pem_begin) - 1 &&
	    memcmp(in + s, pem_begin, sizeof(pem_begin) - 1) == 0)
		return decode_pem(in, len, known, sk, msg, msgsz);
	if ((unsigned char)in[0] == 0x30)
		return push_der((const unsigned char *)in, len, known, sk, msg,
		    msgsz);
	if (memchr(in, '%', len) != NULL) {
		if ((dec = malloc(len)) == NULL)
			return MTLS_E_INTERNAL;
		if (url_decode(in, len, dec, &dlen) != 0) {
			mtls_fmt(msg, msgsz, "bad %%-escape in escaped PEM");
			r = MTLS_E_BAD_INPUT;
		} else if (dlen - skip_space(dec, dlen) <
		    sizeof(pem_begin) - 1 || memcmp(dec + skip_space(dec,
		    dlen), pem_begin, sizeof(pem_begin) - 1) != 0) {
			mtls_fmt(msg, msgsz, "escaped input is not PEM");
			r = MTLS_E_BAD_INPUT;
		} else
			r = decode_pem(dec, dlen, known, sk, msg, msgsz);
		free(dec);
		return r;
	}
	return decode_base64(in, len, known, sk, msg, msgsz);
}

enum mtls_reason
mtls_input_cert(const char *in, size_t len, X509 **out, char *msg,
    size_t msgsz)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	enum mtls_reason r;

	*out = NULL;
	if (sk == NULL)
		return MTLS_E_INTERNAL;
	/* The leaf is always parsed: never one of the configuration's. */
	r = decode_any(in, len, NULL, sk, msg, msgsz);
	if (r == MTLS_OK && sk_X509_num(sk) != 1) {
		mtls_fmt(msg, msgsz, "expected one certificate, got %d "
		    "(pass intermediates separately)", sk_X509_num(sk));
		r = MTLS_E_BAD_INPUT;
	}
	if (r == MTLS_OK)
		*out = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	return r;
}

enum mtls_reason
mtls_input_chain(const char *in, size_t len,
    const struct mtls_known_certs *known, STACK_OF(X509) *sk, char *msg,
    size_t msgsz)
{
	return decode_any(in, len, known, sk, msg, msgsz);
}

void
mtls_known_free(struct mtls_known_certs *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++) {
		X509_free(k->c[i].x);
		OPENSSL_free(k->c[i].der);
	}
	free(k->c);
	free(k);
}

/* Encoded once here, so that a login compares bytes and never calls
 * i2d_X509 for them. */
struct mtls_known_certs *
mtls_known_new(STACK_OF(X509) *sk)
{
	struct mtls_known_certs *k = calloc(1, sizeof(*k));
	int i, n = sk != NULL ? sk_X509_num(sk) : 0;

	if (k == NULL || (n > 0 &&
	    (k->c = calloc((size_t)n, sizeof(*k->c))) == NULL))
		goto fail;
	for (i = 0; i < n; i++) {
		struct mtls_known_cert *c = &k->c[k->n];
		X509 *x = sk_X509_value(sk, i);
		int dlen;

		if ((dlen = i2d_X509(x, &c->der)) <= 0 || !X509_up_ref(x)) {
			OPENSSL_free(c->der);
			goto fail;
		}
		c->x = x;
		c->len = (size_t)dlen;
		k->n++;
	}
	return k;
fail:
	mtls_known_free(k);
	return NULL;
}
