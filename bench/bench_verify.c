/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* bench_verify: the baselines for a warm login: X509_verify_cert on the
 * same leaf and intermediates against the same anchors, N times, each with
 * a fresh context.  With "parse", the leaf is also parsed from its PEM
 * text every time, as any login must (a certificate parsed once keeps
 * OpenSSL's per-certificate caches warm across iterations).
 * Prints verifications per second.
 *   bench_verify CA.pem CHAIN.pem LEAF.pem N [parse] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

static STACK_OF(X509) *
load(const char *path)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	FILE *f = fopen(path, "r");
	X509 *x;

	if (f == NULL || sk == NULL)
		exit(2);
	while ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
		sk_X509_push(sk, x);
	fclose(f);
	return sk;
}

int
main(int argc, char **argv)
{
	STACK_OF(X509) *anchors, *chain, *leafs;
	X509_STORE *store = X509_STORE_new();
	struct timespec a, b;
	char pem[65536];
	long n, i, len;
	int j, parse;
	FILE *f;

	if ((argc != 5 && argc != 6) || (n = atol(argv[4])) <= 0)
		return 2;
	parse = argc == 6 && strcmp(argv[5], "parse") == 0;
	if ((f = fopen(argv[3], "r")) == NULL)
		return 2;
	len = (long)fread(pem, 1, sizeof(pem), f);
	fclose(f);
	anchors = load(argv[1]);
	chain = load(argv[2]);
	leafs = load(argv[3]);
	for (j = 0; j < sk_X509_num(anchors); j++)
		X509_STORE_add_cert(store, sk_X509_value(anchors, j));
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		X509_STORE_CTX *ctx = X509_STORE_CTX_new();
		X509 *leaf = sk_X509_value(leafs, 0);
		BIO *bio = NULL;

		if (parse) {
			bio = BIO_new_mem_buf(pem, (int)len);
			leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		}
		if (leaf == NULL || !X509_STORE_CTX_init(ctx, store, leaf,
		    chain) || X509_verify_cert(ctx) != 1)
			return 1;
		X509_STORE_CTX_free(ctx);
		if (parse) {
			X509_free(leaf);
			BIO_free(bio);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", (double)n / ((double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	return 0;
}
