/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Re-check of an accepted decision.  Parsing, path building, the policy
 * checks and the mapping depend only on the certificate and the files the
 * configuration read; the caller proved both unchanged.  Time, revocation
 * and the account database can change on their own. */
#include "config.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include "identity.h"
#include "map.h"
#include "recheck.h"
#include "revocation.h"
#include "util.h"

/* The verifier's time test with the skew its callback forgives (see
 * verify.c): expired when notAfter <= at - skew, not yet valid when
 * notBefore >= at + skew; an unreadable time fails closed. */
static enum mtls_reason
cert_time(const struct mtls_policy *p, X509 *x, time_t at, int *err)
{
	time_t t = at - p->clock_skew;
	int c;

	if ((c = X509_cmp_time(X509_get0_notAfter(x), &t)) <= 0) {
		*err = c == 0 ? X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD :
		    X509_V_ERR_CERT_HAS_EXPIRED;
		return c == 0 ? MTLS_E_BAD_INPUT : MTLS_E_EXPIRED;
	}
	t = at + p->clock_skew;
	if ((c = X509_cmp_time(X509_get0_notBefore(x), &t)) >= 0) {
		*err = c == 0 ? X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD :
		    X509_V_ERR_CERT_NOT_YET_VALID;
		return c == 0 ? MTLS_E_BAD_INPUT : MTLS_E_NOT_YET_VALID;
	}
	return MTLS_OK;
}

static enum mtls_reason
check_validity(const struct mtls_policy *p, STACK_OF(X509) *chain,
    time_t at, struct mtls_decision *d)
{
	char subj[256];
	enum mtls_reason r;
	int i, err = 0, n = sk_X509_num(chain);

	for (i = 0; i < n; i++) {
		X509 *x = sk_X509_value(chain, i);

		if ((r = cert_time(p, x, at, &err)) == MTLS_OK)
			continue;
		mtls_dn_string(X509_get_subject_name(x), subj, sizeof(subj));
		mtls_check_add(d, "validity", MTLS_CHECK_FAIL,
		    "depth %d '%s': %s", i, subj,
		    X509_verify_cert_error_string(err));
		return r;
	}
	if (n <= 0) {
		mtls_check_add(d, "validity", MTLS_CHECK_FAIL, "no verified "
		    "chain kept from auth");
		return MTLS_E_INTERNAL;
	}
	mtls_check_add(d, "validity", MTLS_CHECK_PASS, "%d certificates "
	    "within their validity", n);
	return MTLS_OK;
}

/* The same account as at auth: same name, same uid, still allowed. */
static enum mtls_reason
check_account(const struct mtls_policy *p, struct mtls_decision *d)
{
	char canon[256], why[512];
	unsigned long uid = 0;
	int rc;

	rc = mtls_account_lookup(d->user, canon, sizeof(canon), &uid);
	if (rc <= 0) {
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s: %s",
		    d->user, rc < 0 ? "NSS lookup failed" : "no such account");
		return rc < 0 ? MTLS_E_BACKEND_DOWN : MTLS_E_USER_UNKNOWN;
	}
	if (strcmp(canon, d->user) != 0 || uid != d->uid) {
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s now resolves "
		    "to '%s' uid %lu, at auth uid %lu", d->user, canon, uid,
		    d->uid);
		return MTLS_E_USER_UNKNOWN;
	}
	if (mtls_account_allowed(p, d->user, uid, why, sizeof(why)) != 0) {
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s", why);
		return MTLS_E_USER_UNKNOWN;
	}
	mtls_check_add(d, "account", MTLS_CHECK_PASS, "%s exists (uid %lu)",
	    d->user, uid);
	return MTLS_OK;
}

void
mtls_recheck(const struct mtls_policy *p, STACK_OF(X509) *chain,
    time_t at, struct mtls_decision *d)
{
	enum mtls_reason r;

	d->nchecks = 0;
	r = check_validity(p, chain, at, d);
	if (r == MTLS_OK)
		r = mtls_revocation_check(p, chain, at, d);
	if (r == MTLS_OK)
		r = check_account(p, d);
	mtls_decision_finish(d, r);
	ERR_clear_error();
}
