/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls_deps_fingerprint: the digest changes when any file the
 * configuration read is replaced or the account cache appears, changes,
 * or goes; and only then.  mtls_deps_cache_fingerprint follows the
 * account cache alone. */
#include "config.h"

#include "unit.h"

#include "cfg.h"
#include "deps.h"

static char dir[128], conf[160], ca[160], cache[160];

static void
copy(const char *from, const char *to)
{
	size_t len;
	char *data = slurp(from, &len);

	assert_int_equal(rename(temp_file(data), to), 0);
	free(data);
}

static void
write_conf(void)
{
	char text[1024];

	snprintf(text, sizeof(text), "ca_file = %s\nrevocation = none\n"
	    "cache_dir = %s\nmap = by_cn\n[map by_cn]\nsource = cn\n"
	    "lookup = local\n", ca, dir);
	assert_int_equal(rename(temp_file(text), conf), 0);
}

/* Both digests now; *all_changed and *cache_changed against the last. */
static void
digests(const struct mtls_cfg *cfg, int *all_changed, int *cache_changed)
{
	static unsigned char all[MTLS_DEPS_LEN], acc[MTLS_DEPS_LEN];
	unsigned char a[MTLS_DEPS_LEN], c[MTLS_DEPS_LEN];

	assert_int_equal(mtls_deps_fingerprint(cfg, &cfg->global, NULL, a), 0);
	assert_int_equal(mtls_deps_cache_fingerprint(cfg, c), 0);
	*all_changed = memcmp(a, all, sizeof(a)) != 0;
	*cache_changed = memcmp(c, acc, sizeof(c)) != 0;
	memcpy(all, a, sizeof(a));
	memcpy(acc, c, sizeof(c));
}

static void
test_fingerprint(void **state)
{
	struct mtls_cfg *cfg;
	char err[512];
	int all, acc;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/deps", unit_dir());
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(conf, sizeof(conf), "%s/mtls.conf", dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	snprintf(cache, sizeof(cache), "%s/accounts.cache", dir);
	copy(pki("ca.pem"), ca);
	write_conf();
	assert_non_null(cfg = mtls_cfg_load(conf, err, sizeof(err)));
	digests(cfg, &all, &acc);
	digests(cfg, &all, &acc);
	assert_false(all);
	assert_false(acc);
	copy(pki("ca.pem"), ca);	/* same content, another file */
	digests(cfg, &all, &acc);
	assert_true(all);
	assert_false(acc);
	write_conf();
	digests(cfg, &all, &acc);
	assert_true(all);
	assert_false(acc);
	copy(pki("ca.pem"), cache);	/* the account cache appears */
	digests(cfg, &all, &acc);
	assert_true(all);
	assert_true(acc);
	copy(pki("chain.pem"), cache);
	digests(cfg, &all, &acc);
	assert_true(all);
	assert_true(acc);
	assert_int_equal(unlink(cache), 0);
	digests(cfg, &all, &acc);
	assert_true(all);
	assert_true(acc);
	digests(cfg, &all, &acc);
	assert_false(all);
	assert_false(acc);
	mtls_cfg_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
