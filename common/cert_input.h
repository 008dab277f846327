/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Certificates as frontends hand them over: PEM, URL-escaped PEM (nginx's
 * $ssl_client_escaped_cert), base64 DER or raw DER.  Untrusted input: size
 * capped, every byte accounted for, one certificate where one is expected. */
#ifndef MTLS_CERT_INPUT_H
#define MTLS_CERT_INPUT_H

#include <stddef.h>

#include <openssl/x509.h>

#include "reason.h"

#define MTLS_INPUT_MAX (64 * 1024)
#define MTLS_CHAIN_MAX 10

/* Certificates parsed once (a policy's intermediates_file, at load) with
 * their complete DER.  A presented certificate whose bytes are exactly one
 * of these is that certificate: it is taken, not parsed again. */
struct mtls_known_cert {
	X509 *x;		/* a reference of the set's own */
	unsigned char *der;	/* i2d_X509(x) */
	size_t len;
};

struct mtls_known_certs {
	struct mtls_known_cert *c;
	size_t n;
};

/* NULL when out of memory or a certificate cannot be encoded. */
struct mtls_known_certs *mtls_known_new(STACK_OF(X509) *sk);
void mtls_known_free(struct mtls_known_certs *k);

/* Exactly one certificate, else MTLS_E_BAD_INPUT with a sentence. */
enum mtls_reason mtls_input_cert(const char *in, size_t len, X509 **out,
    char *msg, size_t msgsz);
/* One to MTLS_CHAIN_MAX certificates appended to sk; one found in known
 * (may be NULL) is appended as a new reference to the known X509. */
enum mtls_reason mtls_input_chain(const char *in, size_t len,
    const struct mtls_known_certs *known, STACK_OF(X509) *sk, char *msg,
    size_t msgsz);

#endif
