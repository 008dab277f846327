/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sync_filter.h"
#include "util.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
has_str(char *const *v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

static int
has_u32(const uint32_t *v, size_t n, uint32_t x)
{
	return n > 0 && bsearch(&x, v, n, sizeof(*v), cmp_u32) != NULL;
}

/* Appends a name and an id to growing arrays; -1 when out of memory. */
static int
push(char ***names, uint32_t **ids, size_t *n, size_t *cap,
    const char *name, uint32_t id)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		char **nn = reallocarray(*names, c, sizeof(**names));
		uint32_t *ni;

		if (nn == NULL)
			return -1;
		*names = nn;
		if ((ni = reallocarray(*ids, c, sizeof(**ids))) == NULL)
			return -1;
		*ids = ni;
		*cap = c;
	}
	if (((*names)[*n] = strdup(name)) == NULL)
		return -1;
	(*ids)[(*n)++] = id;
	return 0;
}

static void
sort_both(char **names, uint32_t *ids, size_t n)
{
	if (n == 0)
		return;
	qsort(names, n, sizeof(*names), cmp_str);
	qsort(ids, n, sizeof(*ids), cmp_u32);
}

/* A line too long for the buffer is an error, not the end of the file:
 * a local account left unread would not be protected. */
static int
read_passwd(struct sync_local *l, FILE *f)
{
	size_t cap = 0;
	struct passwd pw, *res;
	char buf[16384];
	int rc;

	while ((rc = fgetpwent_r(f, &pw, buf, sizeof(buf), &res)) == 0)
		if (push(&l->users, &l->uids, &l->n_users, &cap, pw.pw_name,
		    (uint32_t)pw.pw_uid) != 0)
			return -1;
	return rc == ENOENT ? 0 : -1;
}

static int
read_group(struct sync_local *l, FILE *f)
{
	size_t cap = 0;
	struct group gr, *res;
	char buf[65536];
	int rc;

	while ((rc = fgetgrent_r(f, &gr, buf, sizeof(buf), &res)) == 0)
		if (push(&l->groups, &l->gids, &l->n_groups, &cap,
		    gr.gr_name, (uint32_t)gr.gr_gid) != 0)
			return -1;
	return rc == ENOENT ? 0 : -1;
}

static int
read_local(const char *path, int (*fn)(struct sync_local *, FILE *),
    struct sync_local *l, char *err, size_t errsz)
{
	FILE *f = fopen(path, "re");
	int rc;

	if (f == NULL) {
		mtls_fmt(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = fn(l, f);
	fclose(f);
	if (rc != 0)
		mtls_fmt(err, errsz, "%s: unreadable line or out of memory",
		    path);
	return rc;
}

int
sync_local_load(struct sync_local *l, const char *passwd_file,
    const char *group_file, char *err, size_t errsz)
{
	memset(l, 0, sizeof(*l));
	if (read_local(passwd_file, read_passwd, l, err, errsz) != 0 ||
	    read_local(group_file, read_group, l, err, errsz) != 0) {
		sync_local_free(l);
		return -1;
	}
	sort_both(l->users, l->uids, l->n_users);
	sort_both(l->groups, l->gids, l->n_groups);
	return 0;
}

void
sync_local_free(struct sync_local *l)
{
	size_t i;

	for (i = 0; i < l->n_users; i++)
		free(l->users[i]);
	for (i = 0; i < l->n_groups; i++)
		free(l->groups[i]);
	free(l->users);
	free(l->groups);
	free(l->uids);
	free(l->gids);
	memset(l, 0, sizeof(*l));
}

/* --- member DNs -> names, in O(n log n) ------------------------------- */

/* DNs compare without regard to case, as the old linear scan did. */
static int
cmp_dn(const void *a, const void *b)
{
	const struct sync_user *x = *(const struct sync_user *const *)a;
	const struct sync_user *y = *(const struct sync_user *const *)b;

	return strcasecmp(x->dn, y->dn);
}

static const char *
user_by_dn(struct sync_user **idx, size_t n, const char *dn)
{
	struct sync_user key, *kp = &key, **hit;

	key.dn = (char *)(uintptr_t)dn;
	hit = n ? bsearch(&kp, idx, n, sizeof(*idx), cmp_dn) : NULL;
	return hit ? (*hit)->name : NULL;
}

/* Sorts a group's members and keeps one of each name. */
static void
unique_members(struct sync_group *g)
{
	size_t i, k = 0;

	if (g->n_members == 0)
		return;
	qsort(g->members, g->n_members, sizeof(char *), cmp_str);
	for (i = 0; i < g->n_members; i++) {
		if (k > 0 && strcmp(g->members[k - 1], g->members[i]) == 0) {
			free(g->members[i]);
			continue;
		}
		g->members[k++] = g->members[i];
	}
	g->n_members = k;
}

static int
resolve_group(struct sync_group *g, struct sync_user **idx, size_t n)
{
	size_t i;
	char **m;

	m = reallocarray(g->members, g->n_members + g->n_member_dns + 1,
	    sizeof(char *));
	if (m == NULL)
		return -1;
	g->members = m;
	for (i = 0; i < g->n_member_dns; i++) {
		const char *name = user_by_dn(idx, n, g->member_dns[i]);

		if (name != NULL &&
		    (g->members[g->n_members] = strdup(name)) != NULL)
			g->n_members++;
		free(g->member_dns[i]);
	}
	free(g->member_dns);
	g->member_dns = NULL;
	g->n_member_dns = 0;
	unique_members(g);
	return 0;
}

int
sync_members(struct sync_data *d)
{
	struct sync_user **idx;
	size_t i;
	int rc = 0;

	if ((idx = calloc(d->n_users + 1, sizeof(*idx))) == NULL)
		return -1;
	for (i = 0; i < d->n_users; i++)
		idx[i] = &d->users[i];
	if (d->n_users > 0)
		qsort(idx, d->n_users, sizeof(*idx), cmp_dn);
	for (i = 0; i < d->n_groups && rc == 0; i++)
		rc = resolve_group(&d->groups[i], idx, d->n_users);
	free(idx);
	return rc;
}

/* --- dropping what must not be served --------------------------------- */

static int
cmp_user_name(const void *a, const void *b)
{
	return strcmp(((const struct sync_user *)a)->name,
	    ((const struct sync_user *)b)->name);
}

static int
cmp_group_name(const void *a, const void *b)
{
	return strcmp(((const struct sync_group *)a)->name,
	    ((const struct sync_group *)b)->name);
}

/* Why a user may not be served, as the counter to bump; NULL to keep. */
static size_t *
user_verdict(const struct sync_user *u, const struct sync_local *l,
    unsigned long min_uid, unsigned long min_gid, struct sync_drops *o)
{
	if (u->uid < min_uid)
		return &o->low_uid;
	if (u->gid < min_gid)
		return &o->low_gid;
	if (has_str(l->users, l->n_users, u->name) ||
	    has_u32(l->uids, l->n_users, u->uid))
		return &o->local_user;
	return NULL;
}

static void
filter_users(struct sync_data *d, const struct sync_local *l,
    unsigned long min_uid, unsigned long min_gid, struct sync_drops *o)
{
	size_t i, j, k = 0;

	if (d->n_users > 0)
		qsort(d->users, d->n_users, sizeof(*d->users), cmp_user_name);
	for (i = 0; i < d->n_users; i = j) {
		size_t *why;

		/* A name several entries claim belongs to none of them. */
		for (j = i + 1; j < d->n_users &&
		    strcmp(d->users[j].name, d->users[i].name) == 0; j++)
			;
		why = j - i > 1 ? &o->duplicate :
		    user_verdict(&d->users[i], l, min_uid, min_gid, o);
		if (why != NULL) {
			*why += j - i;
			for (; i < j; i++)
				sync_user_free(&d->users[i]);
			continue;
		}
		d->users[k++] = d->users[i];
	}
	d->n_users = k;
}

static int
kept_user(const struct sync_data *d, const char *name)
{
	struct sync_user key;

	key.name = (char *)(uintptr_t)name;
	return d->n_users > 0 && bsearch(&key, d->users, d->n_users,
	    sizeof(*d->users), cmp_user_name) != NULL;
}

/* Members must be LDAP users that are served: a local name would get
 * groups from the directory, a dropped one might be created later. */
static void
filter_members(struct sync_group *g, const struct sync_data *d,
    struct sync_drops *o)
{
	size_t i, k = 0;

	for (i = 0; i < g->n_members; i++) {
		if (!kept_user(d, g->members[i])) {
			o->membership++;
			free(g->members[i]);
			continue;
		}
		g->members[k++] = g->members[i];
	}
	g->n_members = k;
}

static void
filter_groups(struct sync_data *d, const struct sync_local *l,
    unsigned long min_gid, struct sync_drops *o)
{
	size_t i, j, k = 0;

	if (d->n_groups > 0)
		qsort(d->groups, d->n_groups, sizeof(*d->groups),
		    cmp_group_name);
	for (i = 0; i < d->n_groups; i = j) {
		const struct sync_group *g = &d->groups[i];
		size_t *why = NULL;

		for (j = i + 1; j < d->n_groups &&
		    strcmp(d->groups[j].name, g->name) == 0; j++)
			;
		if (j - i > 1)
			why = &o->duplicate;
		else if (g->gid < min_gid)
			why = &o->low_gid;
		else if (has_str(l->groups, l->n_groups, g->name) ||
		    has_u32(l->gids, l->n_groups, g->gid))
			why = &o->local_group;
		if (why != NULL) {
			*why += j - i;
			for (; i < j; i++) {
				o->membership += d->groups[i].n_members;
				sync_group_free(&d->groups[i]);
			}
			continue;
		}
		d->groups[k] = d->groups[i];
		filter_members(&d->groups[k++], d, o);
	}
	d->n_groups = k;
}

/* A certificate of a dropped entry must still make another holder of
 * the same certificate ambiguous: it is marked, not removed. */
static void
mark_certs(struct sync_data *d)
{
	size_t i;

	for (i = 0; i < d->n_certs; i++) {
		struct sync_cert *c = &d->certs[i];
		char *mark;

		if (c->user[0] == '\0' || kept_user(d, c->user) ||
		    strcmp(c->user, SYNC_CERT_DROPPED) == 0)
			continue;
		if ((mark = strdup(SYNC_CERT_DROPPED)) != NULL) {
			free(c->user);
			c->user = mark;
		} else
			c->user[0] = '\0';	/* ambiguous: refused too */
	}
}

void
sync_filter(struct sync_data *d, const struct sync_local *l,
    unsigned long min_uid, unsigned long min_gid, struct sync_drops *out)
{
	memset(out, 0, sizeof(*out));
	filter_users(d, l, min_uid, min_gid, out);
	filter_groups(d, l, min_gid, out);
	mark_certs(d);
}
