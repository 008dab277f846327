/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls_decide: input → chain → policy → mapping → account, each step a
 * line in the record; the first failure is the reason. */
#include "config.h"

#include <string.h>

#include <openssl/err.h>

#include "cert_input.h"
#include "identity.h"
#include "map.h"
#include "revocation.h"
#include "util.h"
#include "verify.h"

struct work {
	X509 *leaf;
	STACK_OF(X509) *supplied;
	STACK_OF(X509) *chain;
};

static void
finish(struct mtls_decision *d, enum mtls_reason r, const char *detail)
{
	d->reason = r;
	d->result = mtls_reason_result(r);
	if (r != MTLS_OK)
		d->user[0] = '\0';
	if (detail != NULL && detail[0] != '\0')
		mtls_fmt(d->message, sizeof(d->message), "%s: %s",
		    mtls_reason_text(r), detail);
	else
		mtls_strlcpy(d->message, mtls_reason_text(r),
		    sizeof(d->message));
}

const struct mtls_policy *
mtls_request_policy(const struct mtls_cfg *cfg, const char *service,
    const char *profile)
{
	const struct mtls_policy *p;

	if (profile != NULL)
		return mtls_cfg_policy(cfg, profile);
	if (service != NULL && (p = mtls_cfg_policy(cfg, service)) != NULL)
		return p;
	return &cfg->global;
}

static const struct mtls_policy *
pick_policy(const struct mtls_cfg *cfg, const struct mtls_request *req,
    struct mtls_decision *d)
{
	const struct mtls_policy *p;
	char why[160];

	p = mtls_request_policy(cfg, req->service, req->profile);
	if (p == NULL) {
		mtls_fmt(why, sizeof(why), "no [profile %.64s] in %s",
		    req->profile, cfg->path);
		finish(d, MTLS_E_CONFIG, why);
	}
	return p;
}

/* The policy is known before the input is read: a presented intermediate
 * that is one of its intermediates_file is not parsed again. */
static enum mtls_reason
read_input(const struct mtls_policy *p, const struct mtls_request *req,
    struct work *w, struct mtls_decision *d)
{
	char msg[256] = "";
	enum mtls_reason r;

	if (req->cert == NULL || req->cert_len == 0) {
		mtls_check_add(d, "input", MTLS_CHECK_FAIL, "no certificate");
		return MTLS_E_NO_CERT;
	}
	r = mtls_input_cert(req->cert, req->cert_len, &w->leaf, msg,
	    sizeof(msg));
	if (r == MTLS_OK && req->chain != NULL && req->chain_len > 0) {
		if ((w->supplied = sk_X509_new_null()) == NULL)
			r = MTLS_E_INTERNAL;
		else if ((r = mtls_input_chain(req->chain, req->chain_len,
		    p->known_intermediates, w->supplied, msg,
		    sizeof(msg))) != MTLS_OK)
			mtls_fmt(msg + strlen(msg), sizeof(msg) - strlen(msg),
			    " (in the chain)");
	}
	if (r != MTLS_OK) {
		mtls_check_add(d, "input", MTLS_CHECK_FAIL, "%s", msg);
		return r;
	}
	mtls_check_add(d, "input", MTLS_CHECK_PASS, "1 certificate, %d "
	    "intermediate(s) supplied", w->supplied ?
	    sk_X509_num(w->supplied) : 0);
	return MTLS_OK;
}

static void
describe_leaf(X509 *leaf, struct mtls_decision *d)
{
	mtls_dn_string(X509_get_subject_name(leaf), d->subject,
	    sizeof(d->subject));
	mtls_dn_string(X509_get_issuer_name(leaf), d->issuer,
	    sizeof(d->issuer));
	if (mtls_serial_hex(leaf, d->serial, sizeof(d->serial)) != 0)
		d->serial[0] = '\0';
	if (mtls_sha256_hex(leaf, d->sha256, sizeof(d->sha256)) != 0)
		d->sha256[0] = '\0';
	mtls_asn1_time_string(X509_get0_notAfter(leaf), d->not_after,
	    sizeof(d->not_after));
}

static void
expiry_warning(const struct mtls_policy *p, X509 *leaf, time_t at,
    struct mtls_decision *d)
{
	int days = 0, secs = 0;
	ASN1_TIME *now = ASN1_TIME_set(NULL, at);

	if (now == NULL || !ASN1_TIME_diff(&days, &secs, now,
	    X509_get0_notAfter(leaf))) {
		ASN1_TIME_free(now);
		return;
	}
	ASN1_TIME_free(now);
	d->days_left = days;
	if (days < p->expiry_warning_days)
		mtls_check_add(d, "expiry", MTLS_CHECK_WARN,
		    "certificate expires in %d day(s), on %s", days,
		    d->not_after);
}

static enum mtls_reason
check_requested_user(const struct mtls_request *req, struct mtls_decision *d)
{
	if (req->user == NULL || req->user[0] == '\0')
		return MTLS_OK;
	if (strcmp(req->user, d->user) != 0) {
		mtls_check_add(d, "requested_user", MTLS_CHECK_FAIL,
		    "caller asked for '%.100s', certificate maps to '%.100s'",
		    req->user, d->user);
		return MTLS_E_USER_MISMATCH;
	}
	mtls_check_add(d, "requested_user", MTLS_CHECK_PASS, "%s", d->user);
	return MTLS_OK;
}

static enum mtls_reason
evaluate(const struct mtls_policy *p, const struct mtls_request *req,
    time_t at, struct work *w, struct mtls_decision *d)
{
	char msg[512] = "";
	enum mtls_reason r, first;

	if ((r = read_input(p, req, w, d)) != MTLS_OK)
		return r;
	describe_leaf(w->leaf, d);
	first = mtls_verify_chain(p, w->leaf, w->supplied, at, &w->chain, msg,
	    sizeof(msg));
	mtls_check_add(d, "chain", first ? MTLS_CHECK_FAIL : MTLS_CHECK_PASS,
	    "%s", msg);
	r = mtls_policy_checks(p, w->leaf, w->chain, d);
	if (first == MTLS_OK)
		first = r;
	/* Revocation needs the verified path: it names each issuer. */
	if (first == MTLS_OK)
		first = mtls_revocation_check(p, w->chain, at, d);
	if (first != MTLS_OK) {
		mtls_check_add(d, "mapping", MTLS_CHECK_SKIP,
		    "certificate refused");
		return first;
	}
	expiry_warning(p, w->leaf, at, d);
	if ((r = mtls_map_identity(p, w->leaf, d)) != MTLS_OK)
		return r;
	return check_requested_user(req, d);
}

/* The first failing check's detail is the refusal's explanation. */
static const char *
first_failure(const struct mtls_decision *d)
{
	size_t i;

	for (i = 0; i < d->nchecks; i++)
		if (d->checks[i].status == MTLS_CHECK_FAIL)
			return d->checks[i].detail;
	return "";
}

void
mtls_decision_finish(struct mtls_decision *d, enum mtls_reason r)
{
	finish(d, r, r == MTLS_OK ? "" : first_failure(d));
}

void
mtls_decide(const struct mtls_cfg *cfg, const struct mtls_request *req,
    struct mtls_decision *d)
{
	const struct mtls_policy *p;
	struct work w = { NULL, NULL, NULL };
	enum mtls_reason r;
	time_t at = req->at ? req->at : time(NULL);

	memset(d, 0, sizeof(*d));
	if (req->chain_out != NULL)
		*req->chain_out = NULL;
	mtls_strlcpy(d->service, req->service ? req->service : "-",
	    sizeof(d->service));
	if ((p = pick_policy(cfg, req, d)) == NULL)
		return;
	mtls_strlcpy(d->profile, p->name, sizeof(d->profile));
	r = evaluate(p, req, at, &w, d);
	finish(d, r, r == MTLS_OK ? "" : first_failure(d));
	if (r == MTLS_OK && req->chain_out != NULL) {
		*req->chain_out = w.chain;
		w.chain = NULL;
	}
	X509_free(w.leaf);
	sk_X509_pop_free(w.supplied, X509_free);
	sk_X509_pop_free(w.chain, X509_free);
	ERR_clear_error();
}
