/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* bench_login: N warm logins in one process through the real libpam and
 * pam_mtls.so, after one untimed login that fills the caches.  Prints
 * "logins/s RSS-after-10-KiB RSS-at-end-KiB".  Run under pam_wrapper:
 *   bench_login SERVICE CERT.pem N [auth|login [CA.pem CHAIN.pem]]
 * With "auth" a login is pam_authenticate only; else auth + account in the
 * same handle.  With CA and CHAIN the floor (parse CERT + X509_verify_cert,
 * bench/floor.c) is timed in this process too, N times, in rounds that
 * alternate with the logins' so both see the same machine; each side's
 * least disturbed round counts, and its rate is printed fourth. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

#include "floor.h"
#include "rss.h"

#define ROUNDS 20

static int
quiet_conv(int n, const struct pam_message **m, struct pam_response **r,
    void *d)
{
	(void)n;
	(void)m;
	(void)d;
	*r = NULL;
	return PAM_CONV_ERR;
}

static int auth_only;

static int
login(const char *service, const char *env)
{
	struct pam_conv conv = { quiet_conv, NULL };
	pam_handle_t *ph = NULL;
	int rc;

	if (pam_start(service, NULL, &conv, &ph) != PAM_SUCCESS)
		return -1;
	rc = pam_putenv(ph, env);
	if (rc == PAM_SUCCESS)
		rc = pam_authenticate(ph, PAM_SILENT);
	if (rc == PAM_SUCCESS && !auth_only)
		rc = pam_acct_mgmt(ph, PAM_SILENT);
	pam_end(ph, rc);
	return rc;
}

/* The logins' rate: over all n, or with f the best of ROUNDS rounds of
 * n / ROUNDS alternating with as many floor verifications, whose best
 * round gives *floor_rate.  *rss10 after the tenth login. */
static int
measure(const char *service, const char *env, long n, struct floor *f,
    double *rate, double *floor_rate, long *rss10)
{
	struct timespec a;
	int r, rounds = f != NULL ? ROUNDS : 1;
	long per = n / rounds, i, done = 0;
	double t, best = 0, fbest = 0;

	for (r = 0; r < rounds; r++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (i = 0; i < per; i++) {
			if (login(service, env) != PAM_SUCCESS)
				return -1;
			if (++done == 10)
				*rss10 = mtls_rss_kb();
		}
		t = floor_since(&a);
		best = best == 0 || t < best ? t : best;
		if (f == NULL)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (floor_run(f, per, 1) != 0)
			return -1;
		t = floor_since(&a);
		fbest = fbest == 0 || t < fbest ? t : fbest;
	}
	*rate = (double)per / best;
	*floor_rate = f != NULL ? (double)per / fbest : 0;
	return 0;
}

int
main(int argc, char **argv)
{
	struct floor fl;
	char *pem, *env;
	long n, len, rss10 = 0;
	FILE *f;
	double rate, floor_rate;
	int with_floor = argc == 7;

	if ((argc != 4 && argc != 5 && argc != 7) ||
	    (n = atol(argv[3])) < (with_floor ? 10 * ROUNDS : 11)) {
		fprintf(stderr, "usage: bench_login SERVICE CERT.pem N "
		    "[auth|login [CA.pem CHAIN.pem]] (N > 10, with the floor "
		    "N >= %d)\n", 10 * ROUNDS);
		return 2;
	}
	auth_only = argc >= 5 && strcmp(argv[4], "auth") == 0;
	if (with_floor && floor_init(&fl, argv[5], argv[6], argv[2]) != 0)
		return 2;
	if ((f = fopen(argv[2], "r")) == NULL)
		return 2;
	pem = calloc(1, 65536);
	len = (long)fread(pem, 1, 65535, f);
	fclose(f);
	env = malloc((size_t)len + 16);
	snprintf(env, (size_t)len + 16, "MTLS_CERT=%s", pem);
	if (login(argv[1], env) != PAM_SUCCESS) {
		fprintf(stderr, "bench_login: the warm-up login failed\n");
		return 1;
	}
	if (measure(argv[1], env, n, with_floor ? &fl : NULL, &rate,
	    &floor_rate, &rss10) != 0)
		return 1;
	if (with_floor) {
		printf("%.1f %ld %ld %.1f\n", rate, rss10, mtls_rss_kb(),
		    floor_rate);
		floor_free(&fl);
	} else
		printf("%.1f %ld %ld\n", rate, rss10, mtls_rss_kb());
	free(env);
	free(pem);
	return 0;
}
