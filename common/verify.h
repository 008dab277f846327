/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Path validation with OpenSSL's verifier, plus the checks OpenSSL 3.0 does
 * not make for a client leaf (see "Facts" in docs/design.md: it accepts
 * no-EKU, CA:TRUE, RSA-1024 and SHA-1 leaves). */
#ifndef MTLS_VERIFY_H
#define MTLS_VERIFY_H

#include <time.h>

#include <openssl/x509.h>

#include "cfg.h"
#include "decision.h"

/* Builds and verifies the chain at time `at`; on success *chain holds the
 * verified path (leaf first, anchor last). */
enum mtls_reason mtls_verify_chain(const struct mtls_policy *p, X509 *leaf,
    STACK_OF(X509) *supplied, time_t at, STACK_OF(X509) **chain,
    char *msg, size_t msgsz);

/* Leaf and chain policy: CA leaf, EKU, KU, key strength, signature
 * algorithms.  Adds one check per item to d; returns the first failure. */
enum mtls_reason mtls_policy_checks(const struct mtls_policy *p, X509 *leaf,
    STACK_OF(X509) *chain, struct mtls_decision *d);

/* Key type, size, RSA exponent and signature algorithm of one certificate
 * against the policy's minimums: MTLS_OK, MTLS_E_WEAK_KEY or
 * MTLS_E_WEAK_SIGNATURE, with what was found in desc.  For lint. */
enum mtls_reason mtls_cert_strength(const struct mtls_policy *p, X509 *x,
    char *desc, size_t descsz);

#endif
