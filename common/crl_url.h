/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* crl_url = HASH URL[, HASH URL...]: where mtls-crl-fetch downloads the CRL
 * of the CA whose subject name hash (`openssl x509 -noout -subject_hash`)
 * is HASH, in place of the CA's own crlDistributionPoints. */
#ifndef MTLS_CRL_URL_H
#define MTLS_CRL_URL_H

#include <stddef.h>

#define MTLS_CRL_URL_MAX 1024

/* 0 when every item is "8-hex-digit-hash http://URL" and no hash repeats,
 * else -1 with a sentence in err. */
int mtls_crl_url_check(const char *value, char *err, size_t errsz);
/* The URL configured for hash: 1 and copied into out, or 0. */
int mtls_crl_url_find(const char *value, const char *hash, char *out,
    size_t outsz);

#endif
