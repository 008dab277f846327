/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* CRL files parsed once per process.  A 1M-entry CRL takes a second to
 * parse and tens of milliseconds to verify, so neither may happen per login:
 * each file is cached by path, device, inode, size and mtime, and each CRL's
 * signature is verified once per issuer key.  One of the two process-wide
 * states in libmtls (the other is the configuration cache, cfg_cache.c);
 * it sits behind a mutex and only ever holds immutable, reference-counted
 * sets. */
#ifndef MTLS_CRL_CACHE_H
#define MTLS_CRL_CACHE_H

#include <stddef.h>

#include <openssl/x509.h>

#define MTLS_CRL_FILE_MAX (512L * 1024 * 1024)

struct mtls_crl_set;

/* The CRLs of one file (PEM with one or more CRLs, or DER), reloaded when
 * the file changed.  NULL with a sentence in err when it cannot be read or
 * parsed.  Release with mtls_crl_set_put(). */
struct mtls_crl_set *mtls_crl_set_get(const char *path, char *err,
    size_t errsz);
void mtls_crl_set_put(struct mtls_crl_set *set);
int mtls_crl_set_count(const struct mtls_crl_set *set);
X509_CRL *mtls_crl_set_crl(const struct mtls_crl_set *set, int i);
const char *mtls_crl_set_path(const struct mtls_crl_set *set);
/* 1 when CRL i is signed by issuer's key; the answer is remembered. */
int mtls_crl_set_verify(struct mtls_crl_set *set, int i, X509 *issuer);

#endif
