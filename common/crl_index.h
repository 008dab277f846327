/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The on-disk CRL index (format: cache/crl_index_format.h): read by every
 * login that needs a CRL, written by a process that parsed and verified
 * one.  Any doubt about an index (owner, mode, header, identity of the CRL
 * file, a damaged record) makes the caller parse the CRL as if there were
 * no index; an index never answers "not listed" on its own authority
 * beyond what it was built from. */
#ifndef MTLS_CRL_INDEX_H
#define MTLS_CRL_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/x509.h>

#include "crl_index_format.h"

struct mtls_crl_index;

/* dir/<hex SHA-256 of crl_path>.idx; -1 when it does not fit. */
int mtls_crl_index_name(const char *dir, const char *crl_path, char *out,
    size_t outsz);

/* Opens the index of crl_path in dir when the directory and file
 * are owned by root (or the euid) and writable by no one else, the header
 * is whole and crl_st (the CRL file's stat) matches its identity.  NULL
 * with why set otherwise. */
struct mtls_crl_index *mtls_crl_index_open(const char *dir,
    const char *crl_path, const struct stat *crl_st, char *why,
    size_t whysz);
/* The same checks on a buffer (the caller keeps it alive), without the
 * identity check when crl_st is NULL: for tests and the fuzzer. */
struct mtls_crl_index *mtls_crl_index_from_mem(const void *p, size_t len,
    const struct stat *crl_st, char *why, size_t whysz);
void mtls_crl_index_close(struct mtls_crl_index *ix);

/* The CRL without its entries, rebuilt from the index: issuer, times and
 * extensions exactly as in the CRL, so crl_check.c judges it as it judges
 * the parsed CRL.  Owned by the index. */
X509_CRL *mtls_crl_index_crl(const struct mtls_crl_index *ix);
/* SHA-256 of the key that verified the CRL's signature. */
const unsigned char *mtls_crl_index_key(const struct mtls_crl_index *ix);
uint64_t mtls_crl_index_count(const struct mtls_crl_index *ix);

/* 1 listed (*when = revocationDate, *reason = CRLReason 0..10 or -1),
 * 0 not listed, -1 when a record on the way is damaged or out of order:
 * then the caller must parse the CRL. */
int mtls_crl_index_lookup(const struct mtls_crl_index *ix,
    const ASN1_INTEGER *serial, time_t *when, int *reason);

/* The audit logins skip: whether the index of crl_path in dir, usable
 * by its identity, also matches the SHA-256 of the file's bytes.  1
 * matches, 0 no usable index (why says), -1 it does not match (why). */
int mtls_crl_index_audit(const char *dir, const char *crl_path, char *why,
    size_t whysz);

/* The record key of a serial; -1 when it does not fit (longer than 20
 * octets: such a serial is in no indexed CRL). */
int mtls_crl_index_key_of(const ASN1_INTEGER *serial,
    uint8_t key[2 + MTLS_CRLIDX_SERIAL_MAX]);
/* The check bytes of record rec at position pos. */
int mtls_crl_index_check(const struct mtls_crlidx_record *rec, uint64_t pos,
    uint8_t out[8]);

/* The index of crl (the only CRL of its file, whose stat is st and bytes
 * hash to sha), verified by the key whose SPKI hashes to key.  0 with the
 * file in *out (free it), 1 when the CRL is not indexable (why says;
 * parsed as before), -1 on error. */
int mtls_crl_index_build(X509_CRL *crl, const unsigned char key[32],
    const struct stat *st, const unsigned char sha[32], unsigned char **out,
    size_t *outlen, char *why, size_t whysz);
/* Builds and publishes the index in dir, when dir is trusted and
 * writable by this process; 0, 1 not indexable, -1 error (dir untrusted
 * or not writable included; why says). */
int mtls_crl_index_write(const char *dir, const char *crl_path,
    X509_CRL *crl, const unsigned char key[32], const struct stat *st,
    const unsigned char sha[32], char *why, size_t whysz);

/* The CRLReason of an entry as crl_check.c reads it: absent counts as
 * unspecified (0); -1 when outside 0..10. */
int mtls_crl_entry_reason(X509_REVOKED *rev);

#endif
