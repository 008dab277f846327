/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The process-wide mapping of the account cache.
 *
 * A deliberate exception to "no global mutable state", like the CRL and
 * configuration caches of common/: opening, checking and mapping the file
 * in every call cost more than the lookup itself (docs/performance.md).
 * So one validated view is kept in `map' and each call only stats the
 * path (lstat: open uses O_NOFOLLOW) and compares device, inode, size,
 * mtime and ctime with the version mapped.  Any difference, and a file
 * the trust rules now refuse, opens, checks and maps the file again
 * exactly as a first call does; a missing file drops the view.
 *
 * This relies on mtls-sync's contract: the cache is replaced by rename,
 * never rewritten in place.  While we map the old inode it cannot be
 * freed, so the new file has another inode and the next call sees it.  A
 * rewrite in place (an administrator's cp) keeps the inode; its mtime
 * and ctime change, unless it falls in the same timestamp tick as our
 * map: a view whose ctime is younger than RACY_SEC is therefore checked
 * again at the next call ("racy" as in git's index), so it is never
 * trusted beyond what opening the file in every call would have seen.
 *
 * Threads: `map.lock' guards `map.cur'; views are reference-counted, so a
 * lookup never reads a view another thread unmaps: the last reference
 * unmaps it.  Lookups read a view without the lock.  Fork: the lock is
 * taken around fork (pthread_atfork), so a child never inherits it held;
 * the mapping itself survives fork.  dlclose: the destructor drops the
 * process's reference (a view an unfinished getpwent still holds stays).
 * Enumeration holds its own reference to the view it started with. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "nss_map.h"

/* Margin for file systems with coarse timestamps (one second on some),
 * plus the coarse clock's lag. */
#define RACY_SEC 2

static struct {
	pthread_mutex_t lock;
	struct nss_view *cur;	/* holds one reference; under lock */
} map = { PTHREAD_MUTEX_INITIALIZER, NULL };

void
nss_view_put(struct nss_view *v)
{
	if (v != NULL && __atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) ==
	    0) {
		mtls_cache_close(&v->c);
		free(v);
	}
}

/* A change in place in the same tick as our map would keep every
 * timestamp: a file changed this recently is checked again next call. */
static int
racy(const struct timespec *ctime)
{
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now) != 0)
		return 1;
	/* Younger than RACY_SEC, to the nanosecond (or from the future). */
	return now.tv_sec - ctime->tv_sec < RACY_SEC ||
	    (now.tv_sec - ctime->tv_sec == RACY_SEC &&
	    now.tv_nsec < ctime->tv_nsec);
}

/* Replaces map.cur with a fresh view of path; under lock. */
static void
remap(const char *path, int *errnop)
{
	struct nss_view *v;

	nss_view_put(map.cur);
	map.cur = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		*errnop = EIO;
		return;
	}
	if (mtls_cache_open(path, &v->c) != 0) {
		*errnop = errno == ENOENT ? ENOENT : EIO;
		free(v);
		return;
	}
	v->racy = racy(&v->c.ctime);
	v->refs = 1;
	map.cur = v;
}

struct nss_view *
nss_view_get(int *errnop)
{
	const char *path = mtls_cache_path();
	struct nss_view *v;
	struct stat st;
	int ok;

	ok = lstat(path, &st) == 0;
	if (!ok)
		*errnop = errno == ENOENT ? ENOENT : EIO;
	pthread_mutex_lock(&map.lock);
	if (!ok) {
		nss_view_put(map.cur);
		map.cur = NULL;
	} else if (map.cur == NULL || map.cur->racy ||
	    !mtls_cache_same(&map.cur->c, &st) || !mtls_cache_trusted(&st))
		remap(path, errnop);
	if ((v = map.cur) != NULL)
		__atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&map.lock);
	return v;
}

static void
lock(void)
{
	pthread_mutex_lock(&map.lock);
}

static void
unlock(void)
{
	pthread_mutex_unlock(&map.lock);
}

__attribute__((constructor)) static void
nss_map_init(void)
{
	/* Registered with this object's handle: dlclose unregisters it. */
	(void)pthread_atfork(lock, unlock, unlock);
}

__attribute__((destructor)) static void
nss_map_fini(void)
{
	pthread_mutex_lock(&map.lock);
	nss_view_put(map.cur);
	map.cur = NULL;
	pthread_mutex_unlock(&map.lock);
}
