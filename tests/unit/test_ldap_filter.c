/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* LDAP filter templates: RFC 4515 escaping and expansion, byte for byte. */
#include "config.h"

#include "unit.h"

#include <openssl/pem.h>

#include "ldap_filter.h"

static void
test_escape(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(mtls_ldap_escape((const unsigned char *)"a*b(c)d\\e",
	    9, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "a\\2ab\\28c\\29d\\5ce");
	assert_int_equal(mtls_ldap_escape((const unsigned char *)"x\0y\n", 4,
	    0, out, sizeof(out)), 0);
	assert_string_equal(out, "x\\00y\\0a");
	assert_int_equal(mtls_ldap_escape((const unsigned char *)"\x30\x82",
	    2, 1, out, sizeof(out)), 0);
	assert_string_equal(out, "\\30\\82");
	assert_int_equal(mtls_ldap_escape((const unsigned char *)"((((", 4, 0,
	    out, 12), -1);	/* 12 bytes cannot hold 4 escapes + NUL */
}

static void
test_template_check(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(mtls_ldap_template_check("(uid={key})", err,
	    sizeof(err)), 0);
	assert_int_equal(mtls_ldap_template_check("uid={key}", err,
	    sizeof(err)), -1);
	assert_string_equal(err, "filter must be enclosed in parentheses");
	assert_int_equal(mtls_ldap_template_check("(uid={user})", err,
	    sizeof(err)), -1);
	assert_string_equal(err, "unknown placeholder at '{user})'");
	assert_int_equal(mtls_ldap_template_check("(&(uid={key})", err,
	    sizeof(err)), -1);
	assert_string_equal(err, "unbalanced parentheses");
	assert_true(mtls_ldap_template_is_cert("(userCertificate={cert_assertion})"));
	assert_false(mtls_ldap_template_is_cert("(mail={key})"));
}

static void
test_expand(void **state)
{
	char out[4096], want[4096];
	X509 *x = pki_cert("meta.pem");

	(void)state;
	/* The CN is  x*)(uid=*\;$(id)`|&  : every filter byte escaped. */
	assert_int_equal(mtls_ldap_expand("(&(objectClass=posixAccount)"
	    "(cn={cn}))", x, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "(&(objectClass=posixAccount)(cn="
	    "x\\2a\\29\\28uid=\\2a\\5c;$\\28id\\29`|&))");
	assert_int_equal(mtls_ldap_expand("(mail={key})", x, "a(b", out,
	    sizeof(out)), 0);
	assert_string_equal(out, "(mail=a\\28b)");
	/* A value the certificate lacks: the filter cannot be built. */
	assert_int_equal(mtls_ldap_expand("(mail={email})", x, NULL, out,
	    sizeof(out)), -1);
	assert_int_equal(mtls_ldap_expand("(uid={key})", x, NULL, out,
	    sizeof(out)), -1);
	X509_free(x);
	x = pki_cert("good-ec.pem");
	assert_int_equal(mtls_ldap_expand("(userCertificate={cert_assertion})",
	    x, NULL, out, sizeof(out)), 0);
	{
		BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
		char *dec = BN_bn2dec(bn);

		snprintf(want, sizeof(want), "(userCertificate={ serialNumber "
		    "%s, issuer rdnSequence:\"O=pam_mtls test,CN=pam_mtls Test "
		    "Intermediate\" })", dec);
		OPENSSL_free(dec);
		BN_free(bn);
	}
	assert_string_equal(out, want);
	assert_int_equal(mtls_ldap_expand("(c={cert})", x, NULL, out,
	    sizeof(out)), 0);
	assert_true(strncmp(out, "(c=\\30\\82", 9) == 0);
	X509_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_template_check),
		cmocka_unit_test(test_expand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
