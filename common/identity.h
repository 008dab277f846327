/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Identity values of a certificate, one source at a time, as UTF-8 text. */
#ifndef MTLS_IDENTITY_H
#define MTLS_IDENTITY_H

#include <stddef.h>

#include <openssl/x509.h>

#include "cfg.h"
#include "reason.h"

#define MTLS_VALUES_MAX 16
#define MTLS_VALUE_MAX 1024

struct mtls_values {
	size_t n;
	char *v[MTLS_VALUES_MAX];
	int too_many;		/* why MTLS_E_BAD_INPUT: over the limit */
};

/* Every value of the source, in certificate order.  A value holding a NUL
 * or a control byte makes the whole certificate MTLS_E_BAD_INPUT: such a
 * name is an attack on whoever compares it.  So do more than
 * MTLS_VALUES_MAX values (too_many set): no value is silently dropped.
 * email reads subjectAltName rfc822Name values, and the subject's legacy
 * emailAddress attributes only when there are none (RFC 5280 4.2.1.6). */
enum mtls_reason mtls_identity_values(X509 *x, enum mtls_source src,
    struct mtls_values *out);
void mtls_values_free(struct mtls_values *v);

/* RFC 2253 form of a name; "" on failure. */
void mtls_dn_string(const X509_NAME *name, char *out, size_t outsz);
/* Upper-case hex serial, lower-case hex SHA-256 of the DER. */
int mtls_serial_hex(X509 *x, char *out, size_t outsz);
int mtls_sha256_hex(X509 *x, char *out, size_t outsz);
/* YYYY-MM-DDTHH:MM:SSZ, or "-" when t is NULL or unreadable. */
void mtls_asn1_time_string(const ASN1_TIME *t, char *out, size_t outsz);

#endif
