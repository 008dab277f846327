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

/* One CRL of the issuer, where it was found and its crlNumber. */
struct cand {
	struct mtls_crl_set *set;
	int i;
	X509_CRL *crl;
	ASN1_INTEGER *num;	/* NULL when the CRL has none */
};

/* Issued by cert's issuer: the same name and, when both say, the same key
 * identifier (so a re-keyed CA's CRLs do not stand for the old key's). */
static int
attributed(X509_CRL *crl, X509 *cert, X509 *issuer)
{
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(issuer);
	AUTHORITY_KEYID *akid;
	int other;

	if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
	    X509_get_issuer_name(cert)) != 0)
		return 0;
	akid = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, NULL,
	    NULL);
	other = akid != NULL && akid->keyid != NULL && ski != NULL &&
	    ASN1_OCTET_STRING_cmp(akid->keyid, ski) != 0;
	AUTHORITY_KEYID_free(akid);
	return !other;
}

/* Newer first: by crlNumber (a CRL without one ranks below any with one),
 * then by thisUpdate. */
static int
rank(const struct cand *a, const struct cand *b)
{
	int c;

	if (a->num != NULL && b->num != NULL &&
	    (c = ASN1_INTEGER_cmp(a->num, b->num)) != 0)
		return c;
	if ((a->num != NULL) != (b->num != NULL))
		return a->num != NULL ? 1 : -1;
	return ASN1_TIME_compare(X509_CRL_get0_lastUpdate(a->crl),
	    X509_CRL_get0_lastUpdate(b->crl));
}

/* Calls fn for every CRL attributed to cert's issuer; stops when fn says. */
static int
each_cand(struct mtls_crl_set **sets, int nsets, X509 *cert, X509 *issuer,
    int (*fn)(void *, struct cand *), void *arg)
{
	struct cand c;
	int s, rc = 0;

	for (s = 0; rc == 0 && s < nsets; s++) {
		for (c.i = 0; rc == 0 && c.i < mtls_crl_set_count(sets[s]);
		    c.i++) {
			c.set = sets[s];
			c.crl = mtls_crl_set_crl(sets[s], c.i);
			if (!attributed(c.crl, cert, issuer))
				continue;
			c.num = X509_CRL_get_ext_d2i(c.crl, NID_crl_number,
			    NULL, NULL);
			rc = fn(arg, &c);
			ASN1_INTEGER_free(c.num);
		}
	}
	return rc;
}

struct pick_ctx {
	struct cand best;	/* owns best.num */
	int seen;
	X509 *issuer;
	const char *bad_path;	/* where an equal-ranked CRL failed */
};

static int
keep_newest(void *arg, struct cand *c)
{
	struct pick_ctx *k = arg;

	if (k->seen++ == 0 || rank(c, &k->best) > 0) {
		ASN1_INTEGER_free(k->best.num);
		k->best = *c;
		c->num = NULL;	/* now owned by best */
	}
	return 0;
}

/* A CRL ranked as new as the best must verify too: which of two equals
 * decides may not depend on file order. */
static int
tie_fails(void *arg, struct cand *c)
{
	struct pick_ctx *k = arg;

	if (rank(c, &k->best) != 0 ||
	    mtls_crl_set_verify(c->set, c->i, k->issuer))
		return 0;
	k->bad_path = mtls_crl_set_path(c->set);
	return 1;
}

/* The newest CRL of cert's issuer.  A superseded CRL never decides: when
 * the newest does not verify, the answer is NULL with *unsigned set, and no
 * older CRL stands in for it. */
static X509_CRL *
pick(struct mtls_crl_set **sets, int nsets, X509 *cert, X509 *issuer,
    const char **path, int *unsigned_newest, struct cand *chosen)
{
	struct pick_ctx k;

	memset(&k, 0, sizeof(k));
	k.issuer = issuer;
	*unsigned_newest = 0;
	each_cand(sets, nsets, cert, issuer, keep_newest, &k);
	if (k.seen == 0)
		return NULL;
	*path = mtls_crl_set_path(k.best.set);
	/* With one candidate there is no equal to try: the second pass would
	 * decode every CRL's extensions again to re-verify the same CRL. */
	if (!mtls_crl_set_verify(k.best.set, k.best.i, issuer))
		*unsigned_newest = 1;
	else if (k.seen > 1 &&
	    each_cand(sets, nsets, cert, issuer, tie_fails, &k)) {
		*unsigned_newest = 1;
		*path = k.bad_path;
	}
	ASN1_INTEGER_free(k.best.num);
	*chosen = k.best;
	chosen->num = NULL;
	return *unsigned_newest ? NULL : k.best.crl;
}

static const char *
reason_name(int r)
{
	static const char *const names[] = {
		"unspecified", "keyCompromise", "cACompromise",
		"affiliationChanged", "superseded", "cessationOfOperation",
		"certificateHold", "?", "removeFromCRL", "privilegeWithdrawn",
		"aACompromise",
	};

	return r >= 0 && r < 11 ? names[r] : "unknown reason";
}

/* A signed CRL that lists the certificate proves revocation however old
 * it is: staleness only makes a CRL unable to prove the opposite.  The
 * set answers from the parsed CRL or from its index alike. */
static int
listed(struct cand *c, X509 *cert, X509 *issuer, const char *path,
    int stale, struct mtls_rev_answer *a)
{
	char when[32];
	int reason, r;

	r = mtls_crl_set_lookup(c->set, c->i, issuer,
	    X509_get0_serialNumber(cert), when, sizeof(when), &reason);
	if (r < 0) {
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN,
		    MTLS_E_REVOCATION_UNKNOWN, "%s: its index is damaged and "
		    "the CRL file no longer matches it", path);
		return 1;
	}
	if (r == 0)
		return 0;
	mtls_rev_answer_set(a, MTLS_REV_REVOKED, MTLS_E_REVOKED,
	    "revoked on %s (%s) per %s%s", when, reason_name(reason), path,
	    stale ? " (a CRL past its nextUpdate: still proof of revocation)" :
	    "");
	return 1;
}

void
mtls_crl_status(const struct mtls_policy *p, struct mtls_crl_set **sets,
    int nsets, X509 *cert, X509 *issuer, time_t at,
    struct mtls_rev_answer *a)
{
	const char *path = "?", *why;
	char iss[256], next[32];
	X509_NAME *in = X509_get_issuer_name(cert);
	struct cand used;
	X509_CRL *crl;
	time_t t;
	int unsigned_newest, stale;

	a->crl = NULL;
	/* The issuer's name is formatted only for the messages that show it:
	 * X509_NAME_print_ex was a third of a good certificate's lookup. */
	crl = pick(sets, nsets, cert, issuer, &path, &unsigned_newest, &used);
	if (crl == NULL && unsigned_newest) {
		mtls_dn_string(in, iss, sizeof(iss));
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN,
		    MTLS_E_REVOCATION_UNKNOWN, "%s: the newest CRL for '%s' is "
		    "not signed by its issuer's key (an older CRL does not "
		    "stand in for it)", path, iss);
		return;
	}
	if (crl == NULL) {
		mtls_dn_string(in, iss, sizeof(iss));
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN,
		    MTLS_E_REVOCATION_UNKNOWN, "no CRL for issuer '%s'", iss);
		return;
	}
	if ((why = unsupported(crl, cert)) != NULL) {
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, MTLS_E_REVOCATION_UNKNOWN,
		    "%s: %s", path, why);
		return;
	}
	t = at - p->crl_max_age;
	stale = X509_CRL_get0_nextUpdate(crl) == NULL ||
	    X509_cmp_time(X509_CRL_get0_nextUpdate(crl), &t) < 0;
	/* From here on this CRL decides. */
	a->crl = used.set;
	a->crl_next = X509_CRL_get0_nextUpdate(crl);
	if (listed(&used, cert, issuer, path, stale, a))
		return;
	mtls_asn1_time_string(X509_CRL_get0_nextUpdate(crl), next, sizeof(next));
	t = at + p->clock_skew;
	if (X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &t) > 0) {
		mtls_dn_string(in, iss, sizeof(iss));
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, MTLS_E_REVOCATION_UNKNOWN,
		    "%s: CRL for '%s' is not yet valid", path, iss);
		return;
	}
	if (stale) {
		mtls_dn_string(in, iss, sizeof(iss));
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, MTLS_E_CRL_STALE, "%s: CRL for "
		    "'%s' is past its nextUpdate %s", path, iss, next);
		return;
	}
	mtls_rev_answer_set(a, MTLS_REV_GOOD, MTLS_OK, "%s (nextUpdate %s)", path, next);
}
