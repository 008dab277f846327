/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* bench_login: N warm logins in one process through the real libpam and
 * pam_mtls.so, after one untimed login that fills the caches.  Prints
 * "logins/s RSS-after-10-KiB RSS-at-end-KiB".  Run under pam_wrapper:
 *   bench_login SERVICE CERT.pem N [auth]
 * With "auth" a login is pam_authenticate only; else auth + account. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <security/pam_appl.h>

#include "rss.h"

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

int
main(int argc, char **argv)
{
	struct timespec a, b;
	char *pem, *env;
	long n, i, len, rss10 = 0;
	FILE *f;
	double secs;

	if ((argc != 4 && argc != 5) || (n = atol(argv[3])) <= 10) {
		fprintf(stderr, "usage: bench_login SERVICE CERT.pem N [auth]\n");
		return 2;
	}
	auth_only = argc == 5 && strcmp(argv[4], "auth") == 0;
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
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		if (login(argv[1], env) != PAM_SUCCESS)
			return 1;
		if (i == 9)
			rss10 = mtls_rss_kb();
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%.1f %ld %ld\n", (double)n / secs, rss10, mtls_rss_kb());
	free(env);
	free(pem);
	return 0;
}
