/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Revocation of the verified chain: each certificate below the anchor (or
 * only the leaf with crl_check = leaf), each method in the configured order
 * until one gives a definite answer. */
#ifndef MTLS_REVOCATION_H
#define MTLS_REVOCATION_H

#include <time.h>

#include <openssl/x509.h>

#include "cfg.h"
#include "crl_cache.h"
#include "decision.h"

enum mtls_rev_status {
	MTLS_REV_GOOD,
	MTLS_REV_REVOKED,
	MTLS_REV_UNKNOWN,
};

struct mtls_rev_answer {
	enum mtls_rev_status status;
	enum mtls_reason reason;	/* for UNKNOWN: REVOCATION_UNKNOWN or
					 * CRL_STALE */
	char detail[320];
	/* The CRL that decided (set by mtls_crl_status, NULL when none did)
	 * and its nextUpdate (NULL when it has none); valid while the sets
	 * are held. */
	struct mtls_crl_set *crl;
	const ASN1_TIME *crl_next;
};

/* Fills an answer; the reason follows from the status unless given. */
void mtls_rev_answer_set(struct mtls_rev_answer *a, enum mtls_rev_status st,
    enum mtls_reason r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The CRL answer for cert, issued by issuer, among the loaded CRL files. */
void mtls_crl_status(const struct mtls_policy *p,
    struct mtls_crl_set **sets, int nsets, X509 *cert, X509 *issuer,
    time_t at, struct mtls_rev_answer *a);

/* The OCSP answer for cert, issued by issuer; chain supplies responder
 * certificates' intermediates. */
void mtls_ocsp_status(const struct mtls_policy *p, X509 *cert, X509 *issuer,
    STACK_OF(X509) *chain, struct mtls_rev_answer *a);

/* Checks the chain, adds a "revocation" check to d, and returns the
 * reason that decides (MTLS_OK when good, or when soft-failing). */
enum mtls_reason mtls_revocation_check(const struct mtls_policy *p,
    STACK_OF(X509) *chain, time_t at, struct mtls_decision *d);

#endif
