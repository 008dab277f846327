/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* libnss_mtls.so.2 called as glibc calls it (dlopen + _nss_mtls_*), over
 * caches written by mtls-sync's own writer: lookups, ERANGE, missing and
 * damaged caches, enumeration, and a cache replaced under 8 threads. */
#include "config.h"

#include "unit.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <grp.h>
#include <nss.h>
#include <pthread.h>
#include <pwd.h>

#include "cache_write.h"
#include "sync_filter.h"

typedef enum nss_status (*pwnam_fn)(const char *, struct passwd *, char *,
    size_t, int *);
typedef enum nss_status (*pwuid_fn)(uid_t, struct passwd *, char *, size_t,
    int *);
typedef enum nss_status (*grnam_fn)(const char *, struct group *, char *,
    size_t, int *);
typedef enum nss_status (*grgid_fn)(gid_t, struct group *, char *, size_t,
    int *);
typedef enum nss_status (*setent_fn)(int);
typedef enum nss_status (*endent_fn)(void);
typedef enum nss_status (*pwent_fn)(struct passwd *, char *, size_t, int *);
typedef enum nss_status (*initgr_fn)(const char *, gid_t, long *, long *,
    gid_t **, long, int *);

static struct {
	void *h;
	pwnam_fn pwnam;
	pwuid_fn pwuid;
	grnam_fn grnam;
	grgid_fn grgid;
	setent_fn setpw;
	endent_fn endpw;
	pwent_fn pwent;
	initgr_fn initgr;
} nss;

static char dir[64], cache[128];

static char *
dupe(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

/* A cache with alice (gecos as given), bob, and groups staff and vpn. */
static void
write_cache(const char *path, const char *gecos)
{
	struct sync_data d;
	size_t dropped;
	char err[256], *mem1[] = { dupe("alice"), dupe("bob") };
	char *mem2[] = { dupe("alice") };

	memset(&d, 0, sizeof(d));
	d.users = calloc(2, sizeof(*d.users));
	d.users[0] = (struct sync_user){ dupe("bob"), dupe("Bob"),
	    dupe("/home/bob"), dupe("/bin/sh"), dupe("uid=bob"), 2002, 100 };
	d.users[1] = (struct sync_user){ dupe("alice"), dupe(gecos),
	    dupe("/home/alice"), dupe("/bin/bash"), dupe("uid=alice"), 2001,
	    100 };
	d.n_users = d.cap_users = 2;
	d.groups = calloc(2, sizeof(*d.groups));
	d.groups[0] = (struct sync_group){ dupe("staff"), 100, NULL, 0, NULL, 0 };
	d.groups[0].members = malloc(sizeof(mem1));
	memcpy(d.groups[0].members, mem1, sizeof(mem1));
	d.groups[0].n_members = 2;
	d.groups[1] = (struct sync_group){ dupe("vpn"), 300, NULL, 0, NULL, 0 };
	d.groups[1].members = malloc(sizeof(mem2));
	memcpy(d.groups[1].members, mem2, sizeof(mem2));
	d.groups[1].n_members = 1;
	d.n_groups = d.cap_groups = 2;
	assert_int_equal(cache_write(dir, &d, &dropped, err, sizeof(err)), 0);
	sync_data_free(&d);
	if (strcmp(path, cache) != 0) {
		char tmp[160];

		snprintf(tmp, sizeof(tmp), "%s/accounts.cache", dir);
		assert_int_equal(rename(tmp, path), 0);
	}
}

static void
test_missing(void **state)
{
	struct passwd pw;
	char buf[1024];
	int err = 0;

	(void)state;
	unlink(cache);
	assert_int_equal(nss.pwnam("alice", &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_UNAVAIL);
	assert_int_equal(err, ENOENT);
}

static void
test_lookups(void **state)
{
	struct passwd pw;
	struct group gr;
	char buf[1024];
	gid_t *groups = malloc(4 * sizeof(gid_t));
	long start = 0, size = 4;
	int err = 0;

	(void)state;
	write_cache(cache, "Alice");
	assert_int_equal(nss.pwnam("alice", &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_name, "alice");
	assert_string_equal(pw.pw_passwd, "x");
	assert_string_equal(pw.pw_gecos, "Alice");
	assert_string_equal(pw.pw_dir, "/home/alice");
	assert_string_equal(pw.pw_shell, "/bin/bash");
	assert_int_equal(pw.pw_uid, 2001);
	assert_int_equal(nss.pwuid(2002, &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_name, "bob");
	assert_int_equal(nss.pwnam("carol", &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_NOTFOUND);
	assert_int_equal(err, ENOENT);
	assert_int_equal(nss.pwuid(9999, &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_NOTFOUND);
	assert_int_equal(nss.grnam("staff", &gr, buf, sizeof(buf), &err),
	    NSS_STATUS_SUCCESS);
	assert_int_equal(gr.gr_gid, 100);
	assert_string_equal(gr.gr_mem[0], "alice");
	assert_string_equal(gr.gr_mem[1], "bob");
	assert_null(gr.gr_mem[2]);
	assert_int_equal(nss.grgid(300, &gr, buf, sizeof(buf), &err),
	    NSS_STATUS_SUCCESS);
	assert_string_equal(gr.gr_name, "vpn");
	assert_int_equal(nss.initgr("alice", 100, &start, &size, &groups, 0,
	    &err), NSS_STATUS_SUCCESS);
	assert_int_equal(start, 1);	/* staff is the primary group */
	assert_int_equal(groups[0], 300);
	free(groups);
}

static void
test_erange(void **state)
{
	struct passwd pw;
	struct group gr;
	char buf[1024];
	size_t n;
	int err = 0;

	(void)state;
	write_cache(cache, "Alice");
	/* Every size below what the record needs says TRYAGAIN/ERANGE. */
	for (n = 0; n < 30; n++) {
		err = 0;
		assert_int_equal(nss.pwnam("alice", &pw, buf, n, &err),
		    NSS_STATUS_TRYAGAIN);
		assert_int_equal(err, ERANGE);
	}
	assert_int_equal(nss.pwnam("alice", &pw, buf, 40, &err),
	    NSS_STATUS_SUCCESS);
	assert_int_equal(nss.grnam("staff", &gr, buf, 20, &err),
	    NSS_STATUS_TRYAGAIN);
	assert_int_equal(err, ERANGE);
}

static void
test_enumerate(void **state)
{
	struct passwd pw;
	char buf[1024];
	int err = 0, n = 0;

	(void)state;
	write_cache(cache, "Alice");
	assert_int_equal(nss.setpw(0), NSS_STATUS_SUCCESS);
	while (nss.pwent(&pw, buf, sizeof(buf), &err) == NSS_STATUS_SUCCESS)
		n++;
	assert_int_equal(err, ENOENT);
	nss.endpw();
	assert_int_equal(n, 2);
}

/* Damaged caches: truncated, bad magic, every byte flipped in turn.  No
 * answer may crash; a damaged header is UNAVAIL. */
static void
test_damaged(void **state)
{
	struct passwd pw;
	struct group gr;
	char buf[1024], *data;
	size_t len, i;
	int err = 0;
	FILE *f;

	(void)state;
	write_cache(cache, "Alice");
	data = slurp(cache, &len);
	f = fopen(cache, "wb");
	fwrite(data, 1, len / 2, f);
	fclose(f);
	assert_int_equal(nss.pwnam("alice", &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_UNAVAIL);
	for (i = 0; i < len; i++) {
		char saved = data[i];

		data[i] = (char)(data[i] ^ 0xa5);
		f = fopen(cache, "wb");
		fwrite(data, 1, len, f);
		fclose(f);
		(void)nss.pwnam("alice", &pw, buf, sizeof(buf), &err);
		(void)nss.pwuid(2001, &pw, buf, sizeof(buf), &err);
		(void)nss.grnam("staff", &gr, buf, sizeof(buf), &err);
		(void)nss.grgid(100, &gr, buf, sizeof(buf), &err);
		data[i] = saved;
	}
	memcpy(data, "NOTMAGIC", 8);
	f = fopen(cache, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
	assert_int_equal(nss.pwnam("alice", &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_UNAVAIL);
	free(data);
}

static int stop_threads;

static void *
reader(void *arg)
{
	struct passwd pw;
	char buf[1024];
	long bad = 0;
	int err;

	(void)arg;
	while (!__atomic_load_n(&stop_threads, __ATOMIC_RELAXED)) {
		if (nss.pwnam("alice", &pw, buf, sizeof(buf), &err) !=
		    NSS_STATUS_SUCCESS || (strcmp(pw.pw_gecos, "old") != 0 &&
		    strcmp(pw.pw_gecos, "new") != 0))
			bad++;
	}
	return (void *)bad;
}

static void
test_threads_replace(void **state)
{
	char old[160], new[160], tmp[160];
	pthread_t t[8];
	long total = 0;
	void *bad;
	int i;

	(void)state;
	snprintf(old, sizeof(old), "%s/old.cache", dir);
	snprintf(new, sizeof(new), "%s/new.cache", dir);
	snprintf(tmp, sizeof(tmp), "%s/swap.cache", dir);
	write_cache(old, "old");
	write_cache(new, "new");
	write_cache(cache, "old");
	stop_threads = 0;
	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
	/* Publish the other version by link + rename, as mtls-sync does. */
	for (i = 0; i < 400; i++) {
		assert_int_equal(link(i % 2 ? old : new, tmp), 0);
		assert_int_equal(rename(tmp, cache), 0);
		usleep(500);
	}
	__atomic_store_n(&stop_threads, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], &bad);
		total += (long)bad;
	}
	assert_int_equal(total, 0);
}

/* Whatever a cache holds, the superuser's name and ids are never served
 * (mtls-sync drops them first; this is the floor behind it). */
static void
test_never_root(void **state)
{
	struct sync_data d;
	struct passwd pw;
	struct group gr;
	size_t dropped, n = 0;
	char err[256], buf[1024];
	int e = 0;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.users = calloc(3, sizeof(*d.users));
	d.users[0] = (struct sync_user){ dupe("root"), dupe(""), dupe("/"),
	    dupe(""), dupe("uid=root"), 5000, 5000 };
	d.users[1] = (struct sync_user){ dupe("toor"), dupe(""), dupe("/"),
	    dupe(""), dupe("uid=toor"), 0, 5000 };
	d.users[2] = (struct sync_user){ dupe("wheelie"), dupe(""), dupe("/"),
	    dupe(""), dupe("uid=wheelie"), 5001, 0 };
	d.n_users = d.cap_users = 3;
	d.groups = calloc(1, sizeof(*d.groups));
	d.groups[0] = (struct sync_group){ dupe("wheel0"), 0, NULL, 0, NULL,
	    0 };
	d.n_groups = d.cap_groups = 1;
	assert_int_equal(cache_write(dir, &d, &dropped, err, sizeof(err)), 0);
	sync_data_free(&d);
	assert_int_equal(nss.pwnam("root", &pw, buf, sizeof(buf), &e),
	    NSS_STATUS_NOTFOUND);
	assert_int_equal(nss.pwnam("toor", &pw, buf, sizeof(buf), &e),
	    NSS_STATUS_NOTFOUND);
	assert_int_equal(nss.pwuid(0, &pw, buf, sizeof(buf), &e),
	    NSS_STATUS_NOTFOUND);
	assert_int_equal(nss.pwnam("wheelie", &pw, buf, sizeof(buf), &e),
	    NSS_STATUS_NOTFOUND);
	assert_int_equal(nss.grgid(0, &gr, buf, sizeof(buf), &e),
	    NSS_STATUS_NOTFOUND);
	assert_int_equal(nss.setpw(1), NSS_STATUS_SUCCESS);
	while (nss.pwent(&pw, buf, sizeof(buf), &e) == NSS_STATUS_SUCCESS)
		n++;
	nss.endpw();
	assert_int_equal(n, 0);
}

static char **
strv(size_t n, ...)
{
	char **v = calloc(n + 1, sizeof(char *));
	va_list ap;
	size_t i;

	assert_non_null(v);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		v[i] = dupe(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

/* mtls-sync's untrusted-directory pass: member DNs resolve without regard
 * to case and once; a user with a local uid is dropped with its
 * memberships, and its certificate is left out of the cache. */
static void
test_sync_filter(void **state)
{
	char *lu[] = { (char *)"carol" }, *lg[] = { (char *)"staff" };
	uint32_t luid[] = { 3000 }, lgid[] = { 3000 };
	struct sync_local l = { lu, lg, luid, lgid, 1, 1 };
	struct sync_drops o;
	struct sync_data d;
	size_t dropped;
	char err[256];

	(void)state;
	memset(&d, 0, sizeof(d));
	d.users = calloc(2, sizeof(*d.users));
	d.users[0] = (struct sync_user){ dupe("bob"), dupe(""), dupe("/"),
	    dupe(""), dupe("uid=bob,ou=p,dc=x"), 3000, 5000 };
	d.users[1] = (struct sync_user){ dupe("alice"), dupe(""), dupe("/"),
	    dupe(""), dupe("uid=alice,ou=p,dc=x"), 2001, 5000 };
	d.n_users = d.cap_users = 2;
	d.groups = calloc(1, sizeof(*d.groups));
	d.groups[0] = (struct sync_group){ dupe("team"), 2000,
	    strv(1, "bob"), 1, strv(4, "UID=ALICE,OU=P,DC=X",
	    "uid=alice,ou=p,dc=x", "uid=bob,ou=p,dc=x", "uid=nobody,dc=x"),
	    4 };
	d.n_groups = d.cap_groups = 1;
	d.certs = calloc(2, sizeof(*d.certs));
	d.certs[0] = (struct sync_cert){ dupe("sha256:01"), dupe("bob") };
	d.certs[1] = (struct sync_cert){ dupe("sha256:02"), dupe("alice") };
	d.n_certs = d.cap_certs = 2;
	assert_int_equal(sync_members(&d), 0);
	assert_int_equal(d.groups[0].n_members, 2);
	assert_string_equal(d.groups[0].members[0], "alice");
	assert_string_equal(d.groups[0].members[1], "bob");
	sync_filter(&d, &l, 1000, 1000, &o);
	assert_int_equal(o.local_user, 1);
	assert_int_equal(o.membership, 1);
	assert_int_equal(d.n_users, 1);
	assert_string_equal(d.users[0].name, "alice");
	assert_int_equal(d.groups[0].n_members, 1);
	assert_string_equal(d.certs[0].user, SYNC_CERT_DROPPED);
	assert_int_equal(cache_write(dir, &d, &dropped, err, sizeof(err)), 0);
	assert_int_equal(d.n_certs, 1);
	assert_string_equal(d.certs[0].user, "alice");
	sync_data_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_erange),
		cmocka_unit_test(test_enumerate),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_threads_replace),
		cmocka_unit_test(test_never_root),
		cmocka_unit_test(test_sync_filter),
	};
	char so[4096];

	snprintf(so, sizeof(so), "%s/.libs/libnss_mtls.so.2",
	    getenv("MTLS_BUILDDIR"));
	if ((nss.h = dlopen(so, RTLD_NOW)) == NULL) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	nss.pwnam = (pwnam_fn)dlsym(nss.h, "_nss_mtls_getpwnam_r");
	nss.pwuid = (pwuid_fn)dlsym(nss.h, "_nss_mtls_getpwuid_r");
	nss.grnam = (grnam_fn)dlsym(nss.h, "_nss_mtls_getgrnam_r");
	nss.grgid = (grgid_fn)dlsym(nss.h, "_nss_mtls_getgrgid_r");
	nss.setpw = (setent_fn)dlsym(nss.h, "_nss_mtls_setpwent");
	nss.endpw = (endent_fn)dlsym(nss.h, "_nss_mtls_endpwent");
	nss.pwent = (pwent_fn)dlsym(nss.h, "_nss_mtls_getpwent_r");
	nss.initgr = (initgr_fn)dlsym(nss.h, "_nss_mtls_initgroups_dyn");
	snprintf(dir, sizeof(dir), "%s", unit_dir());
	snprintf(cache, sizeof(cache), "%s/accounts.cache", dir);
	setenv("MTLS_NSS_CACHE", cache, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
