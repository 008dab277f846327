/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* libpamtest suite: the real libpam (under pam_wrapper) loads pam_mtls.so;
 * the certificate travels as PEM text in MTLS_CERT, as an application that
 * terminated TLS would put it.  Exact PAM codes and MTLS_REASON per case. */
#include "config.h"

#include "unit.h"

#include <libpamtest.h>
#include "cert_input.h"
#include <security/pam_appl.h>

static char svcdir[64];
static char stdconf[128];	/* the standard config's path */

#define PAM_PERMIT "/lib/x86_64-linux-gnu/security/pam_permit.so"

struct pcase {
	const char *cert;
	const char *user;	/* PAM_USER preset, or NULL */
	int auth_rc;
	const char *reason;
};

static const struct pcase cases[] = {
	{ "good-rsa.pem", NULL, PAM_SUCCESS, "MTLS_OK" },
	{ "good-ec.pem", "bob", PAM_SUCCESS, "MTLS_OK" },
	{ "good-ed25519.pem", NULL, PAM_SUCCESS, "MTLS_OK" },
	{ "good-ec.pem", "alice", PAM_AUTH_ERR, "MTLS_E_USER_MISMATCH" },
	{ "expired.pem", NULL, PAM_AUTH_ERR, "MTLS_E_EXPIRED" },
	{ "not-yet-valid.pem", NULL, PAM_AUTH_ERR, "MTLS_E_NOT_YET_VALID" },
	{ "wrong-eku.pem", NULL, PAM_AUTH_ERR, "MTLS_E_EKU" },
	{ "no-eku.pem", NULL, PAM_AUTH_ERR, "MTLS_E_EKU" },
	{ "no-digsig.pem", NULL, PAM_AUTH_ERR, "MTLS_E_KEY_USAGE" },
	{ "rsa1024.pem", NULL, PAM_AUTH_ERR, "MTLS_E_WEAK_KEY" },
	{ "sha1.pem", NULL, PAM_AUTH_ERR, "MTLS_E_WEAK_SIGNATURE" },
	{ "ca-leaf.pem", NULL, PAM_AUTH_ERR, "MTLS_E_CA_LEAF" },
	{ "crit-ext.pem", NULL, PAM_AUTH_ERR, "MTLS_E_UNKNOWN_CRITICAL_EXT" },
	{ "impostor.pem", NULL, PAM_AUTH_ERR, "MTLS_E_UNTRUSTED_ISSUER" },
	{ "other-ca.pem", NULL, PAM_AUTH_ERR, "MTLS_E_CHAIN_INCOMPLETE" },
	{ "unknown-user.pem", NULL, PAM_AUTH_ERR, "MTLS_E_NO_MAPPING" },
	{ "meta.pem", NULL, PAM_AUTH_ERR, "MTLS_E_NO_MAPPING" },
	{ "inter.pem", NULL, PAM_AUTH_ERR, "MTLS_E_CA_LEAF" },
	{ "revoked.pem", NULL, PAM_AUTH_ERR, "MTLS_E_REVOKED" },
	{ "under-revoked-inter.pem", NULL, PAM_AUTH_ERR, "MTLS_E_REVOKED" },
};

/* Runs auth (+ account + setcred on success) with MTLS_CERT=value and
 * returns the environment list; *auth_rc gets pam_authenticate's code. */
static char **
run(const char *service, const char *user, const char *value, int *auth_rc,
    int expect)
{
	struct pam_testcase ok_tests[] = {
		pam_test(PAMTEST_AUTHENTICATE, PAM_SUCCESS),
		pam_test(PAMTEST_ACCOUNT, PAM_SUCCESS),
		pam_test(PAMTEST_SETCRED, PAM_SUCCESS),
		pam_test(PAMTEST_GETENVLIST, PAM_SUCCESS),
	};
	struct pam_testcase bad_tests[] = {
		pam_test(PAMTEST_AUTHENTICATE, expect),
		pam_test(PAMTEST_GETENVLIST, PAM_SUCCESS),
	};
	struct pam_testcase *t = expect == PAM_SUCCESS ? ok_tests : bad_tests;
	struct pam_conv conv = { NULL, NULL };
	pam_handle_t *ph = NULL;
	enum pamtest_err perr;
	char *env;

	print_message("# %s user=%s expects %s\n", service, user ? user : "-",
	    pam_strerror(NULL, expect));
	assert_int_equal(pam_start(service, user, &conv, &ph), PAM_SUCCESS);
	if (value != NULL) {
		assert_non_null(env = malloc(strlen(value) + 16));
		sprintf(env, "MTLS_CERT=%s", value);
		assert_int_equal(pam_putenv(ph, env), PAM_SUCCESS);
		free(env);
	}
	if (expect == PAM_SUCCESS)
		perr = run_pamtest(service, user, NULL, ok_tests, ph);
	else
		perr = run_pamtest(service, user, NULL, bad_tests, ph);
	*auth_rc = t[0].op_rv;
	assert_int_equal(perr, PAMTEST_ERR_OK);
	return expect == PAM_SUCCESS ? t[3].case_out.envlist :
	    t[1].case_out.envlist;
}

static const char *
env_get(char **envlist, const char *name)
{
	size_t n = strlen(name);

	for (; envlist != NULL && *envlist != NULL; envlist++)
		if (strncmp(*envlist, name, n) == 0 && (*envlist)[n] == '=')
			return *envlist + n + 1;
	return NULL;
}

static void
test_corpus(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *pem = slurp(pki(cases[i].cert), &len), **env;
		int rc = -1;

		print_message("# %s user=%s -> %s\n", cases[i].cert,
		    cases[i].user ? cases[i].user : "-", cases[i].reason);
		env = run("mtls", cases[i].user, pem, &rc, cases[i].auth_rc);
		assert_int_equal(rc, cases[i].auth_rc);
		assert_string_equal(env_get(env, "MTLS_REASON"), cases[i].reason);
		pamtest_free_env(env);
		free(pem);
	}
}

static void
test_setcred_env(void **state)
{
	size_t len;
	char *pem = slurp(pki("good-ec.pem"), &len), **env;
	int rc;

	(void)state;
	env = run("mtls", NULL, pem, &rc, PAM_SUCCESS);
	assert_string_equal(env_get(env, "MTLS_USER"), "bob");
	assert_string_equal(env_get(env, "MTLS_SUBJECT"),
	    "O=pam_mtls test,CN=bob");
	assert_string_equal(env_get(env, "MTLS_ISSUER"),
	    "O=pam_mtls test,CN=pam_mtls Test Intermediate");
	assert_string_equal(env_get(env, "MTLS_RULE"), "by_cn");
	assert_int_equal(strlen(env_get(env, "MTLS_FINGERPRINT")), 64);
	assert_non_null(env_get(env, "MTLS_SERIAL"));
	assert_non_null(env_get(env, "MTLS_NOT_AFTER"));
	pamtest_free_env(env);
	free(pem);
}

/* On an accept the module names the configuration and profile that
 * decided, for a caching application (mtls-fastcgi); two lines of one
 * stack that disagree leave MTLS_CONFIG empty; a refusal names none. */
static void
test_source_env(void **state)
{
	size_t len;
	char *pem = slurp(pki("good-ec.pem"), &len), **env;
	char *revoked = slurp(pki("revoked.pem"), &len);
	int rc;

	(void)state;
	env = run("mtls", NULL, pem, &rc, PAM_SUCCESS);
	assert_string_equal(env_get(env, "MTLS_CONFIG"), stdconf);
	assert_string_equal(env_get(env, "MTLS_PROFILE"), "");
	pamtest_free_env(env);
	env = run("mtls-mixed", NULL, pem, &rc, PAM_SUCCESS);
	assert_string_equal(env_get(env, "MTLS_CONFIG"), "");
	pamtest_free_env(env);
	env = run("mtls", NULL, revoked, &rc, PAM_AUTH_ERR);
	assert_null(env_get(env, "MTLS_CONFIG"));
	pamtest_free_env(env);
	free(revoked);
	free(pem);
}

/* The account phase decides again: a CRL published between auth and
 * account that revokes the certificate makes account fail. */
static void
test_account_recheck(void **state)
{
	struct pam_conv conv = { NULL, NULL };
	pam_handle_t *ph = NULL;
	char live[128], *pem, *env;
	size_t len;

	(void)state;
	snprintf(live, sizeof(live), "%s/crl-live.pem", svcdir);
	publish_pki("crl.pem", live);
	pem = slurp(pki("late-revoked.pem"), &len);
	assert_non_null(env = malloc(len + 16));
	sprintf(env, "MTLS_CERT=%s", pem);
	assert_int_equal(pam_start("mtls-live", NULL, &conv, &ph), PAM_SUCCESS);
	assert_int_equal(pam_putenv(ph, env), PAM_SUCCESS);
	assert_int_equal(pam_authenticate(ph, 0), PAM_SUCCESS);
	assert_int_equal(pam_acct_mgmt(ph, 0), PAM_SUCCESS);
	assert_string_equal(pam_getenv(ph, "MTLS_REASON"), "MTLS_OK");
	publish_pki("crl-later.pem", live);
	assert_int_equal(pam_acct_mgmt(ph, 0), PAM_AUTH_ERR);
	assert_string_equal(pam_getenv(ph, "MTLS_REASON"), "MTLS_E_REVOKED");
	pam_end(ph, PAM_AUTH_ERR);
	free(env);
	free(pem);
}

/* sshd runs pam_authenticate in a child and pam_setcred in the monitor
 * with another handle: a handle where auth never ran.  setcred must let
 * the stack pass (it grants nothing); account must not vouch for a check
 * it cannot make: PAM_IGNORE, so a stack of only pam_mtls refuses and the
 * stack's other account modules decide otherwise. */
static void
test_auth_in_other_process(void **state)
{
	struct pam_conv conv = { NULL, NULL };
	pam_handle_t *ph = NULL;

	(void)state;
	assert_int_equal(pam_start("mtls", "bob", &conv, &ph), PAM_SUCCESS);
	assert_int_equal(pam_setcred(ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
	assert_null(pam_getenv(ph, "MTLS_USER"));
	assert_int_equal(pam_acct_mgmt(ph, 0), PAM_PERM_DENIED);
	assert_int_equal(pam_setcred(ph, PAM_DELETE_CRED), PAM_SUCCESS);
	pam_end(ph, PAM_SUCCESS);
	assert_int_equal(pam_start("mtls-then-permit", "bob", &conv, &ph),
	    PAM_SUCCESS);
	assert_int_equal(pam_setcred(ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
	assert_int_equal(pam_acct_mgmt(ph, 0), PAM_SUCCESS);
	assert_null(pam_getenv(ph, "MTLS_REASON"));
	pam_end(ph, PAM_SUCCESS);
}

/* One auth in this process with MTLS_CERT = the named PKI file. */
static int
auth_once(const char *service, const char *cert, char *reason, size_t rsz)
{
	struct pam_conv conv = { NULL, NULL };
	pam_handle_t *ph = NULL;
	char *pem, *env;
	size_t len;
	int rc;

	pem = slurp(pki(cert), &len);
	assert_non_null(env = malloc(len + 16));
	sprintf(env, "MTLS_CERT=%s", pem);
	assert_int_equal(pam_start(service, NULL, &conv, &ph), PAM_SUCCESS);
	assert_int_equal(pam_putenv(ph, env), PAM_SUCCESS);
	rc = pam_authenticate(ph, 0);
	snprintf(reason, rsz, "%s", pam_getenv(ph, "MTLS_REASON"));
	print_message("# %s %s -> %s\n", service, cert, reason);
	pam_end(ph, rc);
	free(env);
	free(pem);
	return rc;
}

/* The module keeps a loaded configuration between logins of a process:
 * an edited config, or a replaced file it names, must take effect at the
 * very next login. */
/* Writes the reload test's config, with an optional extra global line. */
static void
reload_config(const char *conf, const char *ca, const char *extra)
{
	char text[16384];

	snprintf(text, sizeof(text), "ca_file = %s\nintermediates_file = %s\n"
	    "revocation = none\n%s\nmap = by_cn\n[map by_cn]\nsource = cn\n"
	    "lookup = local\n", ca, pki("chain.pem"), extra);
	assert_int_equal(rename(temp_file(text), conf), 0);
}

static void
test_config_reload(void **state)
{
	char conf[128], ca[128], reason[64];

	(void)state;
	snprintf(conf, sizeof(conf), "%s/reload.conf", svcdir);
	snprintf(ca, sizeof(ca), "%s/reload-ca.pem", svcdir);
	publish_pki("ca.pem", ca);
	reload_config(conf, ca, "");
	assert_int_equal(auth_once("mtls-reload", "good-ec.pem", reason,
	    sizeof(reason)), PAM_SUCCESS);
	assert_int_equal(auth_once("mtls-reload", "good-ec.pem", reason,
	    sizeof(reason)), PAM_SUCCESS);	/* served from the cache */
	reload_config(conf, ca, "require_eku = serverAuth");
	assert_int_equal(auth_once("mtls-reload", "good-ec.pem", reason,
	    sizeof(reason)), PAM_AUTH_ERR);
	assert_string_equal(reason, "MTLS_E_EKU");
	reload_config(conf, ca, "");
	assert_int_equal(auth_once("mtls-reload", "good-ec.pem", reason,
	    sizeof(reason)), PAM_SUCCESS);
	/* The CA file named by the config is replaced: our root is gone. */
	publish_pki("other-root.pem", ca);
	assert_int_equal(auth_once("mtls-reload", "good-ec.pem", reason,
	    sizeof(reason)), PAM_AUTH_ERR);
	assert_string_equal(reason, "MTLS_E_CHAIN_INCOMPLETE");
}

static void
test_bad_inputs(void **state)
{
	size_t bigsz = 1024 * 1024;	/* 1 MiB in the PAM environment */
	char *big = malloc(bigsz + 1), **env;
	int rc;

	(void)state;
	env = run("mtls", NULL, NULL, &rc, PAM_AUTHINFO_UNAVAIL);
	assert_string_equal(env_get(env, "MTLS_REASON"), "MTLS_E_NO_CERT");
	pamtest_free_env(env);
	/* no_cert=ignore: PAM_IGNORE lets the next module (pam_permit) decide;
	 * without it the module's PAM_AUTHINFO_UNAVAIL would end the stack. */
	env = run("mtls-ignore", "bob", NULL, &rc, PAM_SUCCESS);
	assert_string_equal(env_get(env, "MTLS_REASON"), "MTLS_E_NO_CERT");
	pamtest_free_env(env);
	env = run("mtls", NULL, "not a certificate", &rc, PAM_AUTH_ERR);
	assert_string_equal(env_get(env, "MTLS_REASON"), "MTLS_E_BAD_INPUT");
	pamtest_free_env(env);
	memset(big, 'A', bigsz);
	big[bigsz] = '\0';
	env = run("mtls", NULL, big, &rc, PAM_AUTH_ERR);
	assert_string_equal(env_get(env, "MTLS_REASON"), "MTLS_E_BAD_INPUT");
	pamtest_free_env(env);
	env = run("mtls-badconf", NULL, "x", &rc, PAM_SERVICE_ERR);
	assert_string_equal(env_get(env, "MTLS_REASON"), "MTLS_E_CONFIG");
	pamtest_free_env(env);
	env = run("mtls-badopt", NULL, "x", &rc, PAM_SERVICE_ERR);
	pamtest_free_env(env);
	free(big);
}

static void
write_service(const char *name, const char *args)
{
	char path[128], text[1024];
	int ignore = strstr(args, "no_cert=ignore") != NULL;

	snprintf(path, sizeof(path), "%s/%s", svcdir, name);
	snprintf(text, sizeof(text), "auth %s %s/.libs/pam_mtls.so %s\n%s"
	    "account %s %s/.libs/pam_mtls.so %s\n",
	    ignore ? "[ignore=ignore default=die]" : "required",
	    getenv("MTLS_BUILDDIR"), args, ignore ?
	    "auth required " PAM_PERMIT "\naccount required " PAM_PERMIT "\n" :
	    "", ignore ? "[ignore=ignore default=die]" : "required",
	    getenv("MTLS_BUILDDIR"), args);
	assert_int_equal(rename(temp_file(text), path), 0);
}

/* The shape of conf/pam.d/sshd-mtls: pam_mtls alone in auth, then
 * pam_mtls and the system's account modules (pam_permit stands in). */
static void
write_then_permit(const char *name, const char *conf)
{
	char path[128], text[1024];

	snprintf(path, sizeof(path), "%s/%s", svcdir, name);
	snprintf(text, sizeof(text), "auth required %s/.libs/pam_mtls.so "
	    "config=%s\naccount required %s/.libs/pam_mtls.so config=%s\n"
	    "account required " PAM_PERMIT "\n", getenv("MTLS_BUILDDIR"),
	    conf, getenv("MTLS_BUILDDIR"), conf);
	assert_int_equal(rename(temp_file(text), path), 0);
}

/* auth and account lines naming different configurations. */
static void
write_mixed(const char *name, const char *auth_conf, const char *acct_conf)
{
	char path[128], text[1024];

	snprintf(path, sizeof(path), "%s/%s", svcdir, name);
	snprintf(text, sizeof(text), "auth required %s/.libs/pam_mtls.so "
	    "config=%s\naccount required %s/.libs/pam_mtls.so config=%s\n",
	    getenv("MTLS_BUILDDIR"), auth_conf, getenv("MTLS_BUILDDIR"),
	    acct_conf);
	assert_int_equal(rename(temp_file(text), path), 0);
}

static int
setup(void **state)
{
	char conf[16384], arg[256], path[128], *text;
	size_t n;

	(void)state;
	snprintf(svcdir, sizeof(svcdir), "%s/services", unit_dir());
	assert_int_equal(mkdir(svcdir, 0755), 0);
	snprintf(path, sizeof(path), "%s", unit_std_config());
	snprintf(stdconf, sizeof(stdconf), "%s", path);
	snprintf(arg, sizeof(arg), "config=%s", path);
	write_service("mtls", arg);
	snprintf(arg, sizeof(arg), "config=%s no_cert=ignore", path);
	write_service("mtls-ignore", arg);
	snprintf(conf, sizeof(conf), "ca_file = %s\n", pki("ca.pem"));
	snprintf(conf + strlen(conf), sizeof(conf) - strlen(conf),
	    "intermediates_file = %s\ncrl_file = %s/crl-live.pem\nmap = by_cn\n"
	    "[map by_cn]\nsource = cn\nlookup = local\n", pki("chain.pem"),
	    svcdir);
	snprintf(arg, sizeof(arg), "config=%s", temp_file(conf));
	write_service("mtls-live", arg);
	/* The same policy under another path. */
	text = slurp(path, &n);
	write_mixed("mtls-mixed", path, temp_file(text));
	free(text);
	snprintf(arg, sizeof(arg), "config=%s/reload.conf", svcdir);
	write_service("mtls-reload", arg);
	write_then_permit("mtls-then-permit", path);
	write_service("mtls-badopt", "config=/etc/hosts frobnicate");
	write_service("mtls-badconf", "config=/etc/hosts");
	setenv("PAM_WRAPPER_SERVICE_DIR", svcdir, 1);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_setcred_env),
		cmocka_unit_test(test_source_env),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_account_recheck),
		cmocka_unit_test(test_config_reload),
		cmocka_unit_test(test_auth_in_other_process),
	};

	(void)argc;
	unit_reexec_with_pam_wrapper(argv);
	return cmocka_run_group_tests(tests, setup, NULL);
}
