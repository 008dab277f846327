/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* bench_sync: the part of mtls-sync that grows with the directory, in
 * process: resolving member DNs, dropping what must not be served, and
 * building the cache, for a directory of N users and for 10N, in the same
 * run.  The ratio of the two times says the complexity: about 10 for
 * O(n log n), about 100 for the old linear scan per member DN.
 *   bench_sync N DIR */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache_write.h"
#include "sync_filter.h"

/* prefix, the number in seven digits, suffix. */
static char *
fmt(const char *prefix, long i, const char *suffix)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s%07ld%s", prefix, i, suffix);
	return strdup(buf);
}

static void
push(char ***v, size_t *n, char *s)
{
	*v = reallocarray(*v, *n + 1, sizeof(char *));
	if (*v == NULL || s == NULL)
		abort();
	(*v)[(*n)++] = s;
}

/* N users; N/10 groups of ten member DNs (case varied) and ten memberUid
 * each; one group holding every user by DN: 3N memberships. */
static void
directory(long n, struct sync_data *d)
{
	long i, g;

	memset(d, 0, sizeof(*d));
	d->users = calloc((size_t)n, sizeof(*d->users));
	d->groups = calloc((size_t)(n / 10 + 1), sizeof(*d->groups));
	if (d->users == NULL || d->groups == NULL)
		abort();
	for (i = 0; i < n; i++)
		d->users[i] = (struct sync_user){ fmt("user", i, ""),
		    strdup("x"), strdup("/"), strdup(""),
		    fmt("uid=user", i, ",ou=people,dc=example,dc=com"),
		    (uint32_t)(100000 + i), 5000 };
	d->n_users = d->cap_users = (size_t)n;
	for (g = 0; g <= n / 10; g++) {
		struct sync_group *gr = &d->groups[g];

		gr->name = fmt("group", g, "");
		gr->gid = (uint32_t)(200000 + g);
		for (i = 0; g < n / 10 && i < 10; i++) {
			push(&gr->member_dns, &gr->n_member_dns,
			    fmt("UID=user", (g * 10 + i * 7) % n,
			    ",OU=people,DC=example,DC=com"));
			push(&gr->members, &gr->n_members,
			    fmt("user", (g * 10 + i * 3) % n, ""));
		}
		for (i = 0; g == n / 10 && i < n; i++)
			push(&gr->member_dns, &gr->n_member_dns,
			    fmt("uid=user", i, ",ou=people,dc=example,dc=com"));
	}
	d->n_groups = d->cap_groups = (size_t)(n / 10 + 1);
}

static double
run(long n, const char *dir)
{
	struct sync_local l;
	struct sync_drops o;
	struct sync_data d;
	struct timespec t0, t1;
	size_t dropped;
	char err[256];

	directory(n, &d);
	memset(&l, 0, sizeof(l));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sync_members(&d) != 0)
		abort();
	sync_filter(&d, &l, 1000, 1000, &o);
	if (cache_write(dir, &d, &dropped, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_sync: %s\n", err);
		exit(1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o.membership != 0 || d.n_users != (size_t)n)
		abort();
	sync_data_free(&d);
	return (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

int
main(int argc, char **argv)
{
	double a, b;
	long n;

	if (argc != 3 || (n = atol(argv[1])) < 10) {
		fprintf(stderr, "usage: bench_sync N DIR\n");
		return 2;
	}
	a = run(n, argv[2]);
	b = run(10 * n, argv[2]);
	printf("%-50s %10.3f %11.3f %6.1fx\n", "sync build s: 10N users vs N",
	    b, a, b / a);
	return 0;
}
