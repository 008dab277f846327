/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* initgroups_dyn: a user's supplementary groups, precomputed by mtls-sync
 * (memberUid and member DNs resolved) so this is one lookup, not a scan. */
#include "config.h"

#include <grp.h>
#include <stdlib.h>

#include "nss_common.h"

/* Appends gid unless present or it is the primary group; grows the array
 * within limit (<= 0: none). Returns 0, or ENOMEM. */
static int
add_gid(gid_t gid, gid_t skip, long int *start, long int *size,
    gid_t **groupsp, long int limit)
{
	long int i, n;
	gid_t *g;

	if (gid == skip)
		return 0;
	for (i = 0; i < *start; i++)
		if ((*groupsp)[i] == gid)
			return 0;
	if (*start == *size) {
		if (limit > 0 && *size >= limit)
			return 0;
		n = *size ? *size * 2 : 16;
		if (limit > 0 && n > limit)
			n = limit;
		if ((g = realloc(*groupsp, (size_t)n * sizeof(gid_t))) == NULL)
			return ENOMEM;
		*groupsp = g;
		*size = n;
	}
	(*groupsp)[(*start)++] = gid;
	return 0;
}

NSS_EXPORT enum nss_status
_nss_mtls_initgroups_dyn(const char *user, gid_t group, long int *start,
    long int *size, gid_t **groupsp, long int limit, int *errnop)
{
	const struct mtls_cache_user *u;
	struct mtls_cache c;
	enum nss_status st;
	uint32_t i;

	if ((st = nss_open(&c, errnop)) != NSS_STATUS_SUCCESS)
		return st;
	u = mtls_cache_user_by_name(&c, user);
	if (u == NULL || nss_forbidden(user, u->uid) || (uint64_t)u->gids_start + u->gids_count >
	    c.h->n_user_gids) {
		mtls_cache_close(&c);
		return nss_notfound(errnop);
	}
	for (i = 0; i < u->gids_count; i++) {
		if (c.user_gids[u->gids_start + i] == 0)
			continue;
		if (add_gid(c.user_gids[u->gids_start + i], group, start, size,
		    groupsp, limit) != 0) {
			mtls_cache_close(&c);
			*errnop = ENOMEM;
			return NSS_STATUS_TRYAGAIN;
		}
	}
	mtls_cache_close(&c);
	return NSS_STATUS_SUCCESS;
}
