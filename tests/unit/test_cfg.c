/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Config parser: good files load with the right values; every bad file is
 * refused with the exact file:line and sentence. */
#include "config.h"

#include "unit.h"

#include "cfg.h"
#include "safe_file.h"

static char conf[8192];

/* Builds a config from the minimal valid one plus extra text. */
static const char *
with(const char *global, const char *tail)
{
	snprintf(conf, sizeof(conf),
	    "%sca_file = %s\nrevocation = none\nmap = by_cn\n"
	    "[map by_cn]\nsource = cn\n"
	    "lookup = local\n%s", global, pki("ca.pem"), tail);
	return temp_file(conf);
}

static void
expect_error(const char *path, const char *want)
{
	char err[1024], expect[1200];
	struct mtls_cfg *cfg = mtls_cfg_load(path, err, sizeof(err));

	assert_null(cfg);
	snprintf(expect, sizeof(expect), "%s:%s", path, want);
	assert_string_equal(err, expect);
	unlink(path);
}

static void
test_defaults(void **state)
{
	char err[1024];
	const char *path = with("", "");
	struct mtls_cfg *cfg = mtls_cfg_load(path, err, sizeof(err));
	const struct mtls_policy *p;

	(void)state;
	assert_non_null(cfg);
	p = mtls_cfg_policy(cfg, NULL);
	assert_int_equal(p->max_depth, 4);
	assert_int_equal(p->clock_skew, 300);
	assert_int_equal(p->min_rsa_bits, 2048);
	assert_int_equal(p->n_eku, 1);
	assert_string_equal(p->eku[0], "1.3.6.1.5.5.7.3.2");
	assert_int_equal(p->allow_sha1, 0);
	assert_int_equal(p->n_maps, 1);
	assert_string_equal(p->maps[0]->name, "by_cn");
	assert_non_null(p->store);
	assert_null(mtls_cfg_policy(cfg, "vpn"));
	mtls_cfg_free(cfg);
	unlink(path);
}

static void
test_profile_overrides(void **state)
{
	char err[1024];
	const char *path = with("# comment\n\n  clock_skew = 10  \n",
	    "[profile vpn]\nclock_skew = 60\nrequire_eku = clientAuth, "
	    "1.3.6.1.4.1.311.20.2.2\n");
	struct mtls_cfg *cfg = mtls_cfg_load(path, err, sizeof(err));
	const struct mtls_policy *g, *v;

	(void)state;
	assert_non_null(cfg);
	g = mtls_cfg_policy(cfg, NULL);
	v = mtls_cfg_policy(cfg, "vpn");
	assert_non_null(v);
	assert_int_equal(g->clock_skew, 10);
	assert_int_equal(v->clock_skew, 60);
	assert_int_equal(v->n_eku, 2);
	assert_string_equal(v->eku[1], "1.3.6.1.4.1.311.20.2.2");
	assert_int_equal(v->n_maps, 1);	/* inherited from global */
	assert_true(v->store != g->store);
	mtls_cfg_free(cfg);
	unlink(path);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error(with("colour = blue\n", ""),
	    "1: unknown key 'colour' in global section");
	expect_error(with("", "[profile p]\nsource = cn\n"),
	    "8: unknown key 'source' in [profile] section");
	expect_error(with("clock_skew = -1\n", ""),
	    "1: clock_skew: '-1' is not a number from 0 to 86400");
	expect_error(with("clock_skew = 5s\n", ""),
	    "1: clock_skew: '5s' is not a number from 0 to 86400");
	expect_error(with("ca_dir = relative/dir\n", ""),
	    "1: ca_dir: 'relative/dir' is not an absolute path");
	expect_error(with("require_eku = clientAuth,\n", ""),
	    "1: require_eku: trailing comma");
	expect_error(with("", "[profile]\n"),
	    "7: unknown section '[profile]' (expected [profile NAME] or "
	    "[map NAME])");
	expect_error(with("", "[map two]\nsource = email\n"),
	    "7: [map two] needs lookup");
	expect_error(with("", "[profile a]\n[profile a]\n"),
	    "8: duplicate section 'a' (first at line 7)");
	expect_error(with("ca_file =\n", ""), "1: ca_file: empty value");
	expect_error(with("", "[profile p]\nmap = by_cn, by_cn\n"),
	    "8: map: map 'by_cn' listed twice");
}

/* A global key appended after the sections names its section, its line
 * and the fix; a [map] key with the same name as a policy key stays a map
 * key. */
static void
test_global_key_after_section(void **state)
{
	char err[1024];
	const char *path;
	struct mtls_cfg *cfg;

	(void)state;
	expect_error(with("", "ssh_cert_dir = /etc/ssl/mtls/users\n"),
	    "7: global key 'ssh_cert_dir' inside [map by_cn] at line 7: "
	    "move it above the first section");
	expect_error(with("", "[map two]\nsource = email\nlookup = local\n"
	    "crl_dir = /etc/ssl/mtls/crl\n"),
	    "10: global key 'crl_dir' inside [map two] at line 10: "
	    "move it above the first section");
	expect_error(with("", "colour = blue\n"),
	    "7: unknown key 'colour' in [map] section");
	path = with("", "ldap_base = dc=example,dc=org\n");
	assert_non_null(cfg = mtls_cfg_load(path, err, sizeof(err)));
	mtls_cfg_free(cfg);
	unlink(path);
}

static void
test_missing_file(void **state)
{
	char err[1024];

	(void)state;
	assert_null(mtls_cfg_load("/nonexistent/mtls.conf", err, sizeof(err)));
	assert_string_equal(err,
	    "/nonexistent/mtls.conf: No such file or directory");
	assert_null(mtls_cfg_load("relative.conf", err, sizeof(err)));
	assert_string_equal(err, "relative.conf: path must be absolute");
}

/* The trusted-path walker resolves symlinks and dot components itself
 * and gives up on loops; unit_dir() is a root 0755 dir in sticky /tmp. */
static void
test_safe_path(void **state)
{
	char file[128], sub[160], p[256], want[1024], res[4096], err[1024];
	struct stat st;

	(void)state;
	snprintf(file, sizeof(file), "%s", temp_file("x"));
	snprintf(sub, sizeof(sub), "%s/sub", unit_dir());
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(p, sizeof(p), "%s/rel", sub);
	snprintf(want, sizeof(want), "..%s", strrchr(file, '/'));
	assert_int_equal(symlink(want, p), 0);
	assert_int_equal(mtls_safe_path(p, MTLS_SAFE_FILE, res, sizeof(res),
	    &st, err, sizeof(err)), 0);
	assert_string_equal(res, file);
	snprintf(p, sizeof(p), "%s/./sub//..%s", unit_dir(),
	    strrchr(file, '/'));
	assert_int_equal(mtls_safe_path(p, MTLS_SAFE_FILE, res, sizeof(res),
	    &st, err, sizeof(err)), 0);
	assert_string_equal(res, file);

	snprintf(p, sizeof(p), "%s/loop1", unit_dir());
	snprintf(want, sizeof(want), "%s/loop2", unit_dir());
	assert_int_equal(symlink(want, p), 0);
	assert_int_equal(symlink(p, want), 0);
	assert_int_equal(mtls_safe_path(p, MTLS_SAFE_FILE, res, sizeof(res),
	    &st, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many symlinks"));

	snprintf(p, sizeof(p), "%s/dangling", unit_dir());
	assert_int_equal(symlink("/nonexistent/x", p), 0);
	assert_int_equal(mtls_safe_path(p, MTLS_SAFE_FILE, res, sizeof(res),
	    &st, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory (symlink "
	    "%s followed: link and target must both pass)", p, p);
	assert_string_equal(err, want);

	assert_int_equal(mtls_safe_path(sub, MTLS_SAFE_FILE, res, sizeof(res),
	    &st, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", sub);
	assert_string_equal(err, want);
	assert_int_equal(mtls_safe_path(sub, MTLS_SAFE_DIR, res, sizeof(res),
	    &st, err, sizeof(err)), 0);
	assert_int_equal(mtls_safe_path("etc/passwd", MTLS_SAFE_FILE, res,
	    sizeof(res), &st, err, sizeof(err)), -1);
	assert_string_equal(err, "etc/passwd: path must be absolute");
	/* A name longer than NAME_MAX is refused, never cut into another. */
	memset(want, 'a', 300);
	want[0] = '/';
	want[300] = '\0';
	assert_int_equal(mtls_safe_path(want, MTLS_SAFE_FILE, res,
	    sizeof(res), &st, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ": name too long"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_profile_overrides),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_global_key_after_section),
		cmocka_unit_test(test_safe_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
