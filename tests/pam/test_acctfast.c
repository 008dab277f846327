/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The account phase in the handle where auth accepted (the real libpam
 * under pam_wrapper): it re-checks only time, revocation and the account
 * while nothing the decision read has changed (an accept then logs no line
 * but with debug, where it says "recheck=fast"; a refusal's line says
 * it), and decides anew otherwise ("recheck=full").  Exact PAM code,
 * MTLS_REASON and log line per case; the module's syslog lines reach
 * stderr (PAM_WRAPPER_DEBUGLEVEL=2), captured around each call. */
#include "config.h"

#include "unit.h"

#include <fcntl.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <security/pam_appl.h>

static char conf[128], crl[128], logpath[128], cache[128];

/* The test's configuration: the live CRL, no clock skew (so that a
 * certificate expires when its notAfter says), the account cache in the
 * temp dir, CN -> local account. */
static void
write_conf(const char *extra)
{
	char text[16384];

	snprintf(text, sizeof(text), "ca_file = %s\n", pki("ca.pem"));
	snprintf(text + strlen(text), sizeof(text) - strlen(text),
	    "intermediates_file = %s\ncrl_file = %s\nclock_skew = 0\n"
	    "cache_dir = %s\n%s\nmap = by_cn\n[map by_cn]\nsource = cn\n"
	    "lookup = local\n", pki("chain.pem"), crl, unit_dir(), extra);
	assert_int_equal(rename(temp_file(text), conf), 0);
}

/* The NSS wrapper's passwd file, rewritten in place; nss_wrapper reloads
 * it when its mtime (in seconds) changes, so each version gets a new one. */
static void
write_passwd(const char *text)
{
	static time_t version;
	struct timespec ts[2];
	FILE *f = fopen(getenv("NSS_WRAPPER_PASSWD"), "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) + 100 + 10 * ++version;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, getenv("NSS_WRAPPER_PASSWD"), ts,
	    0), 0);
}

#define PASSWD "alice:x:1001:1001::/:/bin/sh\nbob:x:1002:1002::/:/bin/sh\n" \
	"carol:x:1003:1003::/:/bin/sh\n"

static void
put_cert_text(pam_handle_t *ph, const char *pem)
{
	char *env = malloc(strlen(pem) + 16);

	assert_non_null(env);
	sprintf(env, "MTLS_CERT=%s", pem);
	assert_int_equal(pam_putenv(ph, env), PAM_SUCCESS);
	free(env);
}

static void
put_cert(pam_handle_t *ph, const char *name)
{
	size_t len;
	char *pem = slurp(pki(name), &len);

	put_cert_text(ph, pem);
	free(pem);
}

/* A handle of service svc where auth accepted cert (PAM_USER then set by
 * the module). */
static pam_handle_t *
auth_handle_svc(const char *svc, const char *cert_pem)
{
	struct pam_conv conv = { NULL, NULL };
	pam_handle_t *ph = NULL;

	assert_int_equal(pam_start(svc, NULL, &conv, &ph), PAM_SUCCESS);
	put_cert_text(ph, cert_pem);
	assert_int_equal(pam_authenticate(ph, 0), PAM_SUCCESS);
	assert_string_equal(pam_getenv(ph, "MTLS_REASON"), "MTLS_OK");
	return ph;
}

static pam_handle_t *
auth_handle(const char *cert_pem)
{
	return auth_handle_svc("acct", cert_pem);
}

static pam_handle_t *
auth_pki(const char *name)
{
	size_t len;
	char *pem = slurp(pki(name), &len);
	pam_handle_t *ph = auth_handle(pem);

	free(pem);
	return ph;
}

/* pam_acct_mgmt with the module's log captured: asserts the PAM code, the
 * reason in MTLS_REASON and the account log line (reason and recheck=how).
 * An accept re-checked on the fast path is not logged (auth's line said
 * it), except with the module's debug option: service "acct" logs none,
 * "acctdbg" (debug on the account line) logs it at LOG_DEBUG. */
static void
account(pam_handle_t *ph, int rc, const char *reason, const char *how)
{
	char want[128], *log;
	const void *svc = NULL;
	size_t len;
	int saved, fd;

	fflush(stderr);
	assert_true((saved = dup(2)) >= 0);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_true(dup2(fd, 2) == 2);
	close(fd);
	assert_int_equal(pam_acct_mgmt(ph, 0), rc);
	fflush(stderr);
	assert_true(dup2(saved, 2) == 2);
	close(saved);
	log = slurp(logpath, &len);
	print_message("# account -> %s recheck=%s\n", reason, how);
	assert_string_equal(pam_getenv(ph, "MTLS_REASON"), reason);
	assert_int_equal(pam_get_item(ph, PAM_SERVICE, &svc), PAM_SUCCESS);
	snprintf(want, sizeof(want), "account service=%s result=",
	    (const char *)svc);
	if (rc == PAM_SUCCESS && strcmp(how, "fast") == 0 &&
	    strcmp(svc, "acct") == 0) {
		assert_null(strstr(log, want));
		free(log);
		return;
	}
	assert_non_null(strstr(log, want));
	snprintf(want, sizeof(want), "reason=%s ", reason);
	assert_non_null(strstr(log, want));
	snprintf(want, sizeof(want), "recheck=%s\n", how);
	assert_non_null(strstr(log, want));
	free(log);
}

static void
test_fast_path(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("good-ec.pem");
	account(ph, PAM_SUCCESS, "MTLS_OK", "fast");
	/* Again in the same handle: still nothing changed. */
	account(ph, PAM_SUCCESS, "MTLS_OK", "fast");
	pam_end(ph, PAM_SUCCESS);
}

/* With the debug option the fast path's accept is logged (LOG_DEBUG): an
 * administrator tracing a login sees the re-check. */
static void
test_fast_path_debug(void **state)
{
	pam_handle_t *ph;
	size_t len;
	char *pem = slurp(pki("good-ec.pem"), &len);

	(void)state;
	ph = auth_handle_svc("acctdbg", pem);
	account(ph, PAM_SUCCESS, "MTLS_OK", "fast");
	pam_end(ph, PAM_SUCCESS);
	free(pem);
}

/* Revocation is what the re-check is for: a CRL published between auth and
 * account that lists the certificate is seen, with the full decision's
 * reason. */
static void
test_revoked_between(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("late-revoked.pem");
	account(ph, PAM_SUCCESS, "MTLS_OK", "fast");
	publish_pki("crl-later.pem", crl);
	account(ph, PAM_AUTH_ERR, "MTLS_E_REVOKED", "fast");
	/* Refused once: the handle never takes the fast path again. */
	account(ph, PAM_AUTH_ERR, "MTLS_E_REVOKED", "full");
	pam_end(ph, PAM_AUTH_ERR);
	publish_pki("crl.pem", crl);
}

/* Any change to the configuration file means deciding anew, with the new
 * configuration. */
static void
test_config_changed(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("good-ec.pem");
	write_conf("");		/* same text, another file */
	account(ph, PAM_SUCCESS, "MTLS_OK", "full");
	account(ph, PAM_SUCCESS, "MTLS_OK", "fast");
	write_conf("require_eku = serverAuth");
	account(ph, PAM_AUTH_ERR, "MTLS_E_EKU", "full");
	pam_end(ph, PAM_AUTH_ERR);
	write_conf("");
}

/* The account cache mtls-sync writes (NSS and the LDAP-down mapping read
 * it) is replaced between auth and account: decided anew. */
static void
test_cache_changed(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("good-ec.pem");
	publish_pki("ca.pem", cache);	/* any content: a new version */
	account(ph, PAM_SUCCESS, "MTLS_OK", "full");
	account(ph, PAM_SUCCESS, "MTLS_OK", "fast");
	assert_int_equal(unlink(cache), 0);
	account(ph, PAM_SUCCESS, "MTLS_OK", "full");
	pam_end(ph, PAM_SUCCESS);
}

/* The application presents another certificate at account time: account
 * decides on that one, for the account auth set. */
static void
test_cert_changed(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("good-ec.pem");	/* bob */
	put_cert(ph, "p384.pem");	/* bob too, another key */
	account(ph, PAM_SUCCESS, "MTLS_OK", "full");
	put_cert(ph, "under-revoked-inter.pem");	/* bob, revoked CA */
	account(ph, PAM_AUTH_ERR, "MTLS_E_REVOKED", "full");
	put_cert(ph, "good-rsa.pem");	/* alice */
	account(ph, PAM_AUTH_ERR, "MTLS_E_USER_MISMATCH", "full");
	pam_end(ph, PAM_AUTH_ERR);
}

/* Another module (or the application) changes PAM_USER after auth: the
 * certificate does not map to that account. */
static void
test_user_changed(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("good-ec.pem");
	assert_int_equal(pam_set_item(ph, PAM_USER, "alice"), PAM_SUCCESS);
	account(ph, PAM_AUTH_ERR, "MTLS_E_USER_MISMATCH", "full");
	pam_end(ph, PAM_AUTH_ERR);
}

/* A second auth in the handle that refuses leaves nothing for account:
 * PAM_IGNORE, which fails a stack of only pam_mtls. */
static void
test_failed_reauth(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("good-ec.pem");
	put_cert(ph, "revoked.pem");
	assert_int_equal(pam_authenticate(ph, 0), PAM_AUTH_ERR);
	assert_string_equal(pam_getenv(ph, "MTLS_REASON"), "MTLS_E_REVOKED");
	assert_int_equal(pam_acct_mgmt(ph, 0), PAM_PERM_DENIED);
	pam_end(ph, PAM_PERM_DENIED);
}

/* The account database changes between auth and account: deleted, or the
 * name now a different uid.  The re-check sees both. */
static void
test_account_changed(void **state)
{
	pam_handle_t *ph;

	(void)state;
	ph = auth_pki("good-ec.pem");
	write_passwd("alice:x:1001:1001::/:/bin/sh\n");
	account(ph, PAM_USER_UNKNOWN, "MTLS_E_USER_UNKNOWN", "fast");
	pam_end(ph, PAM_USER_UNKNOWN);
	write_passwd(PASSWD);
	ph = auth_pki("good-ec.pem");
	write_passwd("bob:x:2002:1002::/:/bin/sh\n");
	account(ph, PAM_USER_UNKNOWN, "MTLS_E_USER_UNKNOWN", "fast");
	pam_end(ph, PAM_USER_UNKNOWN);
	write_passwd(PASSWD);
}

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	assert_non_null(e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value));
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

/* CN=bob under the test intermediate, valid from a minute ago until
 * `secs` from now: a certificate that expires between auth and account. */
static char *
short_lived_pem(long secs)
{
	X509 *x = X509_new(), *inter = pki_cert("inter.pem");
	EVP_PKEY *key = EVP_EC_gen("P-256"), *ikey;
	X509_NAME *n = X509_NAME_new();
	FILE *f = fopen(pki("inter.key"), "r");
	BIO *b = BIO_new(BIO_s_mem());
	char *pem, *data;
	long len;

	assert_non_null(f);
	assert_non_null(ikey = PEM_read_PrivateKey(f, NULL, NULL, NULL));
	fclose(f);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL));
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)"bob", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
	    (const unsigned char *)"pam_mtls test", -1, -1, 0);
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, X509_get_subject_name(inter));
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), secs);
	X509_set_pubkey(x, key);
	add_ext(x, inter, NID_basic_constraints, "critical,CA:FALSE");
	add_ext(x, inter, NID_key_usage, "critical,digitalSignature");
	add_ext(x, inter, NID_ext_key_usage, "clientAuth");
	add_ext(x, inter, NID_subject_key_identifier, "hash");
	add_ext(x, inter, NID_authority_key_identifier, "keyid:always");
	assert_true(X509_sign(x, ikey, EVP_sha256()) > 0);
	assert_int_equal(PEM_write_bio_X509(b, x), 1);
	len = BIO_get_mem_data(b, &data);
	assert_non_null(pem = calloc(1, (size_t)len + 1));
	memcpy(pem, data, (size_t)len);
	BIO_free(b);
	X509_NAME_free(n);
	EVP_PKEY_free(key);
	EVP_PKEY_free(ikey);
	X509_free(inter);
	X509_free(x);
	return pem;
}

/* The certificate expires between auth and account (clock_skew = 0). */
static void
test_expired_between(void **state)
{
	char *pem = short_lived_pem(5);
	pam_handle_t *ph;

	(void)state;
	ph = auth_handle(pem);
	account(ph, PAM_SUCCESS, "MTLS_OK", "fast");
	sleep(7);
	account(ph, PAM_AUTH_ERR, "MTLS_E_EXPIRED", "fast");
	pam_end(ph, PAM_AUTH_ERR);
	free(pem);
}

static int
setup(void **state)
{
	char dir[128], svc[256], text[1024];
	const char *b = getenv("MTLS_BUILDDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/services", unit_dir());
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(conf, sizeof(conf), "%s/acct.conf", unit_dir());
	snprintf(crl, sizeof(crl), "%s/crl-live.pem", unit_dir());
	snprintf(logpath, sizeof(logpath), "%s/stderr.log", unit_dir());
	snprintf(cache, sizeof(cache), "%s/accounts.cache", unit_dir());
	publish_pki("crl.pem", crl);
	write_conf("");
	snprintf(svc, sizeof(svc), "%s/acct", dir);
	snprintf(text, sizeof(text), "auth required %s/.libs/pam_mtls.so "
	    "config=%s\naccount required %s/.libs/pam_mtls.so config=%s\n",
	    b, conf, b, conf);
	assert_int_equal(rename(temp_file(text), svc), 0);
	snprintf(svc, sizeof(svc), "%s/acctdbg", dir);
	snprintf(text, sizeof(text), "auth required %s/.libs/pam_mtls.so "
	    "config=%s\naccount required %s/.libs/pam_mtls.so config=%s "
	    "debug\n", b, conf, b, conf);
	assert_int_equal(rename(temp_file(text), svc), 0);
	setenv("PAM_WRAPPER_SERVICE_DIR", dir, 1);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_path),
		cmocka_unit_test(test_fast_path_debug),
		cmocka_unit_test(test_revoked_between),
		cmocka_unit_test(test_config_changed),
		cmocka_unit_test(test_cache_changed),
		cmocka_unit_test(test_cert_changed),
		cmocka_unit_test(test_user_changed),
		cmocka_unit_test(test_failed_reauth),
		cmocka_unit_test(test_account_changed),
		cmocka_unit_test(test_expired_between),
	};

	(void)argc;
	setenv("PAM_WRAPPER_DEBUGLEVEL", "2", 1);
	unit_reexec_with_pam_wrapper(argv);
	return cmocka_run_group_tests(tests, setup, NULL);
}
