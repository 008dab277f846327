/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509_vfy.h>

#include "identity.h"
#include "util.h"
#include "verify.h"

/* Clock skew: OpenSSL has no tolerance setting, so the verify callback
 * forgives a validity error when the certificate is within the skew. */
struct skew {
	time_t at;
	long skew;
};

static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	const struct skew *s = X509_STORE_CTX_get_app_data(ctx);
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	time_t t;

	if (ok || s == NULL || cur == NULL)
		return ok;
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		t = s->at - s->skew;
		if (X509_cmp_time(X509_get0_notAfter(cur), &t) > 0)
			return 1;
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		t = s->at + s->skew;
		if (X509_cmp_time(X509_get0_notBefore(cur), &t) < 0)
			return 1;
		break;
	default:
		break;
	}
	return 0;
}

static enum mtls_reason
map_error(int err)
{
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return MTLS_E_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return MTLS_E_NOT_YET_VALID;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return MTLS_E_CHAIN_INCOMPLETE;
	case X509_V_ERR_CERT_CHAIN_TOO_LONG:
		return MTLS_E_CHAIN_TOO_LONG;
	case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
		return MTLS_E_UNKNOWN_CRITICAL_EXT;
	case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
	case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
	case X509_V_ERR_INVALID_EXTENSION:
	case X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER:
	case X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER:
	case X509_V_ERR_EMPTY_SUBJECT_ALT_NAME:
	case X509_V_ERR_SUBJECT_NAME_EMPTY:
	case X509_V_ERR_ISSUER_NAME_EMPTY:
	case X509_V_ERR_INVALID_POLICY_EXTENSION:
		return MTLS_E_BAD_INPUT;
	case X509_V_ERR_NO_EXPLICIT_POLICY:
		return MTLS_E_CERT_POLICY;
	default:
		/* Self-signed outsiders, impostor signatures, non-CA issuers
		 * and anything new: not a path to our anchors. */
		return MTLS_E_UNTRUSTED_ISSUER;
	}
}

static void
describe(X509_STORE_CTX *ctx, enum mtls_reason r, char *msg, size_t msgsz)
{
	int err = X509_STORE_CTX_get_error(ctx);
	int depth = X509_STORE_CTX_get_error_depth(ctx);
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	char subj[256] = "?", iss[256] = "?";

	if (cur != NULL) {
		mtls_dn_string(X509_get_subject_name(cur), subj, sizeof(subj));
		mtls_dn_string(X509_get_issuer_name(cur), iss, sizeof(iss));
	}
	if (err == X509_V_ERR_NO_EXPLICIT_POLICY)
		mtls_fmt(msg, msgsz, "a CA's policyConstraints require an "
		    "explicit certificate policy, and no policy is valid for "
		    "the whole path");
	else if (r == MTLS_E_CHAIN_INCOMPLETE)
		mtls_fmt(msg, msgsz, "issuer '%s' of '%s' (depth %d) is "
		    "neither a trust anchor nor a supplied intermediate", iss,
		    subj, depth);
	else
		mtls_fmt(msg, msgsz, "depth %d '%s': %s", depth, subj,
		    X509_verify_cert_error_string(err));
}

/* Policy processing (RFC 5280 6.1): without it OpenSSL ignores the
 * policyConstraints a CA demands (requireExplicitPolicy,
 * inhibitPolicyMapping).  The user-initial-policy-set is anyPolicy, the
 * RFC's default: OpenSSL's empty default would make every
 * requireExplicitPolicy fail.  No EXPLICIT_POLICY flag: a policy is required
 * only where a CA says so. */
static int
policy_check(X509_VERIFY_PARAM *param)
{
	STACK_OF(ASN1_OBJECT) *any = sk_ASN1_OBJECT_new_null();
	int ok;

	ok = any != NULL && sk_ASN1_OBJECT_push(any,
	    OBJ_nid2obj(NID_any_policy)) &&
	    X509_VERIFY_PARAM_set1_policies(param, any) &&
	    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_POLICY_CHECK);
	sk_ASN1_OBJECT_free(any);
	return ok ? 0 : -1;
}

/* The caller's intermediates first, then configured ones; both untrusted:
 * they only help build a path to an anchor. */
static STACK_OF(X509) *
untrusted_set(const struct mtls_policy *p, STACK_OF(X509) *supplied)
{
	STACK_OF(X509) *u = sk_X509_new_null();
	int i;

	if (u == NULL)
		return NULL;
	for (i = 0; supplied != NULL && i < sk_X509_num(supplied); i++)
		if (!sk_X509_push(u, sk_X509_value(supplied, i)))
			goto fail;
	for (i = 0; p->intermediates != NULL &&
	    i < sk_X509_num(p->intermediates); i++)
		if (!sk_X509_push(u, sk_X509_value(p->intermediates, i)))
			goto fail;
	return u;
fail:
	sk_X509_free(u);
	return NULL;
}

enum mtls_reason
mtls_verify_chain(const struct mtls_policy *p, X509 *leaf,
    STACK_OF(X509) *supplied, time_t at, STACK_OF(X509) **chain, char *msg,
    size_t msgsz)
{
	STACK_OF(X509) *untrusted = untrusted_set(p, supplied);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *param;
	struct skew skew = { at, p->clock_skew };
	enum mtls_reason r = MTLS_E_INTERNAL;

	*chain = NULL;
	if (untrusted == NULL || ctx == NULL ||
	    !X509_STORE_CTX_init(ctx, p->store, leaf, untrusted))
		goto out;
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, at);
	X509_VERIFY_PARAM_set_depth(param, (int)p->max_depth);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
	if (policy_check(param) != 0)
		goto out;
	X509_STORE_CTX_set_app_data(ctx, &skew);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	if (X509_verify_cert(ctx) > 0) {
		*chain = X509_STORE_CTX_get1_chain(ctx);
		r = *chain ? MTLS_OK : MTLS_E_INTERNAL;
		if (*chain)
			mtls_fmt(msg, msgsz, "%d certificates to a trust "
			    "anchor", sk_X509_num(*chain));
	} else {
		r = map_error(X509_STORE_CTX_get_error(ctx));
		describe(ctx, r, msg, msgsz);
	}
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	return r;
}
