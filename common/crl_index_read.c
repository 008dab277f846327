/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Reading a CRL index: trust checks, header checks, binary search.  Every
 * count and length comes from a file we did not write in this process, so
 * each is checked against the file before use. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "crl_index.h"
#include "safe_file.h"
#include "util.h"

/* Records are read with pread from the file (fd), or from a caller's
 * buffer (recs, fd -1).  Not mmap: on kernels that keep file pages in
 * large folios a fault maps the whole folio, and the twenty probes of one
 * lookup in a 40 MB index cost a login some 10 MB of resident memory; an
 * index truncated under a mapping would also be SIGBUS, not an error. */
struct mtls_crl_index {
	int fd;
	const unsigned char *recs;
	struct mtls_crlidx_header h;	/* aligned copy */
	uint64_t n;
	X509_CRL *skel;
};

int
mtls_crl_index_name(const char *dir, const char *crl_path, char *out,
    size_t outsz)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	char hex[65];

	if (!EVP_Digest(crl_path, strlen(crl_path), md, &mdlen, EVP_sha256(),
	    NULL) || mdlen != 32)
		return -1;
	mtls_hex(md, 32, hex, sizeof(hex), 0);
	if (strlen(dir) + 1 + 64 + strlen(MTLS_CRLIDX_SUFFIX) >= outsz)
		return -1;
	mtls_fmt(out, outsz, "%s/%s%s", dir, hex, MTLS_CRLIDX_SUFFIX);
	return 0;
}

int
mtls_crl_index_check(const struct mtls_crlidx_record *rec, uint64_t pos,
    uint8_t out[8])
{
	unsigned char buf[offsetof(struct mtls_crlidx_record, check) + 8];
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t i, off = offsetof(struct mtls_crlidx_record, check);

	memcpy(buf, rec, off);
	for (i = 0; i < 8; i++)
		buf[off + i] = (unsigned char)(pos >> (56 - 8 * i));
	if (!EVP_Digest(buf, sizeof(buf), md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen != 32)
		return -1;
	memcpy(out, md, 8);
	return 0;
}

int
mtls_crl_index_key_of(const ASN1_INTEGER *serial,
    uint8_t key[2 + MTLS_CRLIDX_SERIAL_MAX])
{
	int len = ASN1_STRING_length(serial);

	if (len < 0 || len > MTLS_CRLIDX_SERIAL_MAX)
		return -1;
	memset(key, 0, 2 + MTLS_CRLIDX_SERIAL_MAX);
	key[0] = (uint8_t)len;
	memcpy(key + 1 + MTLS_CRLIDX_SERIAL_MAX - len,
	    ASN1_STRING_get0_data(serial), (size_t)len);
	key[1 + MTLS_CRLIDX_SERIAL_MAX] =
	    ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER;
	return 0;
}

/* The CRL's header fields, from their DER in the index header; each
 * must decode exactly to its stated length. */
static X509_CRL *
skeleton(const struct mtls_crlidx_header *h)
{
	const unsigned char *p = h->meta, *end;
	X509_CRL *crl = X509_CRL_new();
	X509_NAME *name = NULL;
	ASN1_TIME *t = NULL;
	STACK_OF(X509_EXTENSION) *exts = NULL;
	int i, ok = 0;

	if (crl == NULL)
		return NULL;
	end = p + h->issuer_len;
	if ((name = d2i_X509_NAME(NULL, &p, h->issuer_len)) == NULL ||
	    p != end || !X509_CRL_set_issuer_name(crl, name))
		goto out;
	end = p + h->thisupdate_len;
	if ((t = d2i_ASN1_TIME(NULL, &p, h->thisupdate_len)) == NULL ||
	    p != end || !X509_CRL_set1_lastUpdate(crl, t))
		goto out;
	ASN1_TIME_free(t);
	t = NULL;
	end = p + h->nextupdate_len;
	if (h->nextupdate_len > 0 && ((t = d2i_ASN1_TIME(NULL, &p,
	    h->nextupdate_len)) == NULL || p != end ||
	    !X509_CRL_set1_nextUpdate(crl, t)))
		goto out;
	end = p + h->exts_len;
	if (h->exts_len > 0 && ((exts = d2i_X509_EXTENSIONS(NULL, &p,
	    h->exts_len)) == NULL || p != end))
		goto out;
	for (i = 0; i < sk_X509_EXTENSION_num(exts); i++)
		if (!X509_CRL_add_ext(crl, sk_X509_EXTENSION_value(exts, i),
		    -1))
			goto out;
	ok = 1;
out:
	X509_NAME_free(name);
	ASN1_TIME_free(t);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	if (!ok) {
		X509_CRL_free(crl);
		return NULL;
	}
	return crl;
}

static const char *
header_problem(const struct mtls_crlidx_header *h, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	uint64_t room;

	if (memcmp(h->magic, MTLS_CRLIDX_MAGIC, 8) != 0)
		return "not a CRL index";
	if (h->version != MTLS_CRLIDX_VERSION)
		return "another format version";
	if (!EVP_Digest(h, offsetof(struct mtls_crlidx_header, header_sha256),
	    md, &mdlen, EVP_sha256(), NULL) || mdlen != 32 ||
	    memcmp(md, h->header_sha256, 32) != 0)
		return "header damaged (checksum)";
	if (h->header_size != sizeof(*h) ||
	    h->record_size != sizeof(struct mtls_crlidx_record) ||
	    h->flags != 0 || h->file_size != len)
		return "header does not describe this file";
	room = (len - sizeof(*h)) / sizeof(struct mtls_crlidx_record);
	if (h->n_records > room || sizeof(*h) + h->n_records *
	    sizeof(struct mtls_crlidx_record) != len)
		return "truncated or padded";
	if (h->issuer_len == 0 || h->thisupdate_len == 0 ||
	    h->issuer_len > MTLS_CRLIDX_META_MAX ||
	    h->thisupdate_len > MTLS_CRLIDX_META_MAX ||
	    h->nextupdate_len > MTLS_CRLIDX_META_MAX ||
	    h->exts_len > MTLS_CRLIDX_META_MAX ||
	    (uint64_t)h->issuer_len + h->thisupdate_len + h->nextupdate_len +
	    h->exts_len > MTLS_CRLIDX_META_MAX)
		return "bad header field lengths";
	return NULL;
}

static int
same_crl(const struct mtls_crlidx_header *h, const struct stat *st)
{
	return h->crl_dev == (uint64_t)st->st_dev &&
	    h->crl_ino == (uint64_t)st->st_ino &&
	    h->crl_size == (uint64_t)st->st_size &&
	    h->crl_mtime_sec == (int64_t)st->st_mtim.tv_sec &&
	    h->crl_mtime_nsec == (int64_t)st->st_mtim.tv_nsec &&
	    h->crl_ctime_sec == (int64_t)st->st_ctim.tv_sec &&
	    h->crl_ctime_nsec == (int64_t)st->st_ctim.tv_nsec;
}

/* The index whose header is at hdr, of a file of len bytes. */
static struct mtls_crl_index *
index_new(const void *hdr, size_t len, const struct stat *crl_st, char *why,
    size_t whysz)
{
	struct mtls_crl_index *ix;
	const char *bad;

	if (len < sizeof(struct mtls_crlidx_header)) {
		mtls_fmt(why, whysz, "truncated header");
		return NULL;
	}
	if ((ix = calloc(1, sizeof(*ix))) == NULL) {
		mtls_fmt(why, whysz, "out of memory");
		return NULL;
	}
	ix->fd = -1;
	memcpy(&ix->h, hdr, sizeof(ix->h));
	if ((bad = header_problem(&ix->h, len)) == NULL && crl_st != NULL &&
	    !same_crl(&ix->h, crl_st))
		bad = "made from another version of the CRL file";
	if (bad == NULL && (ix->skel = skeleton(&ix->h)) == NULL)
		bad = "undecodable CRL header fields";
	if (bad != NULL) {
		mtls_fmt(why, whysz, "%s", bad);
		mtls_crl_index_close(ix);
		return NULL;
	}
	ix->n = ix->h.n_records;
	return ix;
}

struct mtls_crl_index *
mtls_crl_index_from_mem(const void *p, size_t len, const struct stat *crl_st,
    char *why, size_t whysz)
{
	struct mtls_crl_index *ix;

	if ((ix = index_new(p, len, crl_st, why, whysz)) != NULL)
		ix->recs = (const unsigned char *)p +
		    sizeof(struct mtls_crlidx_header);
	return ix;
}

/* Opens the index file read-only after the path walk said it is ours,
 * and makes sure the descriptor is the file that was walked. */
static int
open_trusted(const char *path, struct stat *st, char *why, size_t whysz)
{
	char resolved[4096], err[512];
	struct stat fst;
	int fd;

	if (mtls_safe_path(path, MTLS_SAFE_FILE, resolved, sizeof(resolved),
	    st, err, sizeof(err)) != 0) {
		mtls_fmt(why, whysz, "%s", err);
		return -1;
	}
	if ((fd = open(resolved, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0) {
		mtls_fmt(why, whysz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) ||
	    fst.st_dev != st->st_dev || fst.st_ino != st->st_ino ||
	    (fst.st_uid != 0 && fst.st_uid != geteuid()) ||
	    (fst.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		mtls_fmt(why, whysz, "%s: changed while opened, or not ours",
		    path);
		close(fd);
		return -1;
	}
	*st = fst;
	return fd;
}

struct mtls_crl_index *
mtls_crl_index_open(const char *dir, const char *crl_path,
    const struct stat *crl_st, char *why, size_t whysz)
{
	struct mtls_crl_index *ix;
	struct mtls_crlidx_header *h;
	struct stat st;
	char path[4200], msg[256];
	int fd;

	if (mtls_crl_index_name(dir, crl_path, path, sizeof(path)) != 0) {
		mtls_fmt(why, whysz, "%s: index name too long", dir);
		return NULL;
	}
	if (access(path, F_OK) != 0) {
		mtls_fmt(why, whysz, "%s: no index", path);
		return NULL;
	}
	if ((fd = open_trusted(path, &st, why, whysz)) < 0)
		return NULL;
	if ((h = malloc(sizeof(*h))) == NULL ||
	    st.st_size < (off_t)sizeof(*h) ||
	    pread(fd, h, sizeof(*h), 0) != (ssize_t)sizeof(*h)) {
		free(h);
		close(fd);
		mtls_fmt(why, whysz, "%s: truncated header", path);
		return NULL;
	}
	ix = index_new(h, (size_t)st.st_size, crl_st, msg, sizeof(msg));
	free(h);
	if (ix == NULL) {
		close(fd);
		mtls_fmt(why, whysz, "%s: %s", path, msg);
		return NULL;
	}
	ix->fd = fd;
	return ix;
}

void
mtls_crl_index_close(struct mtls_crl_index *ix)
{
	if (ix == NULL)
		return;
	if (ix->fd >= 0)
		close(ix->fd);
	X509_CRL_free(ix->skel);
	free(ix);
}

X509_CRL *
mtls_crl_index_crl(const struct mtls_crl_index *ix)
{
	return ix->skel;
}

const unsigned char *
mtls_crl_index_key(const struct mtls_crl_index *ix)
{
	return ix->h.issuer_spki_sha256;
}

uint64_t
mtls_crl_index_count(const struct mtls_crl_index *ix)
{
	return ix->n;
}

/* Record pos, copied out (a buffer need not be aligned for us), or -1
 * when its check bytes or padding say it is damaged. */
static int
record_at(const struct mtls_crl_index *ix, uint64_t pos,
    struct mtls_crlidx_record *r)
{
	uint8_t chk[8];

	if (ix->fd < 0)
		memcpy(r, ix->recs + pos * sizeof(*r), sizeof(*r));
	else if (pread(ix->fd, r, sizeof(*r), (off_t)(sizeof(ix->h) +
	    pos * sizeof(*r))) != (ssize_t)sizeof(*r))
		return -1;	/* truncated since it was opened */
	if (mtls_crl_index_check(r, pos, chk) != 0 ||
	    memcmp(chk, r->check, 8) != 0 || r->pad != 0)
		return -1;
	return 0;
}

static time_t
be64_time(const uint8_t b[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return (time_t)(int64_t)v;
}

/* Binary search that trusts nothing it has not checked: each visited
 * record must be whole and lie strictly between the records that bound
 * the search so far. */
int
mtls_crl_index_lookup(const struct mtls_crl_index *ix,
    const ASN1_INTEGER *serial, time_t *when, int *reason)
{
	struct mtls_crlidx_record r, lo_r, hi_r;
	uint8_t key[sizeof(r.key)];
	uint64_t lo = 0, hi = ix->n, mid;
	int have_lo = 0, have_hi = 0, c;

	if (mtls_crl_index_key_of(serial, key) != 0)
		return 0;	/* longer than any serial the index holds */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (record_at(ix, mid, &r) != 0 ||
		    (have_lo && memcmp(r.key, lo_r.key, sizeof(key)) <= 0) ||
		    (have_hi && memcmp(r.key, hi_r.key, sizeof(key)) >= 0))
			return -1;
		if ((c = memcmp(key, r.key, sizeof(key))) == 0) {
			*when = be64_time(r.revoked);
			*reason = r.reason <= 10 ? r.reason : -1;
			return 1;
		}
		if (c < 0) {
			hi = mid;
			hi_r = r;
			have_hi = 1;
		} else {
			lo = mid + 1;
			lo_r = r;
			have_lo = 1;
		}
	}
	return 0;
}

/* The SHA-256 of the file's bytes, read in blocks (a CRL may be 512 MB). */
static int
file_sha256(const char *path, unsigned char out[32])
{
	unsigned char buf[65536];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	ssize_t got;
	int fd, ok;

	if (ctx == NULL || (fd = open(path, O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC)) < 0) {
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while (ok && (got = read(fd, buf, sizeof(buf))) > 0)
		ok = EVP_DigestUpdate(ctx, buf, (size_t)got);
	ok = ok && got == 0 && EVP_DigestFinal_ex(ctx, out, &n) && n == 32;
	close(fd);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
mtls_crl_index_audit(const char *dir, const char *crl_path, char *why,
    size_t whysz)
{
	struct mtls_crl_index *ix;
	unsigned char sha[32];
	struct stat st;
	int rc;

	if (stat(crl_path, &st) != 0) {
		mtls_fmt(why, whysz, "%s: cannot stat", crl_path);
		return 0;
	}
	if ((ix = mtls_crl_index_open(dir, crl_path, &st, why, whysz)) == NULL)
		return 0;
	if (file_sha256(crl_path, sha) != 0) {
		mtls_fmt(why, whysz, "%s: cannot read", crl_path);
		rc = 0;
	} else if (memcmp(sha, ix->h.crl_sha256, 32) != 0) {
		mtls_fmt(why, whysz, "the index of %s does not match the "
		    "file's bytes (the file changed without changing its "
		    "identity); run mtls-crl-fetch --index-only", crl_path);
		rc = -1;
	} else
		rc = 1;
	mtls_crl_index_close(ix);
	return rc;
}
