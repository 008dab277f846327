/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "identity.h"
#include "util.h"

#define UPN_OID "1.3.6.1.4.1.311.20.2.3"

void
mtls_dn_string(const X509_NAME *name, char *out, size_t outsz)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_get_mem_data(b, &p)) > 0)
		mtls_fmt(out, outsz, "%.*s", (int)n, p);
	BIO_free(b);
}

int
mtls_serial_hex(X509 *x, char *out, size_t outsz)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	int rc = hex ? mtls_strlcpy(out, hex, outsz) : -1;

	OPENSSL_free(hex);
	BN_free(bn);
	return rc;
}

int
mtls_sha256_hex(X509 *x, char *out, size_t outsz)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!X509_digest(x, EVP_sha256(), md, &len))
		return -1;
	mtls_hex(md, len, out, outsz, 0);
	return 0;
}

void
mtls_asn1_time_string(const ASN1_TIME *t, char *out, size_t outsz)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		mtls_strlcpy(out, "-", outsz);
	else
		mtls_format_time(timegm(&tm), out, outsz);
}

/* Adds an ASN.1 string as UTF-8; -1 when it holds a NUL or control byte. */
static int
push_asn1(struct mtls_values *out, const ASN1_STRING *s)
{
	unsigned char *utf8 = NULL;
	int len;

	if (out->n == MTLS_VALUES_MAX) {
		out->too_many = 1;
		return -1;
	}
	len = ASN1_STRING_to_UTF8(&utf8, s);
	if (len < 0)
		return -1;
	if ((size_t)len > MTLS_VALUE_MAX || strlen((char *)utf8) !=
	    (size_t)len || mtls_has_ctl((char *)utf8)) {
		OPENSSL_free(utf8);
		return -1;
	}
	out->v[out->n] = strdup((char *)utf8);
	OPENSSL_free(utf8);
	if (out->v[out->n] == NULL)
		return -1;
	out->n++;
	return 0;
}

static int
push_str(struct mtls_values *out, const char *s)
{
	if (out->n == MTLS_VALUES_MAX) {
		out->too_many = 1;
		return -1;
	}
	if ((out->v[out->n] = strdup(s)) == NULL)
		return -1;
	out->n++;
	return 0;
}

static int
name_entries(X509_NAME *name, int nid, struct mtls_values *out)
{
	int i = -1;

	while ((i = X509_NAME_get_index_by_NID(name, nid, i)) >= 0) {
		X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);

		if (push_asn1(out, X509_NAME_ENTRY_get_data(e)) != 0)
			return -1;
	}
	return 0;
}

static int
is_upn(const GENERAL_NAME *g, ASN1_TYPE **val)
{
	ASN1_OBJECT *oid = NULL;
	char buf[64];

	if (!GENERAL_NAME_get0_otherName(g, &oid, val) ||
	    OBJ_obj2txt(buf, sizeof(buf), oid, 1) <= 0)
		return 0;
	return strcmp(buf, UPN_OID) == 0;
}

/* SAN entries of one GENERAL_NAME type (or UPN otherNames). */
static int
san_entries(X509 *x, enum mtls_source src, struct mtls_values *out)
{
	GENERAL_NAMES *gens;
	int i, rc = 0, crit = 0, want;

	want = src == MTLS_SRC_EMAIL ? GEN_EMAIL : src == MTLS_SRC_DNS ?
	    GEN_DNS : src == MTLS_SRC_URI ? GEN_URI : GEN_OTHERNAME;
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	if (gens == NULL)
		return crit == -1 ? 0 : -1;
	for (i = 0; rc == 0 && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		ASN1_TYPE *val = NULL;

		if (g->type != want)
			continue;
		if (want != GEN_OTHERNAME)
			rc = push_asn1(out, g->d.ia5);
		else if (is_upn(g, &val))
			rc = val->type == V_ASN1_UTF8STRING ?
			    push_asn1(out, val->value.utf8string) : -1;
	}
	GENERAL_NAMES_free(gens);
	return rc;
}

static int
one_value(X509 *x, enum mtls_source src, struct mtls_values *out)
{
	char buf[1200], serial[128];

	switch (src) {
	case MTLS_SRC_SUBJECT:
		mtls_dn_string(X509_get_subject_name(x), buf, sizeof(buf));
		return buf[0] ? push_str(out, buf) : -1;
	case MTLS_SRC_FINGERPRINT:
		if (mtls_sha256_hex(x, buf, sizeof(buf)) != 0)
			return -1;
		return push_str(out, buf);
	case MTLS_SRC_ISSUER_SERIAL:
		if (mtls_serial_hex(x, serial, sizeof(serial)) != 0)
			return -1;
		mtls_dn_string(X509_get_issuer_name(x), buf, sizeof(buf));
		{
			char both[1400];

			mtls_fmt(both, sizeof(both), "%s/%s", serial, buf);
			return push_str(out, both);
		}
	default:
		return -1;
	}
}

enum mtls_reason
mtls_identity_values(X509 *x, enum mtls_source src, struct mtls_values *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	switch (src) {
	case MTLS_SRC_CN:
		rc = name_entries(X509_get_subject_name(x), NID_commonName,
		    out);
		break;
	case MTLS_SRC_EMAIL:
		/* The legacy subject attribute only stands in when the
		 * certificate has no SAN address (RFC 5280 4.2.1.6). */
		rc = san_entries(x, src, out);
		if (rc == 0 && out->n == 0)
			rc = name_entries(X509_get_subject_name(x),
			    NID_pkcs9_emailAddress, out);
		break;
	case MTLS_SRC_UPN:
	case MTLS_SRC_DNS:
	case MTLS_SRC_URI:
		rc = san_entries(x, src, out);
		break;
	default:
		rc = one_value(x, src, out);
		break;
	}
	if (rc != 0) {
		int too_many = out->too_many;

		mtls_values_free(out);
		out->too_many = too_many;
		return MTLS_E_BAD_INPUT;
	}
	return MTLS_OK;
}

void
mtls_values_free(struct mtls_values *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	v->n = 0;
}
