/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* gen_crl: writes a CRL with N revoked serials, signed by an issuer, with
 * OpenSSL's API (the openssl CLI needs an index line per entry and takes
 * minutes for a million).  Serials are 8 random bytes, so they never
 * collide with the small serials of the test PKI; SERIAL (hex) arguments
 * are listed too, so a benchmark can check that a revoked certificate is
 * refused through a big CRL.
 *   gen_crl ISSUER.pem ISSUER.key N OUT.der [SERIAL...] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

static int
add_entries(X509_CRL *crl, long n, time_t now)
{
	ASN1_TIME *when = ASN1_TIME_set(NULL, now - 3600);
	long i;

	if (when == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *serial = ASN1_INTEGER_new();
		unsigned char b[8];

		if (r == NULL || serial == NULL || RAND_bytes(b, 8) != 1)
			return -1;
		b[0] = (unsigned char)((b[0] & 0x7f) | 0x40);
		ASN1_STRING_set(serial, b, 8);
		X509_REVOKED_set_serialNumber(r, serial);
		X509_REVOKED_set_revocationDate(r, when);
		ASN1_INTEGER_free(serial);
		if (!X509_CRL_add0_revoked(crl, r))
			return -1;
		if (i % 100000 == 99999)
			fprintf(stderr, "  %ld/%ld entries\r", i + 1, n);
	}
	ASN1_TIME_free(when);
	return 0;
}

/* The extra serials, revoked now. */
static int
add_serials(X509_CRL *crl, char **hex, int n, time_t now)
{
	ASN1_TIME *when = ASN1_TIME_set(NULL, now - 3600);
	int i;

	for (i = 0; i < n; i++) {
		X509_REVOKED *r = X509_REVOKED_new();
		BIGNUM *bn = NULL;
		ASN1_INTEGER *serial;

		if (r == NULL || when == NULL || !BN_hex2bn(&bn, hex[i]) ||
		    (serial = BN_to_ASN1_INTEGER(bn, NULL)) == NULL)
			return -1;
		X509_REVOKED_set_serialNumber(r, serial);
		X509_REVOKED_set_revocationDate(r, when);
		ASN1_INTEGER_free(serial);
		BN_free(bn);
		if (!X509_CRL_add0_revoked(crl, r))
			return -1;
	}
	ASN1_TIME_free(when);
	return 0;
}

int
main(int argc, char **argv)
{
	X509 *issuer;
	EVP_PKEY *key;
	X509_CRL *crl;
	FILE *f;
	time_t now = time(NULL);
	ASN1_TIME *t;

	if (argc < 5) {
		fprintf(stderr, "usage: gen_crl ISSUER.pem ISSUER.key N OUT.der "
		    "[SERIAL...]\n");
		return 2;
	}
	if ((f = fopen(argv[1], "r")) == NULL ||
	    (issuer = PEM_read_X509(f, NULL, NULL, NULL)) == NULL)
		return 1;
	fclose(f);
	if ((f = fopen(argv[2], "r")) == NULL ||
	    (key = PEM_read_PrivateKey(f, NULL, NULL, NULL)) == NULL)
		return 1;
	fclose(f);
	crl = X509_CRL_new();
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer));
	t = ASN1_TIME_set(NULL, now - 60);
	X509_CRL_set1_lastUpdate(crl, t);
	ASN1_TIME_set(t, now + 30 * 86400);
	X509_CRL_set1_nextUpdate(crl, t);
	ASN1_TIME_free(t);
	if (add_entries(crl, atol(argv[3]), now) != 0 ||
	    add_serials(crl, argv + 5, argc - 5, now) != 0)
		return 1;
	X509_CRL_sort(crl);
	if (!X509_CRL_sign(crl, key, EVP_sha256()))
		return 1;
	if ((f = fopen(argv[4], "wb")) == NULL || !i2d_X509_CRL_fp(f, crl))
		return 1;
	fclose(f);
	X509_CRL_free(crl);
	X509_free(issuer);
	EVP_PKEY_free(key);
	return 0;
}
