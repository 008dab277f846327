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
#include "safe_file.h"
#include "util.h"

#define CACHE_SLOTS 64
#define VERIFY_MEMO 4

struct verify_memo {
	unsigned char key[32];	/* SHA-256 of the issuer's SPKI */
	int ok;
};

struct mtls_crl_set {
	char path[4096];
	struct mtls_file_id id;		/* version read; id.path unused */
	STACK_OF(X509_CRL) *crls;
	int refs;			/* under cache_lock */
	pthread_mutex_t memo_lock;
	struct verify_memo (*memo)[VERIFY_MEMO];
	int *n_memo;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mtls_crl_set *cache[CACHE_SLOTS];

static void
set_free(struct mtls_crl_set *s)
{
	sk_X509_CRL_pop_free(s->crls, X509_CRL_free);
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

static struct mtls_crl_set *
load(const char *path, const struct stat *st, char *err, size_t errsz)
{
	struct mtls_crl_set *s = calloc(1, sizeof(*s));
	char *buf = NULL;
	size_t len, n;

	if (s == NULL || (s->crls = sk_X509_CRL_new_null()) == NULL)
		goto fail;
	pthread_mutex_init(&s->memo_lock, NULL);
	if (mtls_read_file(path, (size_t)MTLS_CRL_FILE_MAX, MTLS_FILE_TRUSTED,
	    &buf, &len, err, errsz) != 0 ||
	    parse(path, buf, len, s->crls, err, errsz) != 0)
		goto fail;
	free(buf);
	buf = NULL;
	n = (size_t)sk_X509_CRL_num(s->crls);
	s->memo = calloc(n, sizeof(*s->memo));
	s->n_memo = calloc(n, sizeof(*s->n_memo));
	if (s->memo == NULL || s->n_memo == NULL)
		goto fail;
	mtls_strlcpy(s->path, path, sizeof(s->path));
	mtls_file_id_set(&s->id, st);
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

static int
same_file(const struct mtls_crl_set *s, const char *path,
    const struct stat *st)
{
	return strcmp(s->path, path) == 0 && mtls_file_id_same(&s->id, st);
}

/* Puts s in the slot of its path (or a free or the first slot). */
static void
cache_store(struct mtls_crl_set *s)
{
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
		set_free(cache[slot]);
	cache[slot] = s;
	s->refs++;
}

struct mtls_crl_set *
mtls_crl_set_get(const char *path, char *err, size_t errsz)
{
	struct mtls_crl_set *s = NULL;
	struct stat st, after;
	int i;

	err[0] = '\0';
	if (stat(path, &st) != 0) {
		mtls_fmt(err, errsz, "%s: cannot stat", path);
		return NULL;
	}
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i] != NULL && same_file(cache[i], path, &st)) {
			s = cache[i];
			s->refs++;
			break;
		}
	}
	pthread_mutex_unlock(&cache_lock);
	if (s != NULL)
		return s;
	/* Parse outside the lock: other logins go on meanwhile. */
	if ((s = load(path, &st, err, errsz)) == NULL)
		return NULL;
	/* Cache only what was read from an unchanged file. */
	if (stat(path, &after) == 0 && same_file(s, path, &after)) {
		pthread_mutex_lock(&cache_lock);
		cache_store(s);
		pthread_mutex_unlock(&cache_lock);
	}
	return s;
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

int
mtls_crl_set_verify(struct mtls_crl_set *s, int i, X509 *issuer)
{
	unsigned char key[32];
	EVP_PKEY *pk = X509_get0_pubkey(issuer);
	int j, ok;

	if (pk == NULL || !spki_digest(issuer, key))
		return 0;
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
	return ok;
}
