/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* What passwd.c, group.c and initgroups.c share: the NSS status plumbing
 * and packing strings into the caller's buffer.  The buffer code exists
 * once, here. */
#ifndef MTLS_NSS_COMMON_H
#define MTLS_NSS_COMMON_H

#include <errno.h>
#include <nss.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cache_read.h"
#include "nss_map.h"
#include "nss_mtls.h"

#define NSS_EXPORT __attribute__((visibility("default")))

/* The caller's buffer, filled front to back. */
struct nss_buf {
	char *p;
	size_t left;
};

/* Copies s into the buffer; NULL when it does not fit (ERANGE). */
static inline char *
nss_put_str(struct nss_buf *b, const char *s)
{
	size_t n = strlen(s) + 1;
	char *out = b->p;

	if (n > b->left)
		return NULL;
	memcpy(out, s, n);
	b->p += n;
	b->left -= n;
	return out;
}

/* Reserves n pointers, aligned; NULL when they do not fit. */
static inline char **
nss_put_ptrs(struct nss_buf *b, size_t n)
{
	size_t pad = (size_t)(-(uintptr_t)b->p) & (sizeof(char *) - 1);
	char **out;

	if (pad > b->left || n > (b->left - pad) / sizeof(char *))
		return NULL;
	out = (char **)(void *)(b->p + pad);
	b->p += pad + n * sizeof(char *);
	b->left -= pad + n * sizeof(char *);
	return out;
}

/* The current view of the cache (nss_map.c); NULL says UNAVAIL with
 * *errnop set. */
static inline struct nss_view *
nss_open(int *errnop)
{
	return nss_view_get(errnop);
}

/* Never served, whatever the cache says: the superuser's ids and name.
 * mtls-sync already drops anything that would shadow a local account
 * (the main defence); this floor holds even for a cache written some
 * other way, or an nsswitch.conf that puts mtls before files. */
static inline int
nss_forbidden(const char *name, uint32_t id)
{
	return id == 0 || (name != NULL && strcmp(name, "root") == 0);
}

/* The status for a fill result: 0 filled, ERANGE too small, else the
 * record is damaged and treated as absent. */
static inline enum nss_status
nss_result(int rc, int *errnop)
{
	if (rc == 0)
		return NSS_STATUS_SUCCESS;
	*errnop = rc;
	return rc == ERANGE ? NSS_STATUS_TRYAGAIN : NSS_STATUS_NOTFOUND;
}

static inline enum nss_status
nss_notfound(int *errnop)
{
	*errnop = ENOENT;
	return NSS_STATUS_NOTFOUND;
}

/* A map's decoder: fills result from record i; 0, ERANGE or EINVAL. */
typedef int (*nss_fill_fn)(const struct mtls_cache *c, uint32_t i,
    void *result, char *buffer, size_t buflen);
/* A map's index search: the record number for key, or -1. */
typedef long (*nss_find_fn)(const struct mtls_cache *c, const void *key);

/* One keyed lookup: take the view, find, decode, drop the view. */
static inline enum nss_status
nss_lookup(nss_find_fn find, const void *key, nss_fill_fn fill,
    void *result, char *buffer, size_t buflen, int *errnop)
{
	struct nss_view *v;
	enum nss_status st;
	long i;

	if ((v = nss_open(errnop)) == NULL)
		return NSS_STATUS_UNAVAIL;
	i = find(&v->c, key);
	st = i < 0 ? nss_notfound(errnop) : nss_result(fill(&v->c,
	    (uint32_t)i, result, buffer, buflen), errnop);
	nss_view_put(v);
	return st;
}

/* Enumeration state, one per map and per thread (as nss-pam-ldapd): the
 * view taken by set*ent stays until end*ent, so a sync in between does
 * not mix two files in one listing. */
struct nss_enum {
	struct nss_view *v;
	uint32_t next;
};

static inline enum nss_status
nss_enum_set(struct nss_enum *e)
{
	int err;

	nss_view_put(e->v);
	e->next = 0;
	e->v = nss_open(&err);
	return e->v != NULL ? NSS_STATUS_SUCCESS : NSS_STATUS_UNAVAIL;
}

static inline enum nss_status
nss_enum_end(struct nss_enum *e)
{
	nss_view_put(e->v);
	e->v = NULL;
	return NSS_STATUS_SUCCESS;
}

/* The next decodable record of n; a damaged one is skipped, a too-small
 * buffer leaves the cursor for the caller's retry. */
static inline enum nss_status
nss_enum_get(struct nss_enum *e, uint32_t n_of(const struct mtls_cache *),
    nss_fill_fn fill, void *result, char *buffer, size_t buflen, int *errnop)
{
	int rc;

	if (e->v == NULL && nss_enum_set(e) != NSS_STATUS_SUCCESS) {
		*errnop = ENOENT;
		return NSS_STATUS_UNAVAIL;
	}
	while (e->next < n_of(&e->v->c)) {
		rc = fill(&e->v->c, e->next, result, buffer, buflen);
		if (rc == ERANGE)
			return nss_result(rc, errnop);
		e->next++;
		if (rc == 0)
			return NSS_STATUS_SUCCESS;
	}
	return nss_notfound(errnop);
}

#endif
