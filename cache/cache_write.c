/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache_format.h"
#include "cache_write.h"
#include "publish.h"
#include "util.h"

/* A growing byte buffer for the file being built. */
struct out {
	unsigned char *p;
	size_t len, cap;
	int failed;
};

static size_t
emit(struct out *o, const void *data, size_t n)
{
	size_t at = (o->len + 3) & ~(size_t)3;	/* 4-byte aligned records */

	if (at + n > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		unsigned char *np;

		while (cap < at + n)
			cap *= 2;
		if ((np = realloc(o->p, cap)) == NULL) {
			o->failed = 1;
			return 0;
		}
		o->p = np;
		o->cap = cap;
	}
	memset(o->p + o->len, 0, at - o->len);
	if (n > 0)
		memcpy(o->p + at, data, n);
	o->len = at + n;
	return at;
}

/* The string table is built apart and appended last. */
struct strtab {
	char *p;
	size_t len, cap;
	int failed;
};

static uint32_t
str_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;

	if (t->len + n > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 65536;
		char *np;

		while (cap < t->len + n)
			cap *= 2;
		if ((np = realloc(t->p, cap)) == NULL) {
			t->failed = 1;
			return 0;
		}
		t->p = np;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	return (uint32_t)at;
}

static int
cmp_user(const void *a, const void *b)
{
	return strcmp(((const struct sync_user *)a)->name,
	    ((const struct sync_user *)b)->name);
}

static int
cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct sync_group *)a)->name,
	    ((const struct sync_group *)b)->name);
}

static int
cmp_cert(const void *a, const void *b)
{
	const struct sync_cert *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r ? r : strcmp(x->user, y->user);
}

/* Sorting context for the id indexes (qsort has none). */
struct id_sort {
	uint32_t id;
	uint32_t idx;
};

static int
cmp_id(const void *a, const void *b)
{
	const struct id_sort *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void
sync_user_free(struct sync_user *u)
{
	free(u->name);
	free(u->gecos);
	free(u->dir);
	free(u->shell);
	free(u->dn);
}

void
sync_group_free(struct sync_group *g)
{
	size_t m;

	for (m = 0; m < g->n_members; m++)
		free(g->members[m]);
	for (m = 0; m < g->n_member_dns; m++)
		free(g->member_dns[m]);
	free(g->members);
	free(g->member_dns);
	free(g->name);
}

/* Keeps the first of equal names in a sorted array; returns the count. */

static size_t
unique_users(struct sync_user *u, size_t n, size_t *dropped)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (k > 0 && strcmp(u[k - 1].name, u[i].name) == 0) {
			(*dropped)++;
			sync_user_free(&u[i]);
			continue;
		}
		u[k++] = u[i];
	}
	return k;
}

static size_t
unique_groups(struct sync_group *g, size_t n, size_t *dropped)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (k > 0 && strcmp(g[k - 1].name, g[i].name) == 0) {
			(*dropped)++;
			sync_group_free(&g[i]);
			continue;
		}
		g[k++] = g[i];
	}
	return k;
}

/* The records of one key: one account, or the ambiguity mark; a key only
 * dropped entries held is not written.  The mapping must not pick. */
static size_t
unique_certs(struct sync_cert *c, size_t n, size_t *dropped)
{
	size_t i = 0, k = 0, j;

	while (i < n) {
		int conflict = 0;

		for (j = i + 1; j < n && strcmp(c[j].key, c[i].key) == 0; j++)
			conflict |= strcmp(c[j].user, c[i].user) != 0;
		if (!conflict && strcmp(c[i].user, SYNC_CERT_DROPPED) == 0) {
			*dropped += j - i;
		} else {
			if (conflict) {
				*dropped += j - i - 1;
				c[i].user[0] = '\0';	/* SYNC_CERT_AMBIGUOUS */
			}
			c[k++] = c[i++];
		}
		/* Free what was not kept. */
		for (; i < j; i++) {
			free(c[i].key);
			free(c[i].user);
		}
	}
	return k;
}

static int
cmp_name_user(const void *key, const void *elem)
{
	return strcmp(key, ((const struct sync_user *)elem)->name);
}

static long
find_user(const struct sync_user *u, size_t n, const char *name)
{
	const struct sync_user *hit;

	if (n == 0)	/* bsearch's base must not be NULL, even for 0 */
		return -1;
	hit = bsearch(name, u, n, sizeof(*u), cmp_name_user);
	return hit != NULL ? (long)(hit - u) : -1;
}

/* Supplementary gids per user, from every group's member list. */
static int
user_gids(const struct sync_data *d, uint32_t **list, uint32_t **start,
    uint32_t **count, size_t *total)
{
	size_t g, m, i, n = 0;
	uint32_t *fill;

	*start = calloc(d->n_users + 1, sizeof(uint32_t));
	*count = calloc(d->n_users + 1, sizeof(uint32_t));
	if (*start == NULL || *count == NULL)
		return -1;
	for (g = 0; g < d->n_groups; g++)
		for (m = 0; m < d->groups[g].n_members; m++) {
			long u = find_user(d->users, d->n_users,
			    d->groups[g].members[m]);

			if (u >= 0) {
				(*count)[u]++;
				n++;
			}
		}
	*list = calloc(n + 1, sizeof(uint32_t));
	fill = calloc(d->n_users + 1, sizeof(uint32_t));
	if (*list == NULL || fill == NULL) {
		free(fill);
		return -1;
	}
	for (i = 0, n = 0; i < d->n_users; i++) {
		(*start)[i] = (uint32_t)n;
		n += (*count)[i];
	}
	for (g = 0; g < d->n_groups; g++)
		for (m = 0; m < d->groups[g].n_members; m++) {
			long u = find_user(d->users, d->n_users,
			    d->groups[g].members[m]);

			if (u >= 0)
				(*list)[(*start)[u] + fill[u]++] =
				    d->groups[g].gid;
		}
	free(fill);
	*total = n;
	return 0;
}

static int
build(struct sync_data *d, struct out *o, size_t *dropped)
{
	struct mtls_cache_header h;
	struct strtab t = { NULL, 0, 0, 0 };
	struct id_sort *ids = NULL;
	uint32_t *gl = NULL, *gstart = NULL, *gcount = NULL, mem = 0;
	size_t i, m, n_gids = 0, n_members = 0;
	int rc = -1;

	/* qsort with a NULL array is undefined even for zero elements. */
	if (d->n_users > 0)
		qsort(d->users, d->n_users, sizeof(*d->users), cmp_user);
	d->n_users = unique_users(d->users, d->n_users, dropped);
	if (d->n_groups > 0)
		qsort(d->groups, d->n_groups, sizeof(*d->groups), cmp_group);
	d->n_groups = unique_groups(d->groups, d->n_groups, dropped);
	if (d->n_certs > 0)
		qsort(d->certs, d->n_certs, sizeof(*d->certs), cmp_cert);
	d->n_certs = unique_certs(d->certs, d->n_certs, dropped);
	if (user_gids(d, &gl, &gstart, &gcount, &n_gids) != 0)
		goto out;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MTLS_CACHE_MAGIC, 8);
	h.version = MTLS_CACHE_VERSION;
	h.n_users = (uint32_t)d->n_users;
	h.n_groups = (uint32_t)d->n_groups;
	h.n_certs = (uint32_t)d->n_certs;
	h.n_user_gids = (uint32_t)n_gids;
	h.created = (uint64_t)time(NULL);
	emit(o, &h, sizeof(h));
	h.off_users = o->len;
	for (i = 0; i < d->n_users; i++) {
		struct mtls_cache_user u = {
			str_add(&t, d->users[i].name),
			str_add(&t, d->users[i].gecos),
			str_add(&t, d->users[i].dir),
			str_add(&t, d->users[i].shell),
			d->users[i].uid, d->users[i].gid, gstart[i], gcount[i] };

		emit(o, &u, sizeof(u));
	}
	if ((ids = calloc(d->n_users + d->n_groups + 1, sizeof(*ids))) == NULL)
		goto out;
	for (i = 0; i < d->n_users; i++)
		ids[i] = (struct id_sort){ d->users[i].uid, (uint32_t)i };
	if (d->n_users > 0)
		qsort(ids, d->n_users, sizeof(*ids), cmp_id);
	h.off_uid_idx = emit(o, NULL, 0);
	for (i = 0; i < d->n_users; i++)
		emit(o, &ids[i].idx, sizeof(uint32_t));
	h.off_groups = emit(o, NULL, 0);
	for (i = 0; i < d->n_groups; i++) {
		struct mtls_cache_group g = { str_add(&t, d->groups[i].name),
			d->groups[i].gid, mem,
			(uint32_t)d->groups[i].n_members };

		mem += (uint32_t)d->groups[i].n_members;
		emit(o, &g, sizeof(g));
	}
	for (i = 0; i < d->n_groups; i++)
		ids[i] = (struct id_sort){ d->groups[i].gid, (uint32_t)i };
	if (d->n_groups > 0)
		qsort(ids, d->n_groups, sizeof(*ids), cmp_id);
	h.off_gid_idx = emit(o, NULL, 0);
	for (i = 0; i < d->n_groups; i++)
		emit(o, &ids[i].idx, sizeof(uint32_t));
	h.off_members = emit(o, NULL, 0);
	for (i = 0; i < d->n_groups; i++)
		for (m = 0; m < d->groups[i].n_members; m++, n_members++) {
			uint32_t s = str_add(&t, d->groups[i].members[m]);

			emit(o, &s, sizeof(s));
		}
	h.n_members = (uint32_t)n_members;
	h.off_user_gids = emit(o, NULL, 0);
	for (i = 0; i < n_gids; i++)
		emit(o, &gl[i], sizeof(uint32_t));
	h.off_certs = emit(o, NULL, 0);
	for (i = 0; i < d->n_certs; i++) {
		struct mtls_cache_cert c = { str_add(&t, d->certs[i].key),
			str_add(&t, d->certs[i].user) };

		emit(o, &c, sizeof(c));
	}
	str_add(&t, "");	/* the table is never empty and ends in NUL */
	h.off_strings = emit(o, t.p, t.len);
	h.len_strings = t.len;
	h.file_size = o->len;
	if (!o->failed && !t.failed) {
		memcpy(o->p, &h, sizeof(h));
		rc = 0;
	}
out:
	free(t.p);
	free(ids);
	free(gl);
	free(gstart);
	free(gcount);
	return rc;
}

int
cache_write(const char *dir, struct sync_data *d, size_t *dropped,
    char *err, size_t errsz)
{
	struct out o = { NULL, 0, 0, 0 };
	int rc;

	*dropped = 0;
	if (build(d, &o, dropped) != 0) {
		mtls_fmt(err, errsz, "out of memory building the cache");
		free(o.p);
		return -1;
	}
	rc = mtls_publish(dir, MTLS_CACHE_FILE, o.p, o.len, 0644, err,
	    errsz);
	free(o.p);
	return rc;
}

void
sync_data_free(struct sync_data *d)
{
	size_t i;

	for (i = 0; i < d->n_users; i++)
		sync_user_free(&d->users[i]);
	for (i = 0; i < d->n_groups; i++)
		sync_group_free(&d->groups[i]);
	for (i = 0; i < d->n_certs; i++) {
		free(d->certs[i].key);
		free(d->certs[i].user);
	}
	free(d->users);
	free(d->groups);
	free(d->certs);
	memset(d, 0, sizeof(*d));
}
