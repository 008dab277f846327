/* bench_verify: the baseline for a warm login: X509_verify_cert on the same
 * leaf and intermediates against the same anchors, N times, each with a
 * fresh context as a login would.  Prints verifications per second.
 *   bench_verify CA.pem CHAIN.pem LEAF.pem N */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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
	long n, i;
	int j;

	if (argc != 5 || (n = atol(argv[4])) <= 0)
		return 2;
	anchors = load(argv[1]);
	chain = load(argv[2]);
	leafs = load(argv[3]);
	for (j = 0; j < sk_X509_num(anchors); j++)
		X509_STORE_add_cert(store, sk_X509_value(anchors, j));
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		X509_STORE_CTX *ctx = X509_STORE_CTX_new();

		if (!X509_STORE_CTX_init(ctx, store, sk_X509_value(leafs, 0),
		    chain) || X509_verify_cert(ctx) != 1)
			return 1;
		X509_STORE_CTX_free(ctx);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", (double)n / ((double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	return 0;
}
