/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Opening and validating the account cache, and looking records up in it.
 * No OpenSSL, no libldap, no threads, no global state: a view is opened,
 * used and closed by its caller. */
#ifndef MTLS_CACHE_READ_H
#define MTLS_CACHE_READ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "cache_format.h"

struct mtls_cache {
	const unsigned char *base;
	size_t size;
	const struct mtls_cache_header *h;
	const struct mtls_cache_user *users;
	const uint32_t *uid_idx;
	const struct mtls_cache_group *groups;
	const uint32_t *gid_idx;
	const uint32_t *members;
	const uint32_t *user_gids;
	const struct mtls_cache_cert *certs;
	/* Which version of the file is mapped (from the fstat of the
	 * descriptor mapped): a kept view compares these with a stat of the
	 * path.  ctime too, so a chmod or chown is a change. */
	dev_t dev;
	ino_t ino;
	struct timespec mtime, ctime;
};

/* 0 on success; -1 with errno ENOENT when there is no cache, EINVAL when
 * it is damaged (bad magic, version, truncated, offsets out of range). */
int mtls_cache_open(const char *path, struct mtls_cache *c);
void mtls_cache_close(struct mtls_cache *c);
/* 1 when st describes a file the reader may trust: a regular, non-empty
 * file owned by root or the effective uid, writable by no one else. */
int mtls_cache_trusted(const struct stat *st);
/* 1 when st (a stat of the path) describes the version c maps. */
int mtls_cache_same(const struct mtls_cache *c, const struct stat *st);
/* The cache path: $MTLS_NSS_CACHE for tests (ignored in setuid programs),
 * else the compiled-in default. */
const char *mtls_cache_path(void);

/* A string by offset, NULL when the offset is outside the string table.
 * Open checks only the header and the table's final NUL; every offset and
 * range in a record is checked where it is used, so a lookup costs
 * O(log n) and a damaged record reads as missing, never out of bounds. */
const char *mtls_cache_str(const struct mtls_cache *c, uint32_t off);
const struct mtls_cache_user *mtls_cache_user_by_name(
    const struct mtls_cache *c, const char *name);
const struct mtls_cache_user *mtls_cache_user_by_uid(
    const struct mtls_cache *c, uint32_t uid);
const struct mtls_cache_group *mtls_cache_group_by_name(
    const struct mtls_cache *c, const char *name);
const struct mtls_cache_group *mtls_cache_group_by_gid(
    const struct mtls_cache *c, uint32_t gid);
/* The user a certificate key maps to, or NULL. */
const char *mtls_cache_cert_user(const struct mtls_cache *c, const char *key);

#endif
