/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Load through the real libpam (pam_wrapper): 10,000 mixed logins in one
 * process with flat memory, and 32 threads each with its own handle, every
 * answer checked.  With --count N and no cmocka it is the program that
 * tests/valgrind.sh runs under memcheck. */
#include "config.h"

#include "unit.h"

#include <pthread.h>
#include <security/pam_appl.h>

#include "rss.h"

struct login {
	const char *cert;
	int rc;
	char *env;	/* "MTLS_CERT=<pem>" */
};

static struct login mix[] = {
	{ "good-ec.pem", PAM_SUCCESS, NULL },
	{ "expired.pem", PAM_AUTH_ERR, NULL },
	{ "revoked.pem", PAM_AUTH_ERR, NULL },
	{ "good-rsa.pem", PAM_SUCCESS, NULL },
	{ "wrong-eku.pem", PAM_AUTH_ERR, NULL },
	{ "unknown-user.pem", PAM_AUTH_ERR, NULL },
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

static int
quiet(int n, const struct pam_message **m, struct pam_response **r, void *d)
{
	(void)n;
	(void)m;
	(void)d;
	*r = NULL;
	return PAM_CONV_ERR;
}

/* One login: auth, then account on success.  Returns 1 when the result
 * is the expected one. */
static int
login(const struct login *l)
{
	struct pam_conv conv = { quiet, NULL };
	pam_handle_t *ph = NULL;
	int rc;

	if (pam_start("mtls-load", NULL, &conv, &ph) != PAM_SUCCESS)
		return 0;
	rc = pam_putenv(ph, l->env);
	if (rc == PAM_SUCCESS)
		rc = pam_authenticate(ph, PAM_SILENT);
	if (rc == PAM_SUCCESS)
		rc = pam_acct_mgmt(ph, PAM_SILENT);
	pam_end(ph, rc);
	return rc == l->rc;
}

static long
run(long n)
{
	long i, wrong = 0;

	for (i = 0; i < n; i++)
		wrong += !login(&mix[(size_t)i % NMIX]);
	return wrong;
}

static void
test_rss_flat(void **state)
{
	long warm, after;

	const char *san = getenv("MTLS_SANITIZERS");

	(void)state;
	assert_int_equal(run(1000), 0);
	warm = mtls_rss_kb();
	assert_int_equal(run(9000), 0);
	after = mtls_rss_kb();
	print_message("# RSS after 1,000 logins %ld KiB, after 10,000 %ld KiB\n",
	    warm, after);
	/* ASan's quarantine keeps freed memory, so RSS is judged only in the
	 * normal build; under ASan its leak checker judges at exit. */
	if (san != NULL && strcmp(san, "yes") == 0) {
		print_message("# RSS not judged under ASan\n");
		return;
	}
	/* Every allocation is freed per login: growth would be per login. */
	assert_true(after - warm < 1024);
}

static void *
worker(void *arg)
{
	long id = (long)arg, i, wrong = 0;

	for (i = 0; i < 60; i++)
		wrong += !login(&mix[(size_t)(i + id) % NMIX]);
	return (void *)wrong;
}

static void
test_threads(void **state)
{
	pthread_t t[32];
	long total = 0, i;
	void *wrong;

	(void)state;
	for (i = 0; i < 32; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker,
		    (void *)i), 0);
	for (i = 0; i < 32; i++) {
		pthread_join(t[i], &wrong);
		total += (long)wrong;
	}
	assert_int_equal(total, 0);
}

static void
setup_env(void)
{
	size_t i, len;

	for (i = 0; i < NMIX; i++) {
		char *pem = slurp(pki(mix[i].cert), &len);

		mix[i].env = malloc(len + 16);
		sprintf(mix[i].env, "MTLS_CERT=%s", pem);
		free(pem);
	}
	unit_pam_service("mtls-load", "", unit_std_config());
}

static void
free_env(void)
{
	size_t i;

	for (i = 0; i < NMIX; i++)
		free(mix[i].env);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rss_flat),
		cmocka_unit_test(test_threads),
	};
	long wrong;
	int rc;

	unit_reexec_with_pam_wrapper(argv);
	setup_env();
	if (argc == 3 && strcmp(argv[1], "--count") == 0) {
		wrong = run(atol(argv[2]));
		free_env();
		printf("%ld wrong answers\n", wrong);
		return wrong == 0 ? 0 : 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free_env();
	return rc;
}
