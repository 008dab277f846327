/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The CRL index reader on hostile bytes: each input is read as it is (the
 * header checksum stops most mutations) and again with the checksum made
 * right, as a forger would, so that the bounds checks behind it and the
 * lookups get exercised.  Every lookup must stay inside the buffer. */
#include "config.h"

#include "fuzz.h"

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "crl_index.h"

/* Looks up the serials the file itself holds (up to 64) and a few more. */
static void
probe(struct mtls_crl_index *ix, const uint8_t *data, size_t size)
{
	const size_t hs = sizeof(struct mtls_crlidx_header);
	const size_t rs = sizeof(struct mtls_crlidx_record);
	ASN1_INTEGER *s = ASN1_INTEGER_new();
	X509_CRL *crl = mtls_crl_index_crl(ix);
	void *ext;
	time_t when;
	size_t i, len;
	int reason;

	if (s == NULL)
		return;
	ext = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, NULL,
	    NULL);
	ISSUING_DIST_POINT_free(ext);
	ext = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	ASN1_INTEGER_free(ext);
	for (i = 0; i < 64 && hs + (i + 1) * rs <= size; i++) {
		const uint8_t *k = data + hs + i * rs;

		len = k[0] <= MTLS_CRLIDX_SERIAL_MAX ? k[0] : 0;
		ASN1_STRING_set(s, k + 1 + MTLS_CRLIDX_SERIAL_MAX - len,
		    (int)len);
		(void)mtls_crl_index_lookup(ix, s, &when, &reason);
	}
	for (i = 0; i < 4; i++) {
		ASN1_INTEGER_set(s, (long)(i * 7919));
		(void)mtls_crl_index_lookup(ix, s, &when, &reason);
	}
	ASN1_INTEGER_free(s);
}

static void
one(const uint8_t *data, size_t size)
{
	struct mtls_crl_index *ix;
	char why[256];

	if ((ix = mtls_crl_index_from_mem(data, size, NULL, why,
	    sizeof(why))) == NULL)
		return;
	probe(ix, data, size);
	mtls_crl_index_close(ix);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mtls_crlidx_header *h;
	unsigned int n = 0;
	uint8_t *copy;

	one(data, size);
	if (size < sizeof(*h) || (copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	h = (struct mtls_crlidx_header *)copy;
	if (EVP_Digest(h, offsetof(struct mtls_crlidx_header, header_sha256),
	    h->header_sha256, &n, EVP_sha256(), NULL))
		one(copy, size);
	free(copy);
	return 0;
}
