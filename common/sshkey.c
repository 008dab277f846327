/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The SSH wire format (RFC 4253 section 6.6, RFC 5656, RFC 8709): strings
 * and mpints with 32-bit lengths.  The key values come from OpenSSL. */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "sshkey.h"
#include "util.h"

struct blob {
	unsigned char b[2048];
	size_t len;
	int overflow;
};

static void
put_bytes(struct blob *w, const unsigned char *p, size_t n)
{
	if (w->len + 4 + n > sizeof(w->b)) {
		w->overflow = 1;
		return;
	}
	w->b[w->len++] = (unsigned char)(n >> 24);
	w->b[w->len++] = (unsigned char)(n >> 16);
	w->b[w->len++] = (unsigned char)(n >> 8);
	w->b[w->len++] = (unsigned char)n;
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void
put_str(struct blob *w, const char *s)
{
	put_bytes(w, (const unsigned char *)s, strlen(s));
}

/* mpint: big-endian, a leading zero when the top bit is set. */
static int
put_mpint(struct blob *w, const BIGNUM *bn)
{
	unsigned char buf[1100];
	int n = BN_num_bytes(bn);

	if (n < 0 || (size_t)n + 1 > sizeof(buf))
		return -1;
	buf[0] = 0;
	BN_bn2bin(bn, buf + 1);
	if (n > 0 && (buf[1] & 0x80))
		put_bytes(w, buf, (size_t)n + 1);
	else
		put_bytes(w, buf + 1, (size_t)n);
	return 0;
}

static int
rsa_blob(EVP_PKEY *pk, struct blob *w, const char **type)
{
	BIGNUM *n = NULL, *e = NULL;
	int rc = -1;

	if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) &&
	    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e)) {
		*type = "ssh-rsa";
		put_str(w, *type);
		rc = put_mpint(w, e) | put_mpint(w, n);
	}
	BN_free(n);
	BN_free(e);
	return rc;
}

static int
ec_blob(EVP_PKEY *pk, struct blob *w, const char **type)
{
	static const struct { const char *group, *type, *curve; } curves[] = {
		{ "prime256v1", "ecdsa-sha2-nistp256", "nistp256" },
		{ "secp384r1", "ecdsa-sha2-nistp384", "nistp384" },
		{ "secp521r1", "ecdsa-sha2-nistp521", "nistp521" },
	};
	unsigned char pt[200];
	char group[64];
	size_t i, len = 0;

	if (!EVP_PKEY_get_group_name(pk, group, sizeof(group), NULL) ||
	    !EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, pt,
	    sizeof(pt), &len) || len == 0 || pt[0] != 0x04)
		return -1;	/* OpenSSH wants an uncompressed point */
	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
		if (strcmp(group, curves[i].group) == 0) {
			*type = curves[i].type;
			put_str(w, *type);
			put_str(w, curves[i].curve);
			put_bytes(w, pt, len);
			return 0;
		}
	}
	return -1;
}

static int
ed25519_blob(EVP_PKEY *pk, struct blob *w, const char **type)
{
	unsigned char raw[32];
	size_t len = sizeof(raw);

	if (!EVP_PKEY_get_raw_public_key(pk, raw, &len) || len != 32)
		return -1;
	*type = "ssh-ed25519";
	put_str(w, *type);
	put_bytes(w, raw, len);
	return 0;
}

int
mtls_ssh_pubkey(X509 *x, char *out, size_t outsz)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	struct blob w = { { 0 }, 0, 0 };
	char b64[2800];
	const char *type = NULL;
	int rc;

	if (pk == NULL)
		return -1;
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		rc = rsa_blob(pk, &w, &type);
		break;
	case EVP_PKEY_EC:
		rc = ec_blob(pk, &w, &type);
		break;
	case EVP_PKEY_ED25519:
		rc = ed25519_blob(pk, &w, &type);
		break;
	default:
		return -1;
	}
	if (rc != 0 || w.overflow || 4 * ((w.len + 2) / 3) + 1 > sizeof(b64))
		return -1;
	EVP_EncodeBlock((unsigned char *)b64, w.b, (int)w.len);
	mtls_fmt(out, outsz, "%s %s", type, b64);
	return strlen(out) + 1 < outsz ? 0 : -1;
}
