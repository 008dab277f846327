/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* CRL files parsed once per process.  A 1M-entry CRL takes a second to
 * parse and tens of milliseconds to verify, so neither may happen per login:
 * each file is cached by path, device, inode, size and mtime, and each CRL's
 * signature is verified once per issuer key.  One of the two process-wide
 * states in libmtls (the other is the configuration cache, cfg_cache.c);
 * it sits behind a mutex and only ever holds immutable, reference-counted
 * sets.  A one-CRL file may instead be answered from its on-disk index
 * (crl_index.h), so a new process need not parse it at all. */
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
/* The same for deciding revocation, with the on-disk index (crl_index.h)
 * in index_dir (NULL: none): a trusted index that matches the file stands
 * for it, so the file is not parsed; its CRL then has no entries (ask
 * mtls_crl_set_lookup).  Else the file is parsed and, once its CRL
 * verifies, its index written when this process may. */
struct mtls_crl_set *mtls_crl_set_get_indexed(const char *path,
    const char *index_dir, char *err, size_t errsz);
/* 1 when the set answers from an index. */
int mtls_crl_set_indexed(const struct mtls_crl_set *set);
/* Whether CRL i lists serial: 1 (when: revocationDate as text, reason:
 * CRLReason 0..10 or -1), 0, or -1 when a damaged index could not be
 * replaced by the verified CRL itself (status unknown). */
int mtls_crl_set_lookup(struct mtls_crl_set *set, int i, X509 *issuer,
    const ASN1_INTEGER *serial, char *when, size_t whensz, int *reason);
void mtls_crl_set_put(struct mtls_crl_set *set);
int mtls_crl_set_count(const struct mtls_crl_set *set);
X509_CRL *mtls_crl_set_crl(const struct mtls_crl_set *set, int i);
const char *mtls_crl_set_path(const struct mtls_crl_set *set);
/* 1 when CRL i is signed by issuer's key; the answer is remembered. */
int mtls_crl_set_verify(struct mtls_crl_set *set, int i, X509 *issuer);
/* Builds the index of path's CRL in index_dir now, for issuer (used by
 * mtls-crl-fetch): 0 written, 1 not indexable or the directory not
 * ours (why says), 2 issued by another CA, -1 error. */
int mtls_crl_set_index(const char *path, const char *index_dir,
    X509 *issuer, char *why, size_t whysz);

#endif
