/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crl_cache.h"
#include "crl_index.h"
#include "identity.h"
#include "safe_file.h"
#include "util.h"

#define CACHE_SLOTS 64
#define VERIFY_MEMO 4

struct verify_memo {
	unsigned char key[32];	/* SHA-256 of the issuer's SPKI */
	int ok;
};

/* A parsed file (crls), or the index of a one-CRL file (ix, with crls
 * holding the CRL rebuilt without its entries).  An indexed set parses
 * the file itself (full) only when asked about another issuer key or when
 * a damaged index record sends it back. */
struct mtls_crl_set {
	char path[4096];
	struct mtls_file_id id;		/* version read; id.path unused */
	struct stat st;			/* the same, with ctime */
	STACK_OF(X509_CRL) *crls;
	int refs;			/* under cache_lock */
	pthread_mutex_t memo_lock;
	struct verify_memo (*memo)[VERIFY_MEMO];
	int *n_memo;
	/* Parsed sets that may publish an index (under memo_lock). */
	char *index_dir;
	unsigned char sha[32];
	int stable;			/* unchanged while read */
	int written;
	/* Indexed sets. */
	struct mtls_crl_index *ix;
	struct mtls_crl_set *full;	/* under memo_lock */
	int full_tried;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mtls_crl_set *cache[CACHE_SLOTS];

static void
set_free(struct mtls_crl_set *s)
{
	if (s->ix == NULL)
		sk_X509_CRL_pop_free(s->crls, X509_CRL_free);
	else
		sk_X509_CRL_free(s->crls);	/* the index owns the CRL */
	mtls_crl_index_close(s->ix);
	mtls_crl_set_put(s->full);
	free(s->index_dir);
	pthread_mutex_destroy(&s->memo_lock);
	free(s->memo);
	free(s->n_memo);
	free(s);
}

static int
parse(const char *path, const char *buf, size_t len, STACK_OF(X509_CRL) *sk,
    char *err, size_t errsz)
{
	const unsigned char *p = (const unsigned char *)buf;
	X509_CRL *crl;
	BIO *bio;

	if (len > 0 && (unsigned char)buf[0] == 0x30) {
		crl = d2i_X509_CRL(NULL, &p, (long)len);
		if (crl == NULL || p != (const unsigned char *)buf + len) {
			X509_CRL_free(crl);
			mtls_fmt(err, errsz, "%s: not a DER CRL", path);
			return -1;
		}
		return sk_X509_CRL_push(sk, crl) ? 0 : -1;
	}
	if ((bio = BIO_new_mem_buf(buf, (int)len)) == NULL)
		return -1;
	ERR_clear_error();
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_CRL_push(sk, crl)) {
			X509_CRL_free(crl);
			break;
		}
	BIO_free(bio);
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE ||
	    sk_X509_CRL_num(sk) == 0) {
		mtls_fmt(err, errsz, "%s: damaged or empty CRL file", path);
		ERR_clear_error();
		return -1;
	}
	ERR_clear_error();
	return 0;
}

static int
memo_alloc(struct mtls_crl_set *s, size_t n)
{
	s->memo = calloc(n, sizeof(*s->memo));
	s->n_memo = calloc(n, sizeof(*s->n_memo));
	return s->memo != NULL && s->n_memo != NULL ? 0 : -1;
}

/* The bytes' SHA-256 goes into the index (for audits), so it is taken
 * only by a set that may write one. */
static struct mtls_crl_set *
load(const char *path, const struct stat *st, const char *index_dir,
    char *err, size_t errsz)
{
	struct mtls_crl_set *s = calloc(1, sizeof(*s));
	unsigned int mdlen = 0;
	char *buf = NULL;
	size_t len;

	if (s == NULL || (s->crls = sk_X509_CRL_new_null()) == NULL)
		goto fail;
	pthread_mutex_init(&s->memo_lock, NULL);
	if (mtls_read_file(path, (size_t)MTLS_CRL_FILE_MAX, MTLS_FILE_TRUSTED,
	    &buf, &len, err, errsz) != 0 ||
	    parse(path, buf, len, s->crls, err, errsz) != 0)
		goto fail;
	if (index_dir != NULL && sk_X509_CRL_num(s->crls) == 1 &&
	    EVP_Digest(buf, len, s->sha, &mdlen, EVP_sha256(), NULL) &&
	    (s->index_dir = strdup(index_dir)) == NULL)
		goto fail;
	free(buf);
	buf = NULL;
	if (memo_alloc(s, (size_t)sk_X509_CRL_num(s->crls)) != 0)
		goto fail;
	mtls_strlcpy(s->path, path, sizeof(s->path));
	mtls_file_id_set(&s->id, st);
	s->st = *st;
	s->refs = 1;
	return s;
fail:
	if (err[0] == '\0')
		mtls_fmt(err, errsz, "%s: out of memory", path);
	free(buf);
	if (s != NULL && s->crls != NULL)
		set_free(s);
	else
		free(s);
	return NULL;
}

/* A set served from an index, when dir holds a trusted one that matches
 * the file st describes. */
static struct mtls_crl_set *
open_indexed(const char *path, const struct stat *st, const char *dir)
{
	struct mtls_crl_set *s;
	struct mtls_crl_index *ix;
	char why[512];

	if ((ix = mtls_crl_index_open(dir, path, st, why, sizeof(why))) ==
	    NULL)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->crls = sk_X509_CRL_new_null()) == NULL ||
	    !sk_X509_CRL_push(s->crls, mtls_crl_index_crl(ix)) ||
	    memo_alloc(s, 1) != 0 || (s->index_dir = strdup(dir)) == NULL) {
		if (s != NULL) {
			sk_X509_CRL_free(s->crls);
			free(s->index_dir);
			free(s->memo);
			free(s->n_memo);
		}
		free(s);
		mtls_crl_index_close(ix);
		return NULL;
	}
	pthread_mutex_init(&s->memo_lock, NULL);
	s->ix = ix;
	mtls_strlcpy(s->path, path, sizeof(s->path));
	mtls_file_id_set(&s->id, st);
	s->st = *st;
	s->stable = 1;
	s->refs = 1;
	return s;
}

static int
same_file(const struct mtls_crl_set *s, const char *path,
    const struct stat *st)
{
	return strcmp(s->path, path) == 0 && mtls_file_id_same(&s->id, st) &&
	    s->st.st_ctim.tv_sec == st->st_ctim.tv_sec &&
	    s->st.st_ctim.tv_nsec == st->st_ctim.tv_nsec;
}

/* Puts s in the slot of its path (or a free or the first slot); returns
 * the set it pushed out when that was the last reference, for the caller
 * to free after unlocking (an indexed set releases its parsed twin, which
 * takes cache_lock). */
static struct mtls_crl_set *
cache_store(struct mtls_crl_set *s)
{
	struct mtls_crl_set *victim = NULL;
	int i, slot = -1;

	for (i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i] != NULL && strcmp(cache[i]->path, s->path) == 0) {
			slot = i;
			break;
		}
		if (cache[i] == NULL && slot < 0)
			slot = i;
	}
	if (slot < 0)
		slot = 0;
	if (cache[slot] != NULL && --cache[slot]->refs == 0)
		victim = cache[slot];
	cache[slot] = s;
	s->refs++;
	return victim;
}

/* The cached set of this version of the file; an indexed one only when
 * the caller can use it. */
static struct mtls_crl_set *
cache_find(const char *path, const struct stat *st, int indexed_ok)
{
	struct mtls_crl_set *s = NULL;
	int i;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i] != NULL && same_file(cache[i], path, st) &&
		    (indexed_ok || cache[i]->ix == NULL)) {
			s = cache[i];
			s->refs++;
			break;
		}
	}
	pthread_mutex_unlock(&cache_lock);
	return s;
}

/* With use_index, an index in index_dir may stand for the file; else
 * the file is parsed, and its index (re)written into index_dir once its
 * CRL verifies. */
static struct mtls_crl_set *
get(const char *path, const char *index_dir, int use_index, char *err,
    size_t errsz)
{
	struct mtls_crl_set *s, *victim = NULL;
	struct stat st, after;

	err[0] = '\0';
	if (stat(path, &st) != 0) {
		mtls_fmt(err, errsz, "%s: cannot stat", path);
		return NULL;
	}
	if ((s = cache_find(path, &st, use_index)) != NULL)
		return s;
	/* Parse (or map) outside the lock: other logins go on meanwhile. */
	if ((!use_index || (s = open_indexed(path, &st, index_dir)) == NULL) &&
	    (s = load(path, &st, index_dir, err, errsz)) == NULL)
		return NULL;
	/* Cache (and index) only what was read from an unchanged file. */
	if (stat(path, &after) == 0 && same_file(s, path, &after)) {
		s->stable = 1;
		pthread_mutex_lock(&cache_lock);
		victim = cache_store(s);
		pthread_mutex_unlock(&cache_lock);
		if (victim != NULL)
			set_free(victim);
	}
	return s;
}

struct mtls_crl_set *
mtls_crl_set_get(const char *path, char *err, size_t errsz)
{
	return get(path, NULL, 0, err, errsz);
}

struct mtls_crl_set *
mtls_crl_set_get_indexed(const char *path, const char *index_dir,
    char *err, size_t errsz)
{
	return get(path, index_dir, index_dir != NULL, err, errsz);
}

int
mtls_crl_set_indexed(const struct mtls_crl_set *s)
{
	return s->ix != NULL;
}

void
mtls_crl_set_put(struct mtls_crl_set *s)
{
	int last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&cache_lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&cache_lock);
	if (last)
		set_free(s);
}

int
mtls_crl_set_count(const struct mtls_crl_set *s)
{
	return sk_X509_CRL_num(s->crls);
}

X509_CRL *
mtls_crl_set_crl(const struct mtls_crl_set *s, int i)
{
	return sk_X509_CRL_value(s->crls, i);
}

const char *
mtls_crl_set_path(const struct mtls_crl_set *s)
{
	return s->path;
}

static int
spki_digest(X509 *x, unsigned char out[32])
{
	unsigned int len = 0;

	return X509_pubkey_digest(x, EVP_sha256(), out, &len) && len == 32;
}

/* Publishes the index of a parsed one-CRL file once its CRL verified:
 * what the next process will read instead of parsing.  Failing to write
 * is no error (the directory may not be ours); the login goes on. */
static void
publish_index(struct mtls_crl_set *s, const unsigned char key[32])
{
	char why[512];

	pthread_mutex_lock(&s->memo_lock);
	if (s->written || s->index_dir == NULL || !s->stable ||
	    sk_X509_CRL_num(s->crls) != 1) {
		pthread_mutex_unlock(&s->memo_lock);
		return;
	}
	s->written = 1;
	pthread_mutex_unlock(&s->memo_lock);
	(void)mtls_crl_index_write(s->index_dir, s->path,
	    sk_X509_CRL_value(s->crls, 0), key, &s->st, s->sha, why,
	    sizeof(why));
}

/* The parsed file behind an indexed set, when it is still the version
 * the index describes; NULL otherwise.  Parsed once per set. */
static struct mtls_crl_set *
full_of(struct mtls_crl_set *s)
{
	char err[512];
	struct mtls_crl_set *f;

	pthread_mutex_lock(&s->memo_lock);
	if (!s->full_tried) {
		s->full_tried = 1;
		f = get(s->path, s->index_dir, 0, err, sizeof(err));
		if (f != NULL && (!same_file(f, s->path, &s->st) ||
		    mtls_crl_set_count(f) != 1)) {
			mtls_crl_set_put(f);
			f = NULL;
		}
		s->full = f;
	}
	f = s->full;
	pthread_mutex_unlock(&s->memo_lock);
	return f;
}

static int
verify_parsed(struct mtls_crl_set *s, int i, X509 *issuer,
    const unsigned char key[32])
{
	EVP_PKEY *pk = X509_get0_pubkey(issuer);
	int j, ok;

	pthread_mutex_lock(&s->memo_lock);
	for (j = 0; j < s->n_memo[i]; j++) {
		if (memcmp(s->memo[i][j].key, key, 32) == 0) {
			ok = s->memo[i][j].ok;
			pthread_mutex_unlock(&s->memo_lock);
			return ok;
		}
	}
	pthread_mutex_unlock(&s->memo_lock);
	ok = X509_CRL_verify(mtls_crl_set_crl(s, i), pk) == 1;
	ERR_clear_error();
	pthread_mutex_lock(&s->memo_lock);
	if (s->n_memo[i] < VERIFY_MEMO) {
		memcpy(s->memo[i][s->n_memo[i]].key, key, 32);
		s->memo[i][s->n_memo[i]].ok = ok;
		s->n_memo[i]++;
	}
	pthread_mutex_unlock(&s->memo_lock);
	if (ok)
		publish_index(s, key);
	return ok;
}

/* An index stands for its CRL only under the key that verified it; any
 * other key is judged on the parsed CRL. */
int
mtls_crl_set_verify(struct mtls_crl_set *s, int i, X509 *issuer)
{
	unsigned char key[32];
	struct mtls_crl_set *f;

	if (X509_get0_pubkey(issuer) == NULL || !spki_digest(issuer, key))
		return 0;
	if (s->ix == NULL)
		return verify_parsed(s, i, issuer, key);
	if (memcmp(key, mtls_crl_index_key(s->ix), 32) == 0)
		return 1;
	return (f = full_of(s)) != NULL && mtls_crl_set_verify(f, 0, issuer);
}

static int
lookup_parsed(struct mtls_crl_set *s, int i, const ASN1_INTEGER *serial,
    char *when, size_t whensz, int *reason)
{
	X509_REVOKED *rev = NULL;

	if (X509_CRL_get0_by_serial(mtls_crl_set_crl(s, i), &rev,
	    serial) != 1)
		return 0;
	mtls_asn1_time_string(X509_REVOKED_get0_revocationDate(rev), when,
	    whensz);
	*reason = mtls_crl_entry_reason(rev);
	return 1;
}

int
mtls_crl_set_lookup(struct mtls_crl_set *s, int i, X509 *issuer,
    const ASN1_INTEGER *serial, char *when, size_t whensz, int *reason)
{
	struct mtls_crl_set *f;
	time_t t;
	int r;

	if (s->ix == NULL)
		return lookup_parsed(s, i, serial, when, whensz, reason);
	if ((r = mtls_crl_index_lookup(s->ix, serial, &t, reason)) == 1)
		mtls_format_time(t, when, whensz);
	if (r >= 0)
		return r;
	/* A damaged record: the parsed CRL answers, once it verifies. */
	if ((f = full_of(s)) == NULL || !mtls_crl_set_verify(f, 0, issuer))
		return -1;
	return lookup_parsed(f, 0, serial, when, whensz, reason);
}

int
mtls_crl_set_index(const char *path, const char *index_dir, X509 *issuer,
    char *why, size_t whysz)
{
	struct mtls_crl_set *s;
	unsigned char key[32];
	X509_CRL *crl;
	int rc = 1;

	if ((s = get(path, index_dir, 0, why, whysz)) == NULL)
		return -1;
	crl = mtls_crl_set_crl(s, 0);
	if (mtls_crl_set_count(s) != 1)
		mtls_fmt(why, whysz, "%s holds %d CRLs: such files are parsed "
		    "at each use, not indexed", path, mtls_crl_set_count(s));
	else if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
	    X509_get_subject_name(issuer)) != 0)
	{
		mtls_fmt(why, whysz, "%s: issued by another CA", path);
		rc = 2;
	} else if (!s->stable || s->index_dir == NULL) {
		mtls_fmt(why, whysz, "%s: changed while read", path);
		rc = -1;
	} else if (!spki_digest(issuer, key) ||
	    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1) {
		ERR_clear_error();
		mtls_fmt(why, whysz, "%s: not signed by its issuer's key", path);
		rc = -1;
	} else {
		rc = mtls_crl_index_write(index_dir, path, crl, key, &s->st,
		    s->sha, why, whysz);
		pthread_mutex_lock(&s->memo_lock);
		s->written = 1;
		pthread_mutex_unlock(&s->memo_lock);
	}
	mtls_crl_set_put(s);
	return rc;
}
