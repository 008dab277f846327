/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The responder's decision cache (tools/decision_cache.c): bounded in
 * entries, in age and by notAfter; and the fingerprint it trusts
 * (common/deps.c): every file change it must see changes it. */
#include "config.h"

#include "unit.h"

#include <time.h>

#include "cached_login.h"
#include "decision_cache.h"
#include "deps.h"

static void
key_of(int n, unsigned char *key)
{
	memset(key, 0, DCACHE_KEY_LEN);
	key[DCACHE_KEY_LEN - 1] = (unsigned char)n;	/* all in one set */
}

static void
val_of(const char *user, struct dcache_val *v)
{
	memset(v, 0, sizeof(*v));
	strcpy(v->user, user);
	strcpy(v->reason, "MTLS_OK");
}

static void
test_hit_and_bounds(void **state)
{
	struct dcache *c = dcache_new(4, 10);
	unsigned char k[DCACHE_KEY_LEN];
	struct dcache_val v, got;
	char name[16];
	int i;

	(void)state;
	assert_non_null(c);
	key_of(1, k);
	assert_int_equal(dcache_get(c, k, &got), 0);
	val_of("bob", &v);
	dcache_put(c, k, &v, time(NULL) + 3600);
	assert_int_equal(dcache_get(c, k, &got), 1);
	assert_string_equal(got.user, "bob");
	dcache_drop(c, k);
	assert_int_equal(dcache_get(c, k, &got), 0);
	/* Past notAfter: never answered, whatever the TTL. */
	dcache_put(c, k, &v, time(NULL) - 1);
	assert_int_equal(dcache_get(c, k, &got), 0);
	/* Five keys in a set of four: the oldest goes. */
	for (i = 1; i <= 5; i++) {
		key_of(i, k);
		snprintf(name, sizeof(name), "u%d", i);
		val_of(name, &v);
		dcache_put(c, k, &v, time(NULL) + 3600);
	}
	key_of(1, k);
	assert_int_equal(dcache_get(c, k, &got), 0);
	for (i = 2; i <= 5; i++) {
		key_of(i, k);
		assert_int_equal(dcache_get(c, k, &got), 1);
		snprintf(name, sizeof(name), "u%d", i);
		assert_string_equal(got.user, name);
	}
	dcache_free(c);
}

static void
test_ttl(void **state)
{
	struct dcache *c = dcache_new(8, 1), *off = dcache_new(8, 0);
	unsigned char k[DCACHE_KEY_LEN];
	struct dcache_val v, got;
	struct timespec ts = { 1, 100000000 };

	(void)state;
	key_of(7, k);
	val_of("bob", &v);
	dcache_put(off, k, &v, time(NULL) + 3600);
	assert_int_equal(dcache_get(off, k, &got), 0);	/* TTL 0: off */
	dcache_put(c, k, &v, time(NULL) + 3600);
	assert_int_equal(dcache_get(c, k, &got), 1);
	nanosleep(&ts, NULL);
	assert_int_equal(dcache_get(c, k, &got), 0);
	dcache_free(c);
	dcache_free(off);
}

static void
test_key(void **state)
{
	const char *a[] = { "ab", "c", NULL }, *b[] = { "a", "bc", NULL };
	const char *c[] = { "ab", "c", "127.0.0.1" };
	unsigned char ka[DCACHE_KEY_LEN], kb[DCACHE_KEY_LEN], kc[DCACHE_KEY_LEN];

	(void)state;
	assert_int_equal(cached_login_key(a, 3, ka), 0);
	assert_int_equal(cached_login_key(b, 3, kb), 0);
	assert_int_equal(cached_login_key(c, 3, kc), 0);
	assert_memory_not_equal(ka, kb, DCACHE_KEY_LEN);
	assert_memory_not_equal(ka, kc, DCACHE_KEY_LEN);
}

static void
copy(const char *from, const char *to)
{
	size_t len;
	char *buf = slurp(from, &len);
	FILE *f = fopen(to, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	chmod(to, 0644);
	free(buf);
}

static void
fp(const struct mtls_cfg *cfg, const char *const *extra, unsigned char *out)
{
	assert_int_equal(mtls_deps_fingerprint(cfg, &cfg->global, extra, out),
	    0);
}

static void
test_deps(void **state)
{
	char crl[256], dir[256], entry[256], map[256], absent[256];
	char ca[4096], chain[4096], conf[12000];
	const char *path, *extra[2] = { absent, NULL };
	unsigned char a[MTLS_DEPS_LEN], b[MTLS_DEPS_LEN];
	struct mtls_cfg *cfg;
	char err[1024];
	struct timespec ts = { 0, 20000000 };

	(void)state;
	snprintf(crl, sizeof(crl), "%s/crl.pem", unit_dir());
	snprintf(dir, sizeof(dir), "%s/crl.d", unit_dir());
	snprintf(entry, sizeof(entry), "%s/crl.d/inter.der", unit_dir());
	snprintf(map, sizeof(map), "%s/users.map", unit_dir());
	snprintf(absent, sizeof(absent), "%s/not-yet", unit_dir());
	copy(pki("crl.pem"), crl);
	assert_int_equal(mkdir(dir, 0755), 0);
	copy(pki("crl.d/inter.der"), entry);
	path = temp_file("");
	copy(path, map);
	/* pki() answers in one static buffer. */
	snprintf(ca, sizeof(ca), "%s", pki("ca.pem"));
	snprintf(chain, sizeof(chain), "%s", pki("chain.pem"));
	snprintf(conf, sizeof(conf), "ca_file = %s\nintermediates_file = %s\n"
	    "crl_file = %s\ncrl_dir = %s\nmap = by_file\n[map by_file]\n"
	    "source = cn\nlookup = file:%s\n", ca, chain, crl, dir, map);
	path = temp_file(conf);
	assert_non_null(cfg = mtls_cfg_load(path, err, sizeof(err)));
	fp(cfg, extra, a);
	fp(cfg, extra, b);
	assert_memory_equal(a, b, MTLS_DEPS_LEN);
	/* The CRL file rewritten in place with the same bytes. */
	nanosleep(&ts, NULL);
	copy(pki("crl.pem"), crl);
	fp(cfg, extra, b);
	assert_memory_not_equal(a, b, MTLS_DEPS_LEN);
	/* A new entry in crl_dir. */
	fp(cfg, extra, a);
	snprintf(entry, sizeof(entry), "%s/crl.d/root.der", unit_dir());
	copy(pki("crl.d/root.der"), entry);
	fp(cfg, extra, b);
	assert_memory_not_equal(a, b, MTLS_DEPS_LEN);
	/* The map file edited; an extra path created. */
	fp(cfg, extra, a);
	copy(pki("ca.pem"), map);
	fp(cfg, extra, b);
	assert_memory_not_equal(a, b, MTLS_DEPS_LEN);
	copy(map, absent);
	fp(cfg, extra, a);
	assert_memory_not_equal(a, b, MTLS_DEPS_LEN);
	/* A crl_dir that cannot be read: no fingerprint, nothing kept. */
	snprintf(entry, sizeof(entry), "%s/crl.d.gone", unit_dir());
	assert_int_equal(rename(dir, entry), 0);
	assert_int_equal(mtls_deps_fingerprint(cfg, &cfg->global, NULL, a),
	    -1);
	mtls_cfg_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_and_bounds),
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_deps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
