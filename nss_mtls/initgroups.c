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
	const struct mtls_cache *c;
	struct nss_view *v;
	enum nss_status st = NSS_STATUS_SUCCESS;
	uint32_t i;

	if ((v = nss_open(errnop)) == NULL)
		return NSS_STATUS_UNAVAIL;
	c = &v->c;
	u = mtls_cache_user_by_name(c, user);
	if (u == NULL || nss_forbidden(user, u->uid) ||
	    (uint64_t)u->gids_start + u->gids_count > c->h->n_user_gids) {
		nss_view_put(v);
		return nss_notfound(errnop);
	}
	for (i = 0; i < u->gids_count; i++) {
		if (c->user_gids[u->gids_start + i] == 0)
			continue;
		if (add_gid(c->user_gids[u->gids_start + i], group, start, size,
		    groupsp, limit) != 0) {
			*errnop = ENOMEM;
			st = NSS_STATUS_TRYAGAIN;
			break;
		}
	}
	nss_view_put(v);
	return st;
}
