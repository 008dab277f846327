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

/* Opens the cache; on failure sets *errnop and says UNAVAIL. */
static inline enum nss_status
nss_open(struct mtls_cache *c, int *errnop)
{
	if (mtls_cache_open(mtls_cache_path(), c) != 0) {
		*errnop = errno == ENOENT ? ENOENT : EIO;
		return NSS_STATUS_UNAVAIL;
	}
	return NSS_STATUS_SUCCESS;
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

#endif
