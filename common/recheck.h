/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The account phase's re-check of a decision accepted in the same PAM
 * handle, for when the certificate and every file the decision read are
 * unchanged: only what time alone can change is decided again. */
#ifndef MTLS_RECHECK_H
#define MTLS_RECHECK_H

#include <time.h>

#include <openssl/x509.h>

#include "cfg.h"
#include "decision.h"

/* When the verified path is valid: from its latest notBefore to its
 * earliest notAfter, and which certificates (depth) set them.  Taken once
 * at auth, so that account compares numbers. */
struct mtls_window {
	time_t not_before, not_after;
	int nb_depth, na_depth;
};

/* 0, or -1 when a time cannot be read (then never re-check: decide). */
int mtls_path_window(STACK_OF(X509) *chain, struct mtls_window *w);

/* d holds the accepted record (user, uid, subject...); its checks are
 * replaced by: "validity" of the path (w, from chain) at `at` within the
 * policy's clock_skew, as the verifier allows (MTLS_E_EXPIRED,
 * MTLS_E_NOT_YET_VALID), "revocation" exactly as the full decision checks
 * it, and "account": the user still resolves through NSS to the same name
 * and uid and passes min_uid and deny_users (MTLS_E_USER_UNKNOWN,
 * MTLS_E_BACKEND_DOWN).  The outcome is set as by mtls_decide. */
void mtls_recheck(const struct mtls_policy *p, STACK_OF(X509) *chain,
    const struct mtls_window *w, time_t at, struct mtls_decision *d);

#endif
