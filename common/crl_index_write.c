/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Building a CRL index from a parsed, verified CRL.  A CRL whose entries
 * OpenSSL would look up in a way the index cannot repeat (an entry longer
 * than 20 octets, a certificateIssuer entry, removeFromCRL, one serial
 * twice) is not indexed: it is parsed every time, as before. */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "crl_index.h"
#include "publish.h"
#include "safe_file.h"
#include "util.h"

int
mtls_crl_entry_reason(X509_REVOKED *rev)
{
	ASN1_ENUMERATED *e = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason,
	    NULL, NULL);
	long r = e ? ASN1_ENUMERATED_get(e) : 0;

	ASN1_ENUMERATED_free(e);
	return r >= 0 && r <= 10 ? (int)r : -1;
}

static const char *
fill_record(X509_REVOKED *rev, struct mtls_crlidx_record *r)
{
	struct tm tm;
	uint64_t t;
	int i, crit = 0, reason;
	void *ci;

	memset(r, 0, sizeof(*r));
	if (mtls_crl_index_key_of(X509_REVOKED_get0_serialNumber(rev),
	    r->key) != 0)
		return "an entry's serial is longer than 20 octets";
	if ((ci = X509_REVOKED_get_ext_d2i(rev, NID_certificate_issuer,
	    &crit, NULL)) != NULL || crit != -1) {
		GENERAL_NAMES_free(ci);
		return "an entry names a certificateIssuer";
	}
	if ((reason = mtls_crl_entry_reason(rev)) == 8)
		return "an entry says removeFromCRL";
	r->reason = reason < 0 ? 0xff : (uint8_t)reason;
	if (!ASN1_TIME_to_tm(X509_REVOKED_get0_revocationDate(rev), &tm))
		return "an unreadable revocationDate";
	t = (uint64_t)(int64_t)timegm(&tm);
	for (i = 0; i < 8; i++)
		r->revoked[i] = (uint8_t)(t >> (56 - 8 * i));
	return NULL;
}

static int
cmp_record(const void *a, const void *b)
{
	return memcmp(((const struct mtls_crlidx_record *)a)->key,
	    ((const struct mtls_crlidx_record *)b)->key,
	    sizeof(((const struct mtls_crlidx_record *)a)->key));
}

/* Sorted records with their check bytes; NULL with *why when the CRL is
 * not indexable (*why NULL: out of memory). */
static struct mtls_crlidx_record *
records(X509_CRL *crl, uint64_t *n, const char **why)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	struct mtls_crlidx_record *v;
	uint64_t i, num = revs != NULL ? (uint64_t)sk_X509_REVOKED_num(revs) :
	    0;	/* a CRL without entries has no list at all */

	*why = NULL;
	if ((v = calloc(num ? num : 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < num; i++)
		if ((*why = fill_record(sk_X509_REVOKED_value(revs, (int)i),
		    &v[i])) != NULL)
			goto bad;
	qsort(v, num, sizeof(*v), cmp_record);
	for (i = 0; i < num; i++) {
		if (i > 0 && cmp_record(&v[i - 1], &v[i]) == 0) {
			*why = "a serial is listed twice";
			goto bad;
		}
		if (mtls_crl_index_check(&v[i], i, v[i].check) != 0)
			goto bad;
	}
	*n = num;
	return v;
bad:
	free(v);
	return NULL;
}

/* Appends the DER of one header field to meta; -1 when it does not fit. */
static int
put_der(struct mtls_crlidx_header *h, size_t *used, uint32_t *len,
    unsigned char *der, int n)
{
	if (n < 0 || (size_t)n > sizeof(h->meta) - *used) {
		OPENSSL_free(der);
		return -1;
	}
	memcpy(h->meta + *used, der, (size_t)n);
	*used += (size_t)n;
	*len = (uint32_t)n;
	OPENSSL_free(der);
	return 0;
}

static const char *
fill_meta(X509_CRL *crl, struct mtls_crlidx_header *h)
{
	const STACK_OF(X509_EXTENSION) *exts = X509_CRL_get0_extensions(crl);
	unsigned char *der = NULL;
	size_t used = 0;
	int n;

	n = i2d_X509_NAME(X509_CRL_get_issuer(crl), &der);
	if (put_der(h, &used, &h->issuer_len, der, n) != 0)
		return "issuer name too long";
	der = NULL;
	n = i2d_ASN1_TIME(X509_CRL_get0_lastUpdate(crl), &der);
	if (put_der(h, &used, &h->thisupdate_len, der, n) != 0)
		return "unreadable thisUpdate";
	if (X509_CRL_get0_nextUpdate(crl) != NULL) {
		der = NULL;
		n = i2d_ASN1_TIME(X509_CRL_get0_nextUpdate(crl), &der);
		if (put_der(h, &used, &h->nextupdate_len, der, n) != 0)
			return "unreadable nextUpdate";
	}
	if (sk_X509_EXTENSION_num(exts) > 0) {
		der = NULL;
		n = i2d_X509_EXTENSIONS((X509_EXTENSIONS *)exts, &der);
		if (put_der(h, &used, &h->exts_len, der, n) != 0)
			return "CRL extensions too long";
	}
	return NULL;
}

static void
fill_identity(struct mtls_crlidx_header *h, const struct stat *st,
    const unsigned char sha[32], const unsigned char key[32])
{
	h->crl_dev = (uint64_t)st->st_dev;
	h->crl_ino = (uint64_t)st->st_ino;
	h->crl_size = (uint64_t)st->st_size;
	h->crl_mtime_sec = (int64_t)st->st_mtim.tv_sec;
	h->crl_mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
	h->crl_ctime_sec = (int64_t)st->st_ctim.tv_sec;
	h->crl_ctime_nsec = (int64_t)st->st_ctim.tv_nsec;
	memcpy(h->crl_sha256, sha, 32);
	memcpy(h->issuer_spki_sha256, key, 32);
}

int
mtls_crl_index_build(X509_CRL *crl, const unsigned char key[32],
    const struct stat *st, const unsigned char sha[32], unsigned char **out,
    size_t *outlen, char *why, size_t whysz)
{
	struct mtls_crlidx_header *h;
	struct mtls_crlidx_record *recs;
	const char *bad;
	uint64_t n = 0;
	unsigned int mdlen = 0;
	size_t len;

	*out = NULL;
	if ((recs = records(crl, &n, &bad)) == NULL) {
		mtls_fmt(why, whysz, "%s", bad ? bad : "out of memory");
		return bad ? 1 : -1;
	}
	len = sizeof(*h) + (size_t)n * sizeof(*recs);
	if ((h = calloc(1, len)) == NULL) {
		free(recs);
		mtls_fmt(why, whysz, "out of memory");
		return -1;
	}
	memcpy((unsigned char *)h + sizeof(*h), recs, (size_t)n *
	    sizeof(*recs));
	free(recs);
	if ((bad = fill_meta(crl, h)) != NULL) {
		free(h);
		mtls_fmt(why, whysz, "%s", bad);
		return 1;
	}
	memcpy(h->magic, MTLS_CRLIDX_MAGIC, 8);
	h->version = MTLS_CRLIDX_VERSION;
	h->header_size = sizeof(*h);
	h->record_size = sizeof(*recs);
	h->n_records = n;
	h->file_size = len;
	fill_identity(h, st, sha, key);
	if (!EVP_Digest(h, offsetof(struct mtls_crlidx_header, header_sha256),
	    h->header_sha256, &mdlen, EVP_sha256(), NULL)) {
		free(h);
		mtls_fmt(why, whysz, "SHA-256 failed");
		return -1;
	}
	*out = (unsigned char *)h;
	*outlen = len;
	return 0;
}

int
mtls_crl_index_write(const char *dir, const char *crl_path, X509_CRL *crl,
    const unsigned char key[32], const struct stat *st,
    const unsigned char sha[32], char *why, size_t whysz)
{
	char resolved[4096], path[4200];
	struct stat dst;
	unsigned char *buf;
	size_t len;
	int rc;

	/* Only into a directory the readers will trust, and only when this
	 * process may write there (mtls-auth as www-data just parses). */
	if (mtls_safe_path(dir, MTLS_SAFE_DIR, resolved, sizeof(resolved),
	    &dst, why, whysz) != 0)
		return -1;
	if (access(resolved, W_OK) != 0) {
		mtls_fmt(why, whysz, "%s: not writable by this process", dir);
		return -1;
	}
	if (mtls_crl_index_name(resolved, crl_path, path, sizeof(path)) != 0) {
		mtls_fmt(why, whysz, "%s: index name too long", dir);
		return -1;
	}
	if ((rc = mtls_crl_index_build(crl, key, st, sha, &buf, &len, why,
	    whysz)) != 0)
		return rc;
	rc = mtls_publish(resolved, strrchr(path, '/') + 1, buf, len, 0644,
	    why, whysz);
	free(buf);
	return rc;
}
