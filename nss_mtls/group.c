/* group map: getgrnam_r, getgrgid_r and enumeration from the cache. */
#include "config.h"

#include <grp.h>

#include "nss_common.h"

/* The one decoder for every group call. */
static int
fill_group(const struct mtls_cache *c, const struct mtls_cache_group *g,
    struct group *gr, char *buffer, size_t buflen)
{
	struct nss_buf b = { buffer, buflen };
	const char *name = mtls_cache_str(c, g->name);
	char **mem;
	uint32_t i;

	if (name == NULL ||
	    (uint64_t)g->mem_start + g->mem_count > c->h->n_members)
		return EINVAL;
	if ((mem = nss_put_ptrs(&b, (size_t)g->mem_count + 1)) == NULL ||
	    (gr->gr_name = nss_put_str(&b, name)) == NULL ||
	    (gr->gr_passwd = nss_put_str(&b, "x")) == NULL)
		return ERANGE;
	for (i = 0; i < g->mem_count; i++) {
		const char *m = mtls_cache_str(c, c->members[g->mem_start + i]);

		if (m == NULL)
			return EINVAL;
		if ((mem[i] = nss_put_str(&b, m)) == NULL)
			return ERANGE;
	}
	mem[g->mem_count] = NULL;
	gr->gr_mem = mem;
	gr->gr_gid = g->gid;
	return 0;
}

NSS_EXPORT enum nss_status
_nss_mtls_getgrnam_r(const char *name, struct group *gr, char *buffer,
    size_t buflen, int *errnop)
{
	const struct mtls_cache_group *g;
	struct mtls_cache c;
	enum nss_status st;

	if ((st = nss_open(&c, errnop)) != NSS_STATUS_SUCCESS)
		return st;
	g = mtls_cache_group_by_name(&c, name);
	st = g ? nss_result(fill_group(&c, g, gr, buffer, buflen), errnop) :
	    nss_notfound(errnop);
	mtls_cache_close(&c);
	return st;
}

NSS_EXPORT enum nss_status
_nss_mtls_getgrgid_r(gid_t gid, struct group *gr, char *buffer,
    size_t buflen, int *errnop)
{
	const struct mtls_cache_group *g;
	struct mtls_cache c;
	enum nss_status st;

	if ((st = nss_open(&c, errnop)) != NSS_STATUS_SUCCESS)
		return st;
	g = mtls_cache_group_by_gid(&c, (uint32_t)gid);
	st = g ? nss_result(fill_group(&c, g, gr, buffer, buflen), errnop) :
	    nss_notfound(errnop);
	mtls_cache_close(&c);
	return st;
}

static __thread struct {
	struct mtls_cache c;
	uint32_t next;
	int open;
} grent;

NSS_EXPORT enum nss_status
_nss_mtls_setgrent(int stayopen)
{
	int err;

	(void)stayopen;
	if (grent.open)
		mtls_cache_close(&grent.c);
	grent.next = 0;
	grent.open = nss_open(&grent.c, &err) == NSS_STATUS_SUCCESS;
	return grent.open ? NSS_STATUS_SUCCESS : NSS_STATUS_UNAVAIL;
}

NSS_EXPORT enum nss_status
_nss_mtls_endgrent(void)
{
	if (grent.open)
		mtls_cache_close(&grent.c);
	grent.open = 0;
	return NSS_STATUS_SUCCESS;
}

NSS_EXPORT enum nss_status
_nss_mtls_getgrent_r(struct group *gr, char *buffer, size_t buflen,
    int *errnop)
{
	int rc;

	if (!grent.open && _nss_mtls_setgrent(0) != NSS_STATUS_SUCCESS) {
		*errnop = ENOENT;
		return NSS_STATUS_UNAVAIL;
	}
	while (grent.next < grent.c.h->n_groups) {
		rc = fill_group(&grent.c, &grent.c.groups[grent.next], gr,
		    buffer, buflen);
		if (rc == ERANGE)
			return nss_result(rc, errnop);
		grent.next++;
		if (rc == 0)
			return NSS_STATUS_SUCCESS;
	}
	return nss_notfound(errnop);
}
