/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* What mtls-sync does to the directory's data before it becomes the cache.
 * The directory is untrusted: users and groups below the id floors, names
 * or ids of local (files) accounts and groups, names claimed by several
 * entries, and memberships that do not name a kept LDAP user are dropped
 * and counted, so that libnss_mtls never serves an entry that shadows a
 * local one.  Member DNs become names through a sorted index: the whole
 * pass is O(n log n) in the directory's size. */
#ifndef MTLS_SYNC_FILTER_H
#define MTLS_SYNC_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "cache_write.h"

/* Local accounts, read from the files themselves and not through NSS,
 * which would see the cache being replaced. */
struct sync_local {
	char **users, **groups;		/* sorted names */
	uint32_t *uids, *gids;		/* sorted */
	size_t n_users, n_groups;
};

struct sync_drops {
	size_t low_uid;		/* uidNumber below min_uid */
	size_t low_gid;		/* gidNumber below min_gid (groups, users) */
	size_t local_user;	/* name or uid of a local account */
	size_t local_group;	/* name or gid of a local group */
	size_t duplicate;	/* a name several entries claim */
	size_t membership;	/* members that are not kept LDAP users */
};

/* 0, or -1 with a sentence (a file that cannot be read is an error: the
 * check cannot be skipped). */
int sync_local_load(struct sync_local *l, const char *passwd_file,
    const char *group_file, char *err, size_t errsz);
void sync_local_free(struct sync_local *l);

/* Turns each group's member DNs into user names (through the users read)
 * and removes duplicate members.  0, or -1 when out of memory. */
int sync_members(struct sync_data *d);

/* Drops and counts what must not be served.  Certificates of dropped
 * entries are marked SYNC_CERT_DROPPED, so that the cache still refuses
 * a certificate another entry holds too. */
void sync_filter(struct sync_data *d, const struct sync_local *l,
    unsigned long min_uid, unsigned long min_gid, struct sync_drops *out);

#endif
