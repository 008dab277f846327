/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* CRL checks for the tools.  The signature is checked with the CA's own
 * key (X509_CRL_verify), never with a key found by name. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "crl_cache.h"
#include "crl_judge.h"
#include "util.h"

#define CRL_DIR_MAX 256

X509_CRL *
crl_parse(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;
	X509_CRL *crl = NULL, *more;
	BIO *bio;

	if (len == 0 || len > (size_t)MTLS_CRL_FILE_MAX)
		return NULL;
	if ((unsigned char)buf[0] == 0x30) {
		crl = d2i_X509_CRL(NULL, &p, (long)len);
		if (crl != NULL && p != (const unsigned char *)buf + len) {
			X509_CRL_free(crl);
			crl = NULL;
		}
	} else if ((bio = BIO_new_mem_buf(buf, (int)len)) != NULL) {
		crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
		/* One CRL per file: a second would be silently ignored. */
		if (crl != NULL && (more = PEM_read_bio_X509_CRL(bio, NULL,
		    NULL, NULL)) != NULL) {
			X509_CRL_free(more);
			X509_CRL_free(crl);
			crl = NULL;
		}
		BIO_free(bio);
	}
	ERR_clear_error();
	return crl;
}

const char *
crl_judge_sig(X509_CRL *crl, X509 *ca)
{
	EVP_PKEY *key = X509_get0_pubkey(ca);
	int ok;

	if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
	    X509_get_subject_name(ca)) != 0)
		return "issued by another CA";
	ok = key != NULL && X509_CRL_verify(crl, key) == 1;
	ERR_clear_error();
	return ok ? NULL : "not signed by the CA's key";
}

const char *
crl_judge_time(X509_CRL *crl, long skew, long grace, time_t now)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	time_t t = now + skew;

	if (X509_cmp_time(X509_CRL_get0_lastUpdate(crl), &t) > 0)
		return "thisUpdate is in the future";
	if (next == NULL)
		return "has no nextUpdate";
	t = now - grace;
	if (X509_cmp_time(next, &t) < 0)
		return "stale: past its nextUpdate";
	return NULL;
}

long
crl_hours_left(X509_CRL *crl, time_t now)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	ASN1_TIME *at;
	int days = 0, secs = 0;

	if (next == NULL || (at = ASN1_TIME_set(NULL, now)) == NULL)
		return 0;
	if (!ASN1_TIME_diff(&days, &secs, at, next))
		days = secs = 0;
	ASN1_TIME_free(at);
	return (long)days * 24 + secs / 3600;
}

int
crl_entries(X509_CRL *crl)
{
	STACK_OF(X509_REVOKED) *rev = X509_CRL_get_REVOKED(crl);

	return rev != NULL ? sk_X509_REVOKED_num(rev) : 0;
}

BIGNUM *
crl_number(X509_CRL *crl)
{
	ASN1_INTEGER *n = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL,
	    NULL);
	BIGNUM *bn = n ? ASN1_INTEGER_to_BN(n, NULL) : NULL;

	ASN1_INTEGER_free(n);
	return bn;
}

void
crl_number_string(X509_CRL *crl, char *out, size_t outsz)
{
	BIGNUM *bn = crl_number(crl);
	char *dec = bn ? BN_bn2dec(bn) : NULL;

	mtls_strlcpy(out, dec ? dec : "none", outsz);
	OPENSSL_free(dec);
	BN_free(bn);
}

int
crl_number_older(X509_CRL *next, const BIGNUM *installed)
{
	BIGNUM *a = crl_number(next);
	int older = installed != NULL && (a == NULL || BN_cmp(a,
	    installed) < 0);

	BN_free(a);
	return older;
}

static void
consider(struct crl_found *f, const char *path, X509 *ca)
{
	struct mtls_crl_set *set;
	char err[512];
	struct stat st;
	int i;

	if ((set = mtls_crl_set_get(path, err, sizeof(err))) == NULL) {
		if (f->err[0] == '\0')
			mtls_strlcpy(f->err, err, sizeof(f->err));
		return;
	}
	for (i = 0; i < mtls_crl_set_count(set); i++) {
		X509_CRL *crl = mtls_crl_set_crl(set, i);

		if (X509_NAME_cmp(X509_CRL_get_issuer(crl),
		    X509_get_subject_name(ca)) != 0)
			continue;
		if (crl_judge_sig(crl, ca) != NULL) {
			f->badly_signed++;
			continue;
		}
		if (f->crl != NULL && ASN1_TIME_compare(
		    X509_CRL_get0_lastUpdate(crl),
		    X509_CRL_get0_lastUpdate(f->crl)) <= 0)
			continue;
		X509_CRL_free(f->crl);
		X509_CRL_up_ref(crl);
		f->crl = crl;
		mtls_strlcpy(f->path, path, sizeof(f->path));
		f->mtime = stat(path, &st) == 0 ? st.st_mtime : 0;
	}
	mtls_crl_set_put(set);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files a login reads from crl_dir: every non-hidden entry. */
static void
consider_dir(struct crl_found *f, const char *dir, X509 *ca)
{
	char *names[CRL_DIR_MAX], path[4200];
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n = 0, i;

	if (d == NULL) {
		mtls_fmt(f->err, sizeof(f->err), "crl_dir %s: cannot open",
		    dir);
		f->dir_unreadable = 1;
		return;
	}
	while ((de = readdir(d)) != NULL && n < CRL_DIR_MAX)
		if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (i = 0; i < n; i++) {
		mtls_fmt(path, sizeof(path), "%s/%s", dir, names[i]);
		consider(f, path, ca);
		free(names[i]);
	}
}

void
crl_find(const struct mtls_policy *p, X509 *ca, struct crl_found *f)
{
	memset(f, 0, sizeof(*f));
	if (p->crl_file != NULL)
		consider(f, p->crl_file, ca);
	if (p->crl_dir != NULL)
		consider_dir(f, p->crl_dir, ca);
}

void
crl_found_free(struct crl_found *f)
{
	X509_CRL_free(f->crl);
	f->crl = NULL;
}
