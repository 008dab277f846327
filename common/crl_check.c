/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* One certificate against the CRLs: the right issuer, a good signature by
 * the issuer's key, current, of a kind we understand, then the serial. */
#include "config.h"

#include <string.h>

#include <openssl/x509v3.h>

#include "identity.h"
#include "revocation.h"
#include "util.h"

/* A CRL we can rely on for this certificate: no delta, no partitioning or
 * indirection we would have to interpret, no unknown critical extension.
 * Returns NULL when usable, else why not. */
static const char *
unsupported(X509_CRL *crl, X509 *cert)
{
	ISSUING_DIST_POINT *idp;
	const char *why = NULL;
	int i, crit = 0;

	for (i = 0; i < X509_CRL_get_ext_count(crl); i++) {
		X509_EXTENSION *ext = X509_CRL_get_ext(crl, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));

		if (nid == NID_delta_crl)
			return "delta CRLs are not supported";
		if (X509_EXTENSION_get_critical(ext) &&
		    nid != NID_issuing_distribution_point)
			return "unknown critical CRL extension";
	}
	idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, &crit,
	    NULL);
	if (idp == NULL)
		return crit == -1 ? NULL : "unreadable issuingDistributionPoint";
	if (idp->indirectCRL || idp->onlysomereasons != NULL ||
	    idp->onlyattr || idp->distpoint != NULL)
		why = "partitioned or indirect CRLs are not supported";
	else if ((idp->onlyuser && X509_check_ca(cert)) ||
	    (idp->onlyCA && !X509_check_ca(cert)))
		why = "CRL scope does not cover this certificate";
	ISSUING_DIST_POINT_free(idp);
	return why;
}

/* The newest CRL of cert's issuer whose signature verifies. */
static X509_CRL *
pick(struct mtls_crl_set **sets, int nsets, X509 *cert, X509 *issuer,
    const char **path, int *seen)
{
	X509_CRL *best = NULL;
	int s, i;

	*seen = 0;
	for (s = 0; s < nsets; s++) {
		for (i = 0; i < mtls_crl_set_count(sets[s]); i++) {
			X509_CRL *crl = mtls_crl_set_crl(sets[s], i);

			if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
			    X509_get_issuer_name(cert)) != 0)
				continue;
			(*seen)++;
			if (!mtls_crl_set_verify(sets[s], i, issuer))
				continue;
			if (best == NULL || ASN1_TIME_compare(
			    X509_CRL_get0_lastUpdate(crl),
			    X509_CRL_get0_lastUpdate(best)) > 0) {
				best = crl;
				*path = mtls_crl_set_path(sets[s]);
			}
		}
	}
	return best;
}

static const char *
reason_name(X509_REVOKED *rev)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise",
		"affiliationChanged", "superseded", "cessationOfOperation",
		"certificateHold", "?", "removeFromCRL", "privilegeWithdrawn",
		"aACompromise",
	};
	ASN1_ENUMERATED *e = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason,
	    NULL, NULL);
	long r = e ? ASN1_ENUMERATED_get(e) : 0;

	ASN1_ENUMERATED_free(e);
	return r >= 0 && r < 11 ? names[r] : "unknown reason";
}

void
mtls_crl_status(const struct mtls_policy *p, struct mtls_crl_set **sets,
    int nsets, X509 *cert, X509 *issuer, time_t at,
    struct mtls_rev_answer *a)
{
	const char *path = "?", *why;
	char iss[256], next[32], when[32];
	X509_REVOKED *rev = NULL;
	X509_CRL *crl;
	time_t t;
	int seen;

	mtls_dn_string(X509_get_issuer_name(cert), iss, sizeof(iss));
	crl = pick(sets, nsets, cert, issuer, &path, &seen);
	if (crl == NULL) {
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, MTLS_E_REVOCATION_UNKNOWN, seen ?
		    "the CRL for '%s' is not signed by its issuer's key" :
		    "no CRL for issuer '%s'", iss);
		return;
	}
	if ((why = unsupported(crl, cert)) != NULL) {
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, MTLS_E_REVOCATION_UNKNOWN,
		    "%s: %s", path, why);
		return;
	}
	mtls_asn1_time_string(X509_CRL_get0_nextUpdate(crl), next, sizeof(next));
	t = at + p->clock_skew;
	if (X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &t) > 0) {
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, MTLS_E_REVOCATION_UNKNOWN,
		    "%s: CRL for '%s' is not yet valid", path, iss);
		return;
	}
	t = at - p->crl_max_age;
	if (X509_CRL_get0_nextUpdate(crl) == NULL ||
	    X509_cmp_time(X509_CRL_get0_nextUpdate(crl), &t) < 0) {
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, MTLS_E_CRL_STALE, "%s: CRL for "
		    "'%s' is past its nextUpdate %s", path, iss, next);
		return;
	}
	if (X509_CRL_get0_by_serial(crl, &rev,
	    X509_get0_serialNumber(cert)) == 1) {
		mtls_asn1_time_string(X509_REVOKED_get0_revocationDate(rev), when,
		    sizeof(when));
		mtls_rev_answer_set(a, MTLS_REV_REVOKED, MTLS_E_REVOKED, "revoked on %s "
		    "(%s) per %s", when, reason_name(rev), path);
		return;
	}
	mtls_rev_answer_set(a, MTLS_REV_GOOD, MTLS_OK, "%s (nextUpdate %s)", path, next);
}
