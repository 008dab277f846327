/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The account cache as the NSS module sees it: one mapping per process,
 * kept between calls and replaced when the file is (nss_map.c). */
#ifndef MTLS_NSS_MAP_H
#define MTLS_NSS_MAP_H

#include "cache_read.h"

/* A validated mapping of one version of the cache.  Read-only once
 * published; it stays mapped while anyone holds a reference. */
struct nss_view {
	struct mtls_cache c;
	int racy;	/* timestamps too recent to prove a later change */
	unsigned refs;	/* atomic */
};

/* The view of the cache file as it is now, with a reference the caller
 * drops with nss_view_put; NULL with *errnop ENOENT (no cache) or EIO
 * (refused or damaged). */
struct nss_view *nss_view_get(int *errnop);
void nss_view_put(struct nss_view *v);

#endif
