/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The on-disk CRL index: what one process learnt from parsing and verifying
 * a CRL file, so that later processes answer "is this serial listed?"
 * without parsing it.  Written by common/crl_index_write.c (any process
 * that verified the CRL and may write crl_cache_dir, and mtls-crl-fetch),
 * read by common/crl_index_read.c; this header is the only description.
 *
 * One file per CRL file, named <hex SHA-256 of the CRL file's absolute
 * path>.idx, so a reader finds it from the path alone.  Only files holding
 * exactly one CRL, of a kind crl_check.c can judge from its header alone,
 * are indexed (see mtls_crl_index_build); every other file is parsed as
 * before.  Published by temp file, fsync and rename, like the account
 * cache; native byte order (the file never leaves the host).
 *
 * Layout: struct mtls_crlidx_header, then n_records records sorted by key
 * (memcmp order), nothing after.
 *
 * Freshness: a reader uses the index only while the CRL file's fstat still
 * shows crl_dev, crl_ino, crl_size, crl_mtime and crl_ctime.  crl_sha256
 * (of the CRL file's bytes) is NOT checked per login -- hashing 40 MB per
 * login is what the index exists to avoid; it is there for audits:
 * mtls-check --health compares it with the file (mtls_crl_index_audit).
 *
 * Readers pread the header and, per lookup, the twenty-odd records a
 * binary search visits; nothing else of the file is read.
 *
 * Integrity: header_sha256 covers the header; each record carries the
 * first 8 bytes of SHA-256 over its other 32 bytes and its position, and
 * a lookup checks every record it visits and that they are in order, so
 * a flipped byte or a shuffled record on the search path sends the caller
 * back to parsing the CRL (never to "not listed"). */
#ifndef MTLS_CRL_INDEX_FORMAT_H
#define MTLS_CRL_INDEX_FORMAT_H

#include <stdint.h>

#define MTLS_CRLIDX_MAGIC "MTLSCRI1"
#define MTLS_CRLIDX_VERSION 1u
#define MTLS_CRLIDX_SUFFIX ".idx"
#define MTLS_CRLIDX_DIR "/var/cache/mtls/crl"
/* RFC 5280 4.1.2.2: serials are at most 20 octets. */
#define MTLS_CRLIDX_SERIAL_MAX 20
/* The CRL's header fields as DER: issuer name, thisUpdate, nextUpdate
 * (absent when nextupdate_len is 0) and crlExtensions, in that order. */
#define MTLS_CRLIDX_META_MAX 4096

struct mtls_crlidx_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;		/* sizeof(struct mtls_crlidx_header) */
	uint32_t record_size;		/* sizeof(struct mtls_crlidx_record) */
	uint32_t flags;			/* none defined yet: must be 0 */
	uint64_t n_records;
	uint64_t file_size;		/* header + n_records records */
	/* The CRL file this describes. */
	uint64_t crl_dev, crl_ino, crl_size;
	int64_t crl_mtime_sec, crl_mtime_nsec;
	int64_t crl_ctime_sec, crl_ctime_nsec;
	uint8_t crl_sha256[32];
	/* SHA-256 of the SubjectPublicKeyInfo that verified the signature:
	 * the index stands for the CRL only for an issuer with this key. */
	uint8_t issuer_spki_sha256[32];
	/* The CRL minus its entries (see MTLS_CRLIDX_META_MAX). */
	uint32_t issuer_len, thisupdate_len, nextupdate_len, exts_len;
	uint8_t meta[MTLS_CRLIDX_META_MAX];
	/* SHA-256 of every byte above. */
	uint8_t header_sha256[32];
};

struct mtls_crlidx_record {
	/* Sort key: serial length, serial big-endian right-aligned in 20
	 * octets, then 1 for a negative serial (as OpenSSL keeps them). */
	uint8_t key[2 + MTLS_CRLIDX_SERIAL_MAX];
	uint8_t reason;			/* CRLReason 0..10; 0xff unknown */
	uint8_t pad;			/* 0 */
	uint8_t revoked[8];		/* revocationDate, big-endian unix
					 * seconds (two's complement) */
	uint8_t check[8];		/* SHA-256(bytes 0..31 || position as
					 * 8 big-endian octets), first 8 */
};

#endif
