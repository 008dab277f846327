/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Mapping rules: transforms, map-file lookups (a miss is a miss), and the
 * identity values extracted from the test certificates. */
#include "config.h"

#include "unit.h"

#include <openssl/pem.h>

#include "cfg_int.h"
#include "identity.h"
#include "map.h"
#include "mapfile.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transform),
		cmocka_unit_test(test_mapfile),
		cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
