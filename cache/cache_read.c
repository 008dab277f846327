/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_read.h"

const char *
mtls_cache_path(void)
{
	const char *p = secure_getenv("MTLS_NSS_CACHE");

	return p != NULL && p[0] == '/' ? p : MTLS_CACHE_DIR "/"
	    MTLS_CACHE_FILE;
}

/* An array of n records of size sz at off lies inside the file. */
static int
fits(const struct mtls_cache *c, uint64_t off, uint64_t n, size_t sz)
{
	return off <= c->size && n <= (c->size - off) / sz &&
	    off % sizeof(uint32_t) == 0;
}

static int
map_view(struct mtls_cache *c)
{
	const struct mtls_cache_header *h = c->h;

	if (c->size < sizeof(*h) || memcmp(h->magic, MTLS_CACHE_MAGIC, 8) ||
	    h->version != MTLS_CACHE_VERSION || h->file_size != c->size ||
	    !fits(c, h->off_strings, h->len_strings, 1) ||
	    !fits(c, h->off_users, h->n_users, sizeof(*c->users)) ||
	    !fits(c, h->off_uid_idx, h->n_users, sizeof(uint32_t)) ||
	    !fits(c, h->off_groups, h->n_groups, sizeof(*c->groups)) ||
	    !fits(c, h->off_gid_idx, h->n_groups, sizeof(uint32_t)) ||
	    !fits(c, h->off_members, h->n_members, sizeof(uint32_t)) ||
	    !fits(c, h->off_user_gids, h->n_user_gids, sizeof(uint32_t)) ||
	    !fits(c, h->off_certs, h->n_certs, sizeof(*c->certs)))
		return -1;
	c->users = (const void *)(c->base + h->off_users);
	c->uid_idx = (const void *)(c->base + h->off_uid_idx);
	c->groups = (const void *)(c->base + h->off_groups);
	c->gid_idx = (const void *)(c->base + h->off_gid_idx);
	c->members = (const void *)(c->base + h->off_members);
	c->user_gids = (const void *)(c->base + h->off_user_gids);
	c->certs = (const void *)(c->base + h->off_certs);
	/* The string table ends in NUL, so any offset inside it names a
	 * terminated string; offsets themselves are checked at each use. */
	return h->len_strings > 0 &&
	    c->base[h->off_strings + h->len_strings - 1] == '\0' ? 0 : -1;
}

int
mtls_cache_trusted(const struct stat *st)
{
	/* Root's file is the production case: no geteuid() call for it. */
	return S_ISREG(st->st_mode) && st->st_size > 0 &&
	    !(st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    (st->st_uid == 0 || st->st_uid == geteuid());
}

int
mtls_cache_same(const struct mtls_cache *c, const struct stat *st)
{
	return c->base != NULL && st->st_dev == c->dev &&
	    st->st_ino == c->ino && st->st_size >= 0 &&
	    (size_t)st->st_size == c->size &&
	    st->st_mtim.tv_sec == c->mtime.tv_sec &&
	    st->st_mtim.tv_nsec == c->mtime.tv_nsec &&
	    st->st_ctim.tv_sec == c->ctime.tv_sec &&
	    st->st_ctim.tv_nsec == c->ctime.tv_nsec;
}

int
mtls_cache_open(const char *path, struct mtls_cache *c)
{
	struct stat st;
	void *p;
	int fd;

	memset(c, 0, sizeof(*c));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !mtls_cache_trusted(&st)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	/* The file is replaced by rename, never rewritten: a mapping of the
	 * old inode stays whole while we read it. */
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	c->base = p;
	c->size = (size_t)st.st_size;
	c->h = p;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->mtime = st.st_mtim;
	c->ctime = st.st_ctim;
	if (map_view(c) != 0) {
		mtls_cache_close(c);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void
mtls_cache_close(struct mtls_cache *c)
{
	if (c->base != NULL)
		munmap((void *)(uintptr_t)c->base, c->size);
	memset(c, 0, sizeof(*c));
}

const char *
mtls_cache_str(const struct mtls_cache *c, uint32_t off)
{
	if (off >= c->h->len_strings)
		return NULL;
	return (const char *)c->base + c->h->off_strings + off;
}

/* For comparisons: a damaged offset reads as "", which no key equals. */
static const char *
str_or_empty(const struct mtls_cache *c, uint32_t off)
{
	const char *s = mtls_cache_str(c, off);

	return s ? s : "";
}

/* Binary search over n records ordered by cmp(key, index). */
static long
search(size_t n, const void *key, int (*cmp)(const struct mtls_cache *,
    const void *, size_t), const struct mtls_cache *c)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = cmp(c, key, mid);

		if (r == 0)
			return (long)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int
cmp_user_name(const struct mtls_cache *c, const void *k, size_t i)
{
	return strcmp(k, str_or_empty(c, c->users[i].name));
}

static int
cmp_uid(const struct mtls_cache *c, const void *k, size_t i)
{
	uint32_t a = *(const uint32_t *)k, j = c->uid_idx[i], b;

	if (j >= c->h->n_users)
		return -1;
	b = c->users[j].uid;
	return a < b ? -1 : a > b;
}

static int
cmp_group_name(const struct mtls_cache *c, const void *k, size_t i)
{
	return strcmp(k, str_or_empty(c, c->groups[i].name));
}

static int
cmp_gid(const struct mtls_cache *c, const void *k, size_t i)
{
	uint32_t a = *(const uint32_t *)k, j = c->gid_idx[i], b;

	if (j >= c->h->n_groups)
		return -1;
	b = c->groups[j].gid;
	return a < b ? -1 : a > b;
}

static int
cmp_cert(const struct mtls_cache *c, const void *k, size_t i)
{
	return strcmp(k, str_or_empty(c, c->certs[i].key));
}

const struct mtls_cache_user *
mtls_cache_user_by_name(const struct mtls_cache *c, const char *name)
{
	long i = search(c->h->n_users, name, cmp_user_name, c);

	return i < 0 ? NULL : &c->users[i];
}

const struct mtls_cache_user *
mtls_cache_user_by_uid(const struct mtls_cache *c, uint32_t uid)
{
	long i = search(c->h->n_users, &uid, cmp_uid, c);

	return i < 0 ? NULL : &c->users[c->uid_idx[i]];
}

const struct mtls_cache_group *
mtls_cache_group_by_name(const struct mtls_cache *c, const char *name)
{
	long i = search(c->h->n_groups, name, cmp_group_name, c);

	return i < 0 ? NULL : &c->groups[i];
}

const struct mtls_cache_group *
mtls_cache_group_by_gid(const struct mtls_cache *c, uint32_t gid)
{
	long i = search(c->h->n_groups, &gid, cmp_gid, c);

	return i < 0 ? NULL : &c->groups[c->gid_idx[i]];
}

const char *
mtls_cache_cert_user(const struct mtls_cache *c, const char *key)
{
	long i = search(c->h->n_certs, key, cmp_cert, c);

	return i < 0 ? NULL : mtls_cache_str(c, c->certs[i].user);
}
