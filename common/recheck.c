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

static int
asn1_seconds(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	*out = timegm(&tm);
	return 0;
}

int
mtls_path_window(STACK_OF(X509) *chain, struct mtls_window *w)
{
	time_t nb, na;
	int i;

	memset(w, 0, sizeof(*w));
	if (sk_X509_num(chain) <= 0)
		return -1;
	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);

		if (asn1_seconds(X509_get0_notBefore(x), &nb) != 0 ||
		    asn1_seconds(X509_get0_notAfter(x), &na) != 0)
			return -1;
		if (i == 0 || nb > w->not_before) {
			w->not_before = nb;
			w->nb_depth = i;
		}
		if (i == 0 || na < w->not_after) {
			w->not_after = na;
			w->na_depth = i;
		}
	}
	return 0;
}

/* The verifier's time test with the skew its callback forgives (see
 * verify.c): expired when notAfter <= at - skew, not yet valid when
 * notBefore > at + skew. */
static enum mtls_reason
check_validity(const struct mtls_policy *p, STACK_OF(X509) *chain,
    const struct mtls_window *w, time_t at, struct mtls_decision *d)
{
	char subj[256];
	int depth, err;
	enum mtls_reason r;

	if (w->not_after <= at - p->clock_skew) {
		depth = w->na_depth;
		err = X509_V_ERR_CERT_HAS_EXPIRED;
		r = MTLS_E_EXPIRED;
	} else if (w->not_before > at + p->clock_skew) {
		depth = w->nb_depth;
		err = X509_V_ERR_CERT_NOT_YET_VALID;
		r = MTLS_E_NOT_YET_VALID;
	} else {
		mtls_check_add(d, "validity", MTLS_CHECK_PASS, "%d "
		    "certificates within their validity", sk_X509_num(chain));
		return MTLS_OK;
	}
	mtls_dn_string(X509_get_subject_name(sk_X509_value(chain, depth)),
	    subj, sizeof(subj));
	mtls_check_add(d, "validity", MTLS_CHECK_FAIL, "depth %d '%s': %s",
	    depth, subj, X509_verify_cert_error_string(err));
	return r;
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
    const struct mtls_window *w, time_t at, struct mtls_decision *d)
{
	enum mtls_reason r;

	d->nchecks = 0;
	r = check_validity(p, chain, w, at, d);
	if (r == MTLS_OK)
		r = mtls_revocation_check(p, chain, at, d);
	if (r == MTLS_OK)
		r = check_account(p, d);
	mtls_decision_finish(d, r);
	ERR_clear_error();
}
