/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* libnss_mtls.so.2 called as glibc calls it (dlopen + _nss_mtls_*), over
 * caches written by mtls-sync's own writer: lookups, ERANGE, missing and
 * damaged caches, enumeration, a cache replaced under 8 threads, and the
 * mapping the module keeps between calls (replaced, refused, removed,
 * rewritten in place, across fork). */
#include "config.h"

#include "unit.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
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


/* Mappings of files in the test dir in /proc/self/maps: the cache views
 * the module holds (a replaced file shows as "(deleted)"). */
static int
views(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, dir) != NULL)
			n++;
	fclose(f);
	return n;
}

static void
expect_gecos(const char *gecos)
{
	struct passwd pw;
	char buf[1024];
	int err = 0;

	assert_int_equal(nss.pwnam("alice", &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_gecos, gecos);
}

static void
expect_unavail(int errnum)
{
	struct passwd pw;
	char buf[1024];
	int err = 0;

	assert_int_equal(nss.pwnam("alice", &pw, buf, sizeof(buf), &err),
	    NSS_STATUS_UNAVAIL);
	assert_int_equal(err, errnum);
}

/* Overwrites the bytes at off in place (same inode, same size), as an
 * administrator's cp would, not as mtls-sync publishes. */
static void
poke(const char *path, long off, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "r+b");

	assert_non_null(f);
	assert_int_equal(fseek(f, off, SEEK_SET), 0);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Where a string sits in a file. */
static long
offset_of(const char *path, const char *needle)
{
	size_t len, n = strlen(needle), i;
	char *data = slurp(path, &len);
	long off = -1;

	for (i = 0; off < 0 && i + n <= len; i++)
		if (memcmp(data + i, needle, n) == 0)
			off = (long)i;
	free(data);
	assert_true(off >= 0);
	return off;
}

/* Files older than the module's racy window (2 s), written once for all
 * the map tests, each at its own path: only a view of such a file is
 * kept without a second look, so only then does a test of the identity
 * check test it (a fresh view is checked again at every call anyway). */
#define AGED_N 6
static const char *const aged_names[AGED_N] = { "kept", "mode", "owner",
	"link", "chmod", "poke" };
static char aged_paths[AGED_N][160], aged_link[160];

static void
aged_prepare(void)
{
	static int done;
	size_t i;

	if (done)
		return;
	for (i = 0; i < AGED_N; i++) {
		snprintf(aged_paths[i], sizeof(aged_paths[i]),
		    "%s/aged-%s.cache", dir, aged_names[i]);
		write_cache(aged_paths[i], "Alice");
	}
	/* A second name for the "link" file, made now: link() changes the
	 * inode's ctime. */
	snprintf(aged_link, sizeof(aged_link), "%s/aged-link2.cache", dir);
	assert_int_equal(link(aged_paths[3], aged_link), 0);
	sleep(3);
	done = 1;
}

/* The module's cache path becomes the aged file name (the path is read
 * in every call). */
static const char *
use_aged(const char *name)
{
	size_t i;

	aged_prepare();
	for (i = 0; i < AGED_N; i++)
		if (strcmp(name, aged_names[i]) == 0) {
			assert_int_equal(setenv("MTLS_NSS_CACHE",
			    aged_paths[i], 1), 0);
			return aged_paths[i];
		}
	fail();
	return NULL;
}

static void
use_default(void)
{
	assert_int_equal(setenv("MTLS_NSS_CACHE", cache, 1), 0);
}

/* Publishes a fresh cache at path by rename, as mtls-sync does. */
static void
publish(const char *path, const char *gecos, mode_t mode, uid_t uid)
{
	char tmp[160];

	snprintf(tmp, sizeof(tmp), "%s/publish.cache", dir);
	write_cache(tmp, gecos);
	assert_int_equal(chmod(tmp, mode), 0);
	if (uid != geteuid())
		assert_int_equal(chown(tmp, uid, uid), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* The same view serves call after call (no second mapping while an
 * enumeration holds the first); a cache published by rename is seen by
 * the next call and replaces the view, while the enumeration keeps the
 * one it started with; a removed cache drops the view. */
static void
test_map_kept(void **state)
{
	struct passwd pw;
	char buf[1024];
	const char *p = use_aged("kept");
	int err = 0;

	(void)state;
	expect_gecos("Alice");
	assert_int_equal(views(), 1);
	assert_int_equal(nss.setpw(0), NSS_STATUS_SUCCESS);
	expect_gecos("Alice");
	expect_gecos("Alice");
	assert_int_equal(views(), 1);
	publish(p, "new", 0644, geteuid());
	expect_gecos("new");
	assert_int_equal(views(), 2);
	assert_int_equal(nss.pwent(&pw, buf, sizeof(buf), &err),
	    NSS_STATUS_SUCCESS);
	assert_string_equal(pw.pw_gecos, "Alice");
	nss.endpw();
	assert_int_equal(views(), 1);
	expect_gecos("new");
	assert_int_equal(unlink(p), 0);
	expect_unavail(ENOENT);
	assert_int_equal(views(), 0);
	use_default();
}

/* A kept view's file replaced by one the trust rules refuse (group-
 * writable, another owner) or a path that is a symlink, even to the very
 * inode mapped, is refused at the next call, not served from the view. */
static void
test_map_refused(void **state)
{
	char tmp[160];
	const char *p;

	(void)state;
	p = use_aged("mode");
	expect_gecos("Alice");
	publish(p, "bad", 0664, geteuid());
	expect_unavail(EIO);
	assert_int_equal(views(), 0);
	use_aged("link");
	expect_gecos("Alice");
	/* The path now a symlink to the inode mapped (whose identity a
	 * stat through the link would match). */
	snprintf(tmp, sizeof(tmp), "%s/symlink.cache", dir);
	assert_int_equal(symlink(aged_link, tmp), 0);
	assert_int_equal(setenv("MTLS_NSS_CACHE", tmp, 1), 0);
	expect_unavail(EIO);
	assert_int_equal(views(), 0);
	p = use_aged("owner");
	expect_gecos("Alice");
	use_default();
	if (geteuid() != 0)
		skip();	/* another owner needs root's chown */
	use_aged("owner");
	publish(p, "bad", 0644, 65534);
	expect_unavail(EIO);
	use_default();
}

/* A kept view's file changed in place: a chmod (only ctime moves) is
 * refused at the next call; a rewrite of the same size that breaks the
 * header (an administrator's cp, not mtls-sync) is validated again. */
static void
test_map_inplace(void **state)
{
	const char *p;

	(void)state;
	p = use_aged("chmod");
	expect_gecos("Alice");
	assert_int_equal(chmod(p, 0664), 0);
	expect_unavail(EIO);
	assert_int_equal(chmod(p, 0644), 0);
	expect_gecos("Alice");
	p = use_aged("poke");
	expect_gecos("Alice");
	poke(p, offset_of(p, "Alice"), "Alicg", 5);
	expect_gecos("Alicg");
	poke(p, 0, "NOTMAGIC", 8);
	expect_unavail(EIO);
	use_default();
}

/* A fresh view is checked again at the next call: a rewrite in place in
 * the same timestamp tick (same inode, size, mtime and ctime on a kernel
 * with coarse timestamps, Debian 12's 6.1) that breaks the header is
 * refused, not read through the view validated before it. */
static void
test_map_racy(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 50; i++) {
		write_cache(cache, "Alice");
		expect_gecos("Alice");
		poke(cache, 0, "NOTMAGIC", 8);
		expect_unavail(EIO);
	}
}

static int stop_threads;

/* Looks alice up until told to stop; counts answers whose gecos is none
 * of the NULL-terminated list arg. */
static void *
reader(void *arg)
{
	const char *const *ok = arg;
	struct passwd pw;
	char buf[1024];
	long bad = 0;
	size_t i;
	int err;

	while (!__atomic_load_n(&stop_threads, __ATOMIC_RELAXED)) {
		if (nss.pwnam("alice", &pw, buf, sizeof(buf), &err) !=
		    NSS_STATUS_SUCCESS) {
			bad++;
			continue;
		}
		for (i = 0; ok[i] != NULL; i++)
			if (strcmp(pw.pw_gecos, ok[i]) == 0)
				break;
		if (ok[i] == NULL)
			bad++;
	}
	return (void *)bad;
}

static void
test_threads_replace(void **state)
{
	static const char *const old_new[] = { "old", "new", NULL };
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
		assert_int_equal(pthread_create(&t[i], NULL, reader,
		    (void *)old_new), 0);
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

/* fork while 4 threads look up, as a daemon forks, looks up and execs:
 * every child answers at once (the lock is never inherited held).  A
 * fresh cache, so the threads remap, and hold the lock, in every call;
 * the child reports by exec, as a child that never calls again leaves
 * the views its parent's other threads held (valgrind runs this suite
 * and would count them lost at the child's exit). */
static void
test_fork(void **state)
{
	static const char *const old[] = { "old", NULL };
	pthread_t t[4];
	void *bad;
	long total = 0;
	int i, status;
	pid_t pid;

	(void)state;
	write_cache(cache, "old");
	expect_gecos("old");
	stop_threads = 0;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader,
		    (void *)old), 0);
	for (i = 0; i < 200; i++) {
		if ((pid = fork()) == 0) {
			struct passwd pw;
			char buf[1024];
			int err, ok;

			alarm(10);
			ok = nss.pwnam("alice", &pw, buf, sizeof(buf), &err) ==
			    NSS_STATUS_SUCCESS &&
			    strcmp(pw.pw_gecos, "old") == 0;
			execl(ok ? "/bin/true" : "/bin/false", "child", NULL);
			_exit(127);
		}
		assert_true(pid > 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	__atomic_store_n(&stop_threads, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 4; i++) {
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
		cmocka_unit_test(test_map_kept),
		cmocka_unit_test(test_map_refused),
		cmocka_unit_test(test_map_inplace),
		cmocka_unit_test(test_map_racy),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_never_root),
		cmocka_unit_test(test_sync_filter),
	};
	char so[4096];
	int rc, status;
	pid_t pid;

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
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	/* dlclose drops the mapping the module keeps (tests/valgrind.sh runs
	 * this: nothing may be lost) and its fork handlers (a fork after it
	 * must not call into the unmapped module). */
	if (dlclose(nss.h) != 0 || (pid = fork()) < 0)
		return 1;
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return 1;
	return rc;
}
