/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The account cache: one immutable file written by mtls-sync and published
 * by atomic rename, read by libnss_mtls.so.2 (and by libmtls when LDAP is
 * down) through mmap.  Everything is an array of fixed-size records or a
 * NUL-terminated string in one string table; every offset is checked
 * against the file before use.  Native byte order: the file never leaves
 * the host that wrote it. */
#ifndef MTLS_CACHE_FORMAT_H
#define MTLS_CACHE_FORMAT_H

#include <stdint.h>

#define MTLS_CACHE_MAGIC "MTLSCAC1"
#define MTLS_CACHE_VERSION 1u
#define MTLS_CACHE_FILE "accounts.cache"
#define MTLS_CACHE_DIR "/var/lib/mtls"

struct mtls_cache_header {
	char magic[8];
	uint32_t version;
	uint32_t n_users;
	uint32_t n_groups;
	uint32_t n_members;	/* group member names, all groups */
	uint32_t n_user_gids;	/* supplementary gids, all users */
	uint32_t n_certs;
	uint64_t file_size;
	uint64_t created;	/* unix time of the sync */
	uint64_t off_strings, len_strings;
	uint64_t off_users;	/* struct mtls_cache_user[n_users], by name */
	uint64_t off_uid_idx;	/* uint32_t[n_users]: user indexes by uid */
	uint64_t off_groups;	/* struct mtls_cache_group[n_groups], by name */
	uint64_t off_gid_idx;	/* uint32_t[n_groups]: by gid */
	uint64_t off_members;	/* uint32_t[n_members]: string offsets */
	uint64_t off_user_gids;	/* uint32_t[n_user_gids] */
	uint64_t off_certs;	/* struct mtls_cache_cert[n_certs], by key */
};

struct mtls_cache_user {
	uint32_t name, gecos, dir, shell;	/* string offsets */
	uint32_t uid, gid;
	uint32_t gids_start, gids_count;	/* into user_gids */
};

struct mtls_cache_group {
	uint32_t name;
	uint32_t gid;
	uint32_t mem_start, mem_count;		/* into members */
};

/* key: "sha256:<hex>" or "issuer_serial:<SERIAL>/<issuer RFC 2253>" */
struct mtls_cache_cert {
	uint32_t key, user;
};

#endif
