/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* group map: getgrnam_r, getgrgid_r and enumeration from the cache. */
#include "config.h"

#include <grp.h>

#include "nss_common.h"

/* The one decoder for every group call. */
static int
fill_group(const struct mtls_cache *c, uint32_t i, void *result,
    char *buffer, size_t buflen)
{
	const struct mtls_cache_group *g = &c->groups[i];
	struct group *gr = result;
	struct nss_buf b = { buffer, buflen };
	const char *name = mtls_cache_str(c, g->name);
	char **mem;
	uint32_t m;

	if (name == NULL || nss_forbidden(name, g->gid) ||
	    (uint64_t)g->mem_start + g->mem_count > c->h->n_members)
		return EINVAL;
	if ((mem = nss_put_ptrs(&b, (size_t)g->mem_count + 1)) == NULL ||
	    (gr->gr_name = nss_put_str(&b, name)) == NULL ||
	    (gr->gr_passwd = nss_put_str(&b, "x")) == NULL)
		return ERANGE;
	for (m = 0; m < g->mem_count; m++) {
		const char *s = mtls_cache_str(c, c->members[g->mem_start + m]);

		if (s == NULL)
			return EINVAL;
		if ((mem[m] = nss_put_str(&b, s)) == NULL)
			return ERANGE;
	}
	mem[g->mem_count] = NULL;
	gr->gr_mem = mem;
	gr->gr_gid = g->gid;
	return 0;
}

static long
by_name(const struct mtls_cache *c, const void *key)
{
	const struct mtls_cache_group *g = mtls_cache_group_by_name(c, key);

	return g ? g - c->groups : -1;
}

static long
by_gid(const struct mtls_cache *c, const void *key)
{
	const struct mtls_cache_group *g = mtls_cache_group_by_gid(c,
	    *(const uint32_t *)key);

	return g ? g - c->groups : -1;
}

static uint32_t
n_groups(const struct mtls_cache *c)
{
	return c->h->n_groups;
}

NSS_EXPORT enum nss_status
_nss_mtls_getgrnam_r(const char *name, struct group *gr, char *buffer,
    size_t buflen, int *errnop)
{
	return nss_lookup(by_name, name, fill_group, gr, buffer, buflen,
	    errnop);
}

NSS_EXPORT enum nss_status
_nss_mtls_getgrgid_r(gid_t gid, struct group *gr, char *buffer,
    size_t buflen, int *errnop)
{
	uint32_t key = (uint32_t)gid;

	return nss_lookup(by_gid, &key, fill_group, gr, buffer, buflen,
	    errnop);
}

static __thread struct nss_enum grent;

NSS_EXPORT enum nss_status
_nss_mtls_setgrent(int stayopen)
{
	(void)stayopen;
	return nss_enum_set(&grent);
}

NSS_EXPORT enum nss_status
_nss_mtls_endgrent(void)
{
	return nss_enum_end(&grent);
}

NSS_EXPORT enum nss_status
_nss_mtls_getgrent_r(struct group *gr, char *buffer, size_t buflen,
    int *errnop)
{
	return nss_enum_get(&grent, n_groups, fill_group, gr, buffer, buflen,
	    errnop);
}
