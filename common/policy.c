/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Checks on the leaf and intermediates that OpenSSL's verifier leaves to
 * us.  Each adds a line to the record, so a refusal shows every problem,
 * not only the first. */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "identity.h"
#include "util.h"
#include "verify.h"

static enum mtls_reason
check_ca_leaf(X509 *leaf, struct mtls_decision *d)
{
	if (X509_check_ca(leaf) != 0) {
		mtls_check_add(d, "not_ca", MTLS_CHECK_FAIL,
		    "the certificate is a CA certificate");
		return MTLS_E_CA_LEAF;
	}
	mtls_check_add(d, "not_ca", MTLS_CHECK_PASS, "end-entity certificate");
	return MTLS_OK;
}

static int
eku_has(EXTENDED_KEY_USAGE *eku, const char *oid)
{
	char buf[MTLS_OID_MAX];
	int i;

	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_obj2txt(buf, sizeof(buf), sk_ASN1_OBJECT_value(eku, i),
		    1) > 0 && strcmp(buf, oid) == 0)
			return 1;
	}
	return 0;
}

static enum mtls_reason
check_eku(const struct mtls_policy *p, X509 *leaf, struct mtls_decision *d)
{
	EXTENDED_KEY_USAGE *eku;
	enum mtls_reason r = MTLS_OK;
	int crit = 0;
	size_t i;

	if (p->n_eku == 0) {
		mtls_check_add(d, "eku", MTLS_CHECK_SKIP, "require_eku = none");
		return MTLS_OK;
	}
	eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, &crit, NULL);
	if (eku == NULL) {
		mtls_check_add(d, "eku", MTLS_CHECK_FAIL, crit == -1 ?
		    "no extendedKeyUsage extension" :
		    "unreadable or repeated extendedKeyUsage extension");
		return crit == -1 ? MTLS_E_EKU : MTLS_E_BAD_INPUT;
	}
	for (i = 0; i < p->n_eku; i++) {
		if (!eku_has(eku, p->eku[i])) {
			char name[80];
			ASN1_OBJECT *o = OBJ_txt2obj(p->eku[i], 1);

			if (o == NULL || OBJ_obj2txt(name, sizeof(name), o,
			    0) <= 0)
				mtls_strlcpy(name, p->eku[i], sizeof(name));
			ASN1_OBJECT_free(o);
			mtls_check_add(d, "eku", MTLS_CHECK_FAIL,
			    "%s (%s) required but not present", name,
			    p->eku[i]);
			r = MTLS_E_EKU;
			break;
		}
	}
	if (r == MTLS_OK)
		mtls_check_add(d, "eku", MTLS_CHECK_PASS,
		    "all %zu required purposes present", p->n_eku);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return r;
}

/* Whether an EKU list allows every purpose the policy requires. */
static int
eku_allows(const struct mtls_policy *p, EXTENDED_KEY_USAGE *eku)
{
	size_t j;

	if (eku_has(eku, "2.5.29.37.0"))	/* anyExtendedKeyUsage */
		return 1;
	for (j = 0; j < p->n_eku; j++)
		if (!eku_has(eku, p->eku[j]))
			return 0;
	return 1;
}

/* RFC 5280 leaves EKU in CA certificates open; CA/Browser Forum practice
 * and most verifiers read it as a limit on what the CA may issue.  OpenSSL
 * checks it only when a purpose is set, and we set none (require_eku is
 * ours), so: an intermediate with an EKU extension must allow every
 * required purpose, or anyExtendedKeyUsage. */
static enum mtls_reason
check_ca_eku(const struct mtls_policy *p, STACK_OF(X509) *chain,
    struct mtls_decision *d)
{
	EXTENDED_KEY_USAGE *eku;
	char subj[256];
	int i, crit, ok, bad, n = chain ? sk_X509_num(chain) - 1 : 0;

	for (i = 1; p->n_eku > 0 && i < n; i++) {
		X509 *ca = sk_X509_value(chain, i);

		crit = 0;
		eku = X509_get_ext_d2i(ca, NID_ext_key_usage, &crit, NULL);
		if (eku == NULL && crit == -1)
			continue;	/* no EKU: no limit */
		bad = eku == NULL;
		ok = !bad && eku_allows(p, eku);
		sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
		if (ok)
			continue;
		mtls_dn_string(X509_get_subject_name(ca), subj, sizeof(subj));
		mtls_check_add(d, "ca_eku", MTLS_CHECK_FAIL,
		    "depth %d '%s': %s", i, subj, bad ?
		    "unreadable extendedKeyUsage" :
		    "its extendedKeyUsage excludes a required purpose");
		return bad ? MTLS_E_BAD_INPUT : MTLS_E_EKU;
	}
	return MTLS_OK;
}

static enum mtls_reason
check_ku(const struct mtls_policy *p, X509 *leaf, struct mtls_decision *d)
{
	uint32_t ku;

	if (p->key_usage == 0) {
		mtls_check_add(d, "key_usage", MTLS_CHECK_SKIP,
		    "require_key_usage = none");
		return MTLS_OK;
	}
	ku = X509_get_key_usage(leaf);
	if (ku == UINT32_MAX) {
		mtls_check_add(d, "key_usage", MTLS_CHECK_FAIL,
		    "no keyUsage extension");
		return MTLS_E_KEY_USAGE;
	}
	if ((ku & p->key_usage) != p->key_usage) {
		mtls_check_add(d, "key_usage", MTLS_CHECK_FAIL,
		    "required bits 0x%02lx, certificate has 0x%02x",
		    p->key_usage, ku);
		return MTLS_E_KEY_USAGE;
	}
	mtls_check_add(d, "key_usage", MTLS_CHECK_PASS, "required bits present");
	return MTLS_OK;
}

static unsigned
curve_bit(const char *group)
{
	if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0)
		return MTLS_CURVE_P256;
	if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0)
		return MTLS_CURVE_P384;
	if (strcmp(group, "secp521r1") == 0 || strcmp(group, "P-521") == 0)
		return MTLS_CURVE_P521;
	return 0;
}

/* Key size alone says nothing about e = 1 (a "signature" anyone can
 * forge) or e = 3: the public exponent must be odd, at least 65537 and
 * below 2^256 (NIST SP 800-89, CA/Browser Forum). */
static int
rsa_allowed(const struct mtls_policy *p, EVP_PKEY *pk, char *desc,
    size_t descsz)
{
	BIGNUM *e = NULL;
	int ok;

	mtls_fmt(desc, descsz, "RSA %d", EVP_PKEY_get_bits(pk));
	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e)) {
		mtls_fmt(desc, descsz, "RSA key without a readable exponent");
		return 0;
	}
	ok = BN_is_odd(e) && BN_num_bits(e) <= 256 &&
	    (BN_num_bits(e) > 17 || BN_get_word(e) >= 65537);
	if (!ok && BN_num_bits(e) <= 64)
		mtls_fmt(desc, descsz, "RSA %d with public exponent %lu (must "
		    "be odd, >= 65537, < 2^256)", EVP_PKEY_get_bits(pk),
		    (unsigned long)BN_get_word(e));
	else if (!ok)
		mtls_fmt(desc, descsz, "RSA %d with a %d-bit public exponent "
		    "(must be odd, >= 65537, < 2^256)", EVP_PKEY_get_bits(pk),
		    BN_num_bits(e));
	BN_free(e);
	return ok && EVP_PKEY_get_bits(pk) >= p->min_rsa_bits;
}

/* Describes the key into desc and says whether the policy allows it. */
static int
key_allowed(const struct mtls_policy *p, X509 *x, char *desc, size_t descsz)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	char group[64];

	if (pk == NULL) {
		mtls_strlcpy(desc, "unreadable public key", descsz);
		return 0;
	}
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		return rsa_allowed(p, pk, desc, descsz);
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_group_name(pk, group, sizeof(group), NULL))
			mtls_strlcpy(group, "unnamed curve", sizeof(group));
		mtls_fmt(desc, descsz, "EC %s", group);
		return (p->curves & curve_bit(group)) != 0;
	case EVP_PKEY_ED25519:
		mtls_strlcpy(desc, "Ed25519", descsz);
		return (p->curves & MTLS_CURVE_ED25519) != 0;
	case EVP_PKEY_ED448:
		mtls_strlcpy(desc, "Ed448", descsz);
		return (p->curves & MTLS_CURVE_ED448) != 0;
	default:
		mtls_fmt(desc, descsz, "%s", OBJ_nid2sn(
		    EVP_PKEY_get_base_id(pk)));
		return 0;
	}
}

/* Signature algorithm of x: MD5 and older never, SHA-1 only if allowed. */
static int
sig_allowed(const struct mtls_policy *p, X509 *x, char *desc, size_t descsz)
{
	int md = NID_undef, pk = NID_undef;

	if (!X509_get_signature_info(x, &md, &pk, NULL, NULL)) {
		mtls_strlcpy(desc, "unknown signature algorithm", descsz);
		return 0;
	}
	mtls_fmt(desc, descsz, "%s", OBJ_nid2sn(X509_get_signature_nid(x)));
	if (md == NID_md5 || md == NID_md4 || md == NID_md2 ||
	    md == NID_md5_sha1)
		return 0;
	return md != NID_sha1 || p->allow_sha1;
}

enum mtls_reason
mtls_cert_strength(const struct mtls_policy *p, X509 *x, char *desc,
    size_t descsz)
{
	if (!key_allowed(p, x, desc, descsz))
		return MTLS_E_WEAK_KEY;
	if (!sig_allowed(p, x, desc, descsz))
		return MTLS_E_WEAK_SIGNATURE;
	return MTLS_OK;
}

/* The subject is formatted only for a refusal: X509_NAME_print_ex for
 * every certificate of every accepted chain was most of these checks. */
static void
alg_fail(struct mtls_decision *d, const char *what, int depth, X509 *x,
    const char *desc)
{
	char subj[256];

	mtls_dn_string(X509_get_subject_name(x), subj, sizeof(subj));
	mtls_check_add(d, what, MTLS_CHECK_FAIL, "depth %d '%s': %s not allowed",
	    depth, subj, desc);
}

/* Keys and signatures of the leaf and every intermediate; the anchor's own
 * self-signature means nothing and is not judged -- unless the anchor is
 * the presented certificate itself (a pinned self-signed leaf), which is
 * judged like any leaf. */
static enum mtls_reason
check_chain_algs(const struct mtls_policy *p, X509 *leaf,
    STACK_OF(X509) *chain, struct mtls_decision *d)
{
	int i, n = chain ? sk_X509_num(chain) - 1 : 1;
	char desc[128], leafkey[128] = "", leafsig[128] = "";

	if (n < 1)
		n = 1;
	for (i = 0; i < n; i++) {
		X509 *x = chain ? sk_X509_value(chain, i) : leaf;

		if (!key_allowed(p, x, desc, sizeof(desc))) {
			alg_fail(d, "key", i, x, desc);
			return MTLS_E_WEAK_KEY;
		}
		if (i == 0)
			mtls_strlcpy(leafkey, desc, sizeof(leafkey));
		if (!sig_allowed(p, x, desc, sizeof(desc))) {
			alg_fail(d, "signature", i, x, desc);
			return MTLS_E_WEAK_SIGNATURE;
		}
		if (i == 0)
			mtls_strlcpy(leafsig, desc, sizeof(leafsig));
	}
	mtls_check_add(d, "key", MTLS_CHECK_PASS, "%s", leafkey);
	mtls_check_add(d, "signature", MTLS_CHECK_PASS, "%s", leafsig);
	return MTLS_OK;
}

/* RFC 5280 4.1.2.2: a serial number is positive, non-zero and at most 20
 * octets long (DER content, so at most 159 bits).  Checked for the leaf and
 * the intermediates: the anchor is trusted as configured. */
static enum mtls_reason
check_serials(X509 *leaf, STACK_OF(X509) *chain, struct mtls_decision *d)
{
	int i, bits, bad, n = chain ? sk_X509_num(chain) - 1 : 1;
	BIGNUM *bn;
	char subj[256];

	if (n < 1)
		n = 1;
	for (i = 0; i < n; i++) {
		X509 *x = chain ? sk_X509_value(chain, i) : leaf;

		bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
		bits = bn ? BN_num_bits(bn) : 0;
		bad = bn == NULL || BN_is_negative(bn) || BN_is_zero(bn) ||
		    bits > 159;
		BN_free(bn);
		if (!bad)
			continue;
		mtls_dn_string(X509_get_subject_name(x), subj, sizeof(subj));
		mtls_check_add(d, "serial", MTLS_CHECK_FAIL, "depth %d '%s': "
		    "serial number is negative, zero or longer than 20 "
		    "octets", i, subj);
		return MTLS_E_BAD_INPUT;
	}
	/* No pass line: the record lists what can fail a typical login. */
	return MTLS_OK;
}

enum mtls_reason
mtls_policy_checks(const struct mtls_policy *p, X509 *leaf,
    STACK_OF(X509) *chain, struct mtls_decision *d)
{
	enum mtls_reason first = MTLS_OK, r;

	if (X509_get_extension_flags(leaf) & EXFLAG_INVALID) {
		mtls_check_add(d, "extensions", MTLS_CHECK_FAIL,
		    "malformed extensions");
		return MTLS_E_BAD_INPUT;
	}
	r = check_ca_leaf(leaf, d);
	first = first ? first : r;
	r = check_eku(p, leaf, d);
	first = first ? first : r;
	r = check_ca_eku(p, chain, d);
	first = first ? first : r;
	r = check_ku(p, leaf, d);
	first = first ? first : r;
	r = check_serials(leaf, chain, d);
	first = first ? first : r;
	r = check_chain_algs(p, leaf, chain, d);
	return first ? first : r;
}
