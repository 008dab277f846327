/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Collecting the CAs of a configuration.  ca_file and intermediates_file
 * were parsed by the config loader; a CA directory is read the way
 * OpenSSL's hash lookup reads it: only HASH.N names count. */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "ca_list.h"
#include "identity.h"
#include "safe_file.h"
#include "util.h"

#define CA_FILE_MAX (1024 * 1024)
#define CA_MAX 1024

static int
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Two policies that would fetch, keep and check this CA's CRL alike. */
static int
same_sources(const struct mtls_policy *a, const struct mtls_policy *b)
{
	return same_str(a->crl_file, b->crl_file) &&
	    same_str(a->crl_dir, b->crl_dir) &&
	    same_str(a->crl_url, b->crl_url) &&
	    ca_policy_uses_crl(a) == ca_policy_uses_crl(b);
}

static int
add(struct ca_list *l, X509 *x, const struct mtls_policy *p,
    const char *key)
{
	unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int mdlen = 0;
	struct ca_ent *v, *e;
	int len;
	char kid[9];
	size_t i;

	for (i = 0; i < l->n; i++)
		if (X509_cmp(l->v[i].cert, x) == 0 &&
		    same_sources(l->v[i].p, p))
			return 0;
	if (l->n == CA_MAX ||
	    (v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL)
		return -1;
	l->v = v;
	e = &v[l->n];
	memset(e, 0, sizeof(*e));
	/* SHA-256 of the whole SubjectPublicKeyInfo, as `openssl x509
	 * -pubkey | openssl pkey -pubin -outform DER | sha256sum` prints. */
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	if (len <= 0 || !EVP_Digest(der, (size_t)len, md, &mdlen,
	    EVP_sha256(), NULL) || mdlen < 4 || !X509_up_ref(x)) {
		OPENSSL_free(der);
		return -1;
	}
	OPENSSL_free(der);
	e->cert = x;
	e->p = p;
	e->key = key;
	mtls_dn_string(X509_get_subject_name(x), e->subject,
	    sizeof(e->subject));
	mtls_fmt(e->hash, sizeof(e->hash), "%08lx",
	    X509_subject_name_hash(x));
	/* The key too: a CA renewed under the same name keeps both CRLs. */
	mtls_hex(md, 4, kid, sizeof(kid), 0);
	mtls_fmt(e->stem, sizeof(e->stem), "%s-%s", e->hash, kid);
	l->n++;
	return 0;
}

static int
add_stack(struct ca_list *l, STACK_OF(X509) *sk, const struct mtls_policy *p,
    const char *key)
{
	int i;

	for (i = 0; i < sk_X509_num(sk); i++)
		if (add(l, sk_X509_value(sk, i), p, key) != 0)
			return -1;
	return 0;
}

/* OpenSSL's hash directory names: 8 hex digits, a dot, a number. */
static int
hash_name(const char *s)
{
	return strlen(s) > 9 && strspn(s, "0123456789abcdef") == 8 &&
	    s[8] == '.' && strspn(s + 9, "0123456789") == strlen(s + 9);
}

static int
add_file(struct ca_list *l, const char *path, const struct mtls_policy *p,
    char *err, size_t errsz)
{
	char real[PATH_MAX], *text = NULL;
	size_t len;
	BIO *bio = NULL;
	X509 *x = NULL;
	int rc = -1;

	/* c_rehash links: the safe reader refuses a final symlink. */
	if (realpath(path, real) == NULL) {
		mtls_fmt(err, errsz, "%s: cannot resolve", path);
		return -1;
	}
	if (mtls_read_file(real, CA_FILE_MAX, MTLS_FILE_TRUSTED |
	    MTLS_FILE_TEXT, &text, &len, err, errsz) != 0)
		return -1;
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL ||
	    (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) == NULL)
		mtls_fmt(err, errsz, "%s: not a PEM certificate", path);
	else if ((rc = add(l, x, p, "ca_dir")) != 0)
		mtls_fmt(err, errsz, "out of memory");
	ERR_clear_error();
	X509_free(x);
	BIO_free(bio);
	free(text);
	return rc;
}

static int
add_dir(struct ca_list *l, const struct mtls_policy *p, char *err,
    size_t errsz)
{
	char path[4200];
	struct dirent *de;
	DIR *d = opendir(p->ca_dir);
	int rc = 0;

	if (d == NULL) {
		mtls_fmt(err, errsz, "%s: cannot open", p->ca_dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!hash_name(de->d_name))
			continue;
		mtls_fmt(path, sizeof(path), "%s/%s", p->ca_dir, de->d_name);
		rc = add_file(l, path, p, err, errsz);
	}
	closedir(d);
	return rc;
}

static int
add_policy(struct ca_list *l, const struct mtls_policy *p, char *err,
    size_t errsz)
{
	/* The store holds ca_file's certificates: nothing has been looked
	 * up in ca_dir yet. */
	STACK_OF(X509) *anchors = X509_STORE_get1_all_certs(p->store);
	int rc;

	if (anchors == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		return -1;
	}
	rc = add_stack(l, anchors, p, "ca_file");
	sk_X509_pop_free(anchors, X509_free);
	if (rc == 0 && p->intermediates != NULL)
		rc = add_stack(l, p->intermediates, p, "intermediates_file");
	if (rc != 0) {
		mtls_fmt(err, errsz, "out of memory");
		return -1;
	}
	return p->ca_dir != NULL ? add_dir(l, p, err, errsz) : 0;
}

int
ca_list_load(const struct mtls_cfg *cfg, struct ca_list *l, char *err,
    size_t errsz)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	if (add_policy(l, &cfg->global, err, errsz) != 0)
		goto fail;
	for (i = 0; i < cfg->n_profiles; i++)
		if (add_policy(l, &cfg->profiles[i], err, errsz) != 0)
			goto fail;
	return 0;
fail:
	ca_list_free(l);
	return -1;
}

void
ca_list_free(struct ca_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		X509_free(l->v[i].cert);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* crl_url for this CA, else the http:// URIs of its distribution points. */
size_t
ca_crl_urls(const struct ca_ent *ca, char urls[][MTLS_CRL_URL_MAX],
    size_t max)
{
	STACK_OF(DIST_POINT) *dps;
	size_t n = 0;
	int i, j;

	if (mtls_crl_url_find(ca->p->crl_url, ca->hash, urls[0],
	    MTLS_CRL_URL_MAX))
		return 1;
	dps = X509_get_ext_d2i(ca->cert, NID_crl_distribution_points, NULL,
	    NULL);
	for (i = 0; i < sk_DIST_POINT_num(dps) && n < max; i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(dps, i);
		GENERAL_NAMES *gns;

		if (dp->distpoint == NULL || dp->distpoint->type != 0)
			continue;
		gns = dp->distpoint->name.fullname;
		for (j = 0; j < sk_GENERAL_NAME_num(gns) && n < max;
		    j++) {
			GENERAL_NAME *gn = sk_GENERAL_NAME_value(gns, j);
			const char *u;

			if (gn->type != GEN_URI)
				continue;
			u = (const char *)ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier);
			if (strncmp(u, "http://", 7) == 0 && !mtls_has_ctl(u) &&
			    mtls_strlcpy(urls[n], u, MTLS_CRL_URL_MAX) == 0)
				n++;
		}
	}
	sk_DIST_POINT_pop_free(dps, DIST_POINT_free);
	return n;
}

int
ca_policy_uses_crl(const struct mtls_policy *p)
{
	size_t i;

	for (i = 0; i < p->n_revocation; i++)
		if (p->revocation[i] == MTLS_REV_CRL)
			return 1;
	return 0;
}

const char *
ca_policy_name(const struct mtls_policy *p)
{
	return p->name[0] != '\0' ? p->name : "global";
}
