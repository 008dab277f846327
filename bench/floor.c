/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "floor.h"

static STACK_OF(X509) *
load(const char *path)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	FILE *f = fopen(path, "r");
	X509 *x;

	if (f == NULL || sk == NULL) {
		if (f != NULL)
			fclose(f);
		sk_X509_free(sk);
		return NULL;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
		sk_X509_push(sk, x);
	fclose(f);
	return sk;
}

int
floor_init(struct floor *f, const char *ca, const char *chain,
    const char *leaf)
{
	STACK_OF(X509) *anchors = load(ca), *leafs = load(leaf);
	FILE *fp = fopen(leaf, "r");
	int j, rc = -1;

	memset(f, 0, sizeof(*f));
	f->store = X509_STORE_new();
	f->chain = load(chain);
	if (fp != NULL) {
		f->len = (int)fread(f->pem, 1, sizeof(f->pem) - 1, fp);
		fclose(fp);
	}
	if (anchors != NULL && leafs != NULL && sk_X509_num(leafs) > 0 &&
	    f->store != NULL && f->chain != NULL && f->len > 0) {
		for (j = 0; j < sk_X509_num(anchors); j++)
			X509_STORE_add_cert(f->store, sk_X509_value(anchors, j));
		f->leaf = sk_X509_shift(leafs);
		rc = 0;
	}
	sk_X509_pop_free(anchors, X509_free);
	sk_X509_pop_free(leafs, X509_free);
	return rc;
}

int
floor_run(struct floor *f, long n, int parse)
{
	long i;

	for (i = 0; i < n; i++) {
		X509_STORE_CTX *ctx = X509_STORE_CTX_new();
		X509 *leaf = f->leaf;
		BIO *bio = NULL;
		int ok;

		if (parse) {
			bio = BIO_new_mem_buf(f->pem, f->len);
			leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		}
		ok = ctx != NULL && leaf != NULL &&
		    X509_STORE_CTX_init(ctx, f->store, leaf, f->chain) &&
		    X509_verify_cert(ctx) == 1;
		X509_STORE_CTX_free(ctx);
		if (parse) {
			X509_free(leaf);
			BIO_free(bio);
		}
		if (!ok)
			return -1;
	}
	return 0;
}

void
floor_free(struct floor *f)
{
	X509_STORE_free(f->store);
	sk_X509_pop_free(f->chain, X509_free);
	X509_free(f->leaf);
}

double
floor_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) +
	    (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}
