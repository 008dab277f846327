/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Mapping rules: transforms, map-file lookups (a miss is a miss), and the
 * identity values extracted from the test certificates. */
#include "config.h"

#include "unit.h"

#include <ldap.h>
#include <openssl/pem.h>

#include "cfg_int.h"
#include "identity.h"
#include "map.h"
#include "mapfile.h"
#include "util.h"

static void
test_transform(void **state)
{
	struct mtls_map m;
	char key[64], err[256];

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(cfg_set_map(&m, "source", "email", err, sizeof(err)), 0);
	assert_int_equal(cfg_set_map(&m, "lowercase", "yes", err, sizeof(err)), 0);
	assert_int_equal(cfg_set_map(&m, "strip_suffix", "@example.com", err,
	    sizeof(err)), 0);
	assert_int_equal(mtls_map_transform(&m, "Erin@EXAMPLE.com", key,
	    sizeof(key)), 0);
	assert_string_equal(key, "erin");
	/* Without the suffix the rule does not apply: no fallback to the
	 * whole value. */
	assert_int_equal(mtls_map_transform(&m, "erin@evil.com", key,
	    sizeof(key)), -1);
	assert_int_equal(mtls_map_transform(&m, "@example.com", key,
	    sizeof(key)), -1);
	assert_int_equal(cfg_set_map(&m, "match", "^([a-z]+)@", err,
	    sizeof(err)), 0);
	m.strip_suffix = NULL;
	assert_int_equal(mtls_map_transform(&m, "erin@x", key, sizeof(key)), 0);
	assert_string_equal(key, "erin");
	assert_int_equal(mtls_map_transform(&m, "ERIN@x", key, sizeof(key)), -1);
	regfree(&m.match);
	assert_int_equal(cfg_set_map(&m, "binding", "strong", err,
	    sizeof(err)), -1);
	assert_int_equal(cfg_set_map(&m, "colour", "red", err, sizeof(err)), -2);
}

static void
test_mapfile(void **state)
{
	struct mtls_mapfile mf;
	const struct mtls_mapfile_entry *e;
	char err[256];
	const char *path = temp_file("# devices\nsensor1 frank\n"
	    "O=x,CN=two words   alice\n\nshared bob\nshared carol\n");

	(void)state;
	memset(&mf, 0, sizeof(mf));
	assert_int_equal(mapfile_load(&mf, path, err, sizeof(err)), 0);
	assert_int_equal(mtls_mapfile_find(&mf, "sensor1", &e), 1);
	assert_string_equal(e->user, "frank");
	assert_int_equal(mtls_mapfile_find(&mf, "O=x,CN=two words", &e), 1);
	assert_string_equal(e->user, "alice");
	assert_int_equal(mtls_mapfile_find(&mf, "shared", &e), 2);
	assert_int_equal(mtls_mapfile_find(&mf, "sensor2", &e), 0);
	assert_null(e);
	mapfile_free(&mf);
	unlink(path);
	path = temp_file("good line\nlonely\n");
	assert_int_equal(mapfile_load(&mf, path, err, sizeof(err)), -1);
	assert_true(strstr(err, ":2: expected 'key user'") != NULL);
	mapfile_free(&mf);
	unlink(path);
	path = temp_file("key -rf\n");
	assert_int_equal(mapfile_load(&mf, path, err, sizeof(err)), -1);
	assert_true(strstr(err, ":1: '-rf' is not a valid user name") != NULL);
	mapfile_free(&mf);
	unlink(path);
	/* Comments are whole lines: a trailing one is refused, a '#' that
	 * no blank precedes is data. */
	path = temp_file("bob@x bob # admin\n");
	assert_int_equal(mapfile_load(&mf, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1: '#' after a blank inside a line"));
	mapfile_free(&mf);
	unlink(path);
	path = temp_file("  # comment\nCN=#04 carol\n");
	assert_int_equal(mapfile_load(&mf, path, err, sizeof(err)), 0);
	assert_int_equal(mtls_mapfile_find(&mf, "CN=#04", &e), 1);
	assert_string_equal(e->user, "carol");
	mapfile_free(&mf);
	unlink(path);
}

static void
test_identity(void **state)
{
	struct mtls_values v;
	X509 *x;

	(void)state;
	x = pki_cert("upn.pem");
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_UPN, &v), MTLS_OK);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0], "dave@EXAMPLE.COM");
	mtls_values_free(&v);
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_EMAIL, &v), MTLS_OK);
	assert_int_equal(v.n, 0);
	X509_free(x);
	x = pki_cert("uri.pem");
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_URI, &v), MTLS_OK);
	assert_string_equal(v.v[0], "spiffe://example.com/ns/prod/sa/frank");
	mtls_values_free(&v);
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_CN, &v), MTLS_OK);
	assert_string_equal(v.v[0], "workload frank");
	mtls_values_free(&v);
	X509_free(x);
	x = pki_cert("good-ec.pem");
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_SUBJECT, &v), MTLS_OK);
	assert_string_equal(v.v[0], "O=pam_mtls test,CN=bob");
	mtls_values_free(&v);
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_FINGERPRINT, &v),
	    MTLS_OK);
	assert_int_equal(strlen(v.v[0]), 64);
	mtls_values_free(&v);
	X509_free(x);
}

/* Every value of a source, the legacy e-mail attribute only without SAN
 * addresses, and no silent cap. */
static void
test_identity_values(void **state)
{
	struct mtls_values v;
	X509 *x;

	(void)state;
	x = pki_cert("two-cn.pem");
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_CN, &v), MTLS_OK);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.v[0], "alice");
	assert_string_equal(v.v[1], "bob");
	mtls_values_free(&v);
	X509_free(x);
	x = pki_cert("email-legacy.pem");
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_EMAIL, &v), MTLS_OK);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0], "erin@example.com");
	mtls_values_free(&v);
	X509_free(x);
	x = pki_cert("email-subject.pem");
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_EMAIL, &v), MTLS_OK);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.v[0], "erin@example.com");
	mtls_values_free(&v);
	X509_free(x);
	x = pki_cert("many-emails.pem");
	assert_int_equal(mtls_identity_values(x, MTLS_SRC_EMAIL, &v),
	    MTLS_E_BAD_INPUT);
	assert_int_equal(v.too_many, 1);
	assert_int_equal(v.n, 0);
	X509_free(x);
}

static void
test_account_allowed(void **state)
{
	struct mtls_policy p;
	char why[256], err[256];

	(void)state;
	cfg_policy_defaults(&p);
	assert_int_equal(mtls_account_allowed(&p, "alice", 1001, why,
	    sizeof(why)), 0);
	assert_int_equal(mtls_account_allowed(&p, "root", 5000, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "root is listed in deny_users");
	assert_int_equal(mtls_account_allowed(&p, "daemon", 1, why,
	    sizeof(why)), -1);
	assert_string_equal(why, "daemon has uid 1, below min_uid 1000");
	assert_int_equal(mtls_account_allowed(&p, "edge", 999, why,
	    sizeof(why)), -1);
	assert_int_equal(mtls_account_allowed(&p, "edge", 1000, why,
	    sizeof(why)), 0);
	assert_int_equal(cfg_set_policy(&p, NULL, "deny_users", " ops , bob",
	    err, sizeof(err)), 0);
	assert_int_equal(mtls_account_allowed(&p, "bob", 2000, why,
	    sizeof(why)), -1);
	assert_int_equal(mtls_account_allowed(&p, "ops", 2000, why,
	    sizeof(why)), -1);
	assert_int_equal(mtls_account_allowed(&p, "op", 2000, why,
	    sizeof(why)), 0);
	assert_int_equal(mtls_account_allowed(&p, "root", 2000, why,
	    sizeof(why)), 0);
	assert_int_equal(cfg_set_policy(&p, NULL, "deny_users", "none", err,
	    sizeof(err)), 0);
	assert_int_equal(cfg_set_policy(&p, NULL, "min_uid", "0", err,
	    sizeof(err)), 0);
	assert_int_equal(mtls_account_allowed(&p, "root", 0, why,
	    sizeof(why)), 0);
	assert_int_equal(cfg_set_policy(&p, NULL, "min_uid", "-1", err,
	    sizeof(err)), -1);
	assert_int_equal(cfg_set_policy(&p, NULL, "deny_users", "a,,b", err,
	    sizeof(err)), -1);
}

/* The cache answers only rules it can evaluate as the directory would. */
static void
test_cache_answers_rule(void **state)
{
	struct mtls_policy p;
	struct mtls_map m;
	char why[512];

	(void)state;
	cfg_policy_defaults(&p);
	p.ldap_base = "dc=example,dc=com";
	memset(&m, 0, sizeof(m));
	mtls_strlcpy(m.name, "r", sizeof(m.name));
	m.ldap_scope = LDAP_SCOPE_SUBTREE;
	m.ldap_user_attr = "uid";
	m.ldap_filter = "(&(objectClass=posixAccount)"
	    "(userCertificate={cert_assertion}))";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), 0);
	m.ldap_filter = "(&(userCertificate;binary={cert})"
	    "(objectClass=posixAccount))";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), 0);
	/* A condition the cache cannot see: a disabled flag. */
	m.ldap_filter = "(&(objectClass=posixAccount)(!(description=off))"
	    "(userCertificate={cert_assertion}))";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "cannot be answered offline"));
	/* ... unless mtls-sync applies the very same condition. */
	p.sync_user_filter = "(&(objectClass=posixAccount)(!(description=off)))";
	m.ldap_filter = "(&(&(objectClass=posixAccount)(!(description=off)))"
	    "(userCertificate={cert_assertion}))";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), 0);
	m.ldap_filter = "(userCertificate={cert_assertion})";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), -1);
	m.ldap_filter = "(&(objectClass=posixAccount)(mail={key}))";
	p.sync_user_filter = "(objectClass=posixAccount)";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), -1);
	m.ldap_filter = "(&(objectClass=posixAccount)"
	    "(userCertificate={cert_assertion}))";
	m.ldap_base = "ou=other,dc=example,dc=com";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), -1);
	m.ldap_base = NULL;
	m.ldap_user_attr = "cn";
	assert_int_equal(mtls_cache_answers_rule(&p, &m, why, sizeof(why)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transform),
		cmocka_unit_test(test_mapfile),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_identity_values),
		cmocka_unit_test(test_account_allowed),
		cmocka_unit_test(test_cache_answers_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
