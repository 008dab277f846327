/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Building the account cache file from what mtls-sync read. */
#ifndef MTLS_CACHE_WRITE_H
#define MTLS_CACHE_WRITE_H

#include <stddef.h>
#include <stdint.h>

struct sync_user {
	char *name, *gecos, *dir, *shell, *dn;
	uint32_t uid, gid;
};

struct sync_group {
	char *name;
	uint32_t gid;
	char **members;		/* user names */
	size_t n_members;
	char **member_dns;	/* member DNs, until sync_members() */
	size_t n_member_dns;
};

/* user is an account name, or one of these marks: SYNC_CERT_AMBIGUOUS for
 * an entry that names several accounts, SYNC_CERT_DROPPED for an entry
 * mtls-sync does not serve. */
#define SYNC_CERT_AMBIGUOUS ""
#define SYNC_CERT_DROPPED "!"
struct sync_cert {
	char *key;		/* sha256:<hex> or issuer_serial:<S>/<I> */
	char *user;
};

struct sync_data {
	struct sync_user *users;
	size_t n_users, cap_users;
	struct sync_group *groups;
	size_t n_groups, cap_groups;
	struct sync_cert *certs;
	size_t n_certs, cap_certs;
};

void sync_data_free(struct sync_data *d);
void sync_user_free(struct sync_user *u);
void sync_group_free(struct sync_group *g);

/* Writes dir/accounts.cache through a temp file, fsync and rename: the old
 * cache stays whole until the new one is complete.  Duplicate user or
 * group names keep the first.  The records of one certificate key become
 * one: kept when they all name the same account, dropped when they all
 * come from dropped entries, else written with an empty user, the mark
 * the mapping reads as ambiguous (as the directory itself would be).  0, or -1 with a sentence in err. */
int cache_write(const char *dir, struct sync_data *d, size_t *dropped,
    char *err, size_t errsz);

#endif
