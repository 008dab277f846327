/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* bench_nss: getpwnam_r through glibc with one NSS service configured
 * (__nss_configure_lookup), over the same users in both backends.
 *   bench_nss gen N DIR      writes DIR/passwd and DIR/accounts.cache
 *   bench_nss run SERVICE N LOOKUPS
 * prints lookups per second for SERVICE ("files" or "mtls"). */
#include "config.h"

#include <errno.h>
#include <nss.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache_write.h"

int __nss_configure_lookup(const char *db, const char *service);

/* prefix + number, zero-padded to 6 digits when pad. */
static char *
numbered(const char *prefix, long i, int pad)
{
	char buf[64];

	snprintf(buf, sizeof(buf), pad ? "%s%06ld" : "%s%ld", prefix, i);
	return strdup(buf);
}

static int
gen(long n, const char *dir)
{
	struct sync_data d;
	char path[4096], err[256];
	size_t dropped;
	FILE *f;
	long i;

	memset(&d, 0, sizeof(d));
	snprintf(path, sizeof(path), "%s/passwd", dir);
	if ((f = fopen(path, "w")) == NULL ||
	    (d.users = calloc((size_t)n, sizeof(*d.users))) == NULL)
		return 1;
	fprintf(f, "root:x:0:0:root:/root:/bin/sh\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "user%06ld:x:%ld:100:User %ld:/home/user%06ld:"
		    "/bin/sh\n", i, 100000 + i, i, i);
		d.users[i] = (struct sync_user){ numbered("user", i, 1),
			numbered("User ", i, 0), numbered("/home/user", i, 1),
			strdup("/bin/sh"), numbered("uid=user", i, 1),
			(uint32_t)(100000 + i), 100 };
	}
	d.n_users = d.cap_users = (size_t)n;
	fclose(f);
	if (cache_write(dir, &d, &dropped, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_nss: %s\n", err);
		return 1;
	}
	sync_data_free(&d);
	return 0;
}

static int
run(const char *service, long n, long lookups)
{
	struct passwd pw, *res;
	struct timespec a, b;
	char buf[1024], name[32];
	unsigned seed = 42;
	long i, found = 0;

	if (__nss_configure_lookup("passwd", service) != 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < lookups; i++) {
		snprintf(name, sizeof(name), "user%06ld",
		    (long)rand_r(&seed) % n);
		if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) == 0 &&
		    res != NULL)
			found++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (found != lookups) {
		fprintf(stderr, "bench_nss: %s found %ld of %ld\n", service,
		    found, lookups);
		return 1;
	}
	printf("%.1f\n", (double)lookups / ((double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9));
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(atol(argv[2]), argv[3]);
	if (argc == 5 && strcmp(argv[1], "run") == 0)
		return run(argv[2], atol(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: bench_nss gen N DIR | run SERVICE N LOOKUPS\n");
	return 2;
}
