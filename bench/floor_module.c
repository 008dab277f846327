/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* A reference for bench/run, never for a real login: the least any PAM
 * module deciding on a certificate must do, inside the same libpam
 * transaction a real login runs.  auth parses MTLS_CERT from the PAM
 * environment and runs X509_verify_cert against ca= and chain= (loaded
 * once per process, as pam_mtls's configuration cache does); account
 * returns success.  A login through it costs the floor plus libpam's own
 * handle, dispatch and audit messages: what is left of the goal for
 * pam_mtls's policy, revocation, mapping and logging.  user=NAME (for
 * bench/openvpn, whose helper accepts only a login that names its
 * account) sets PAM_USER on success, as any mapping module must. */
#include <stdio.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <security/pam_modules.h>

#include "floor.h"

PAM_EXTERN int
pam_sm_authenticate(pam_handle_t *ph, int flags, int argc, const char **argv)
{
	static struct floor f;	/* bench only: one thread, loaded once */
	static int loaded;
	const char *ca = NULL, *chain = NULL, *user = NULL, *pem;
	int i, ok;

	(void)flags;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "ca=", 3) == 0)
			ca = argv[i] + 3;
		else if (strncmp(argv[i], "chain=", 6) == 0)
			chain = argv[i] + 6;
		else if (strncmp(argv[i], "user=", 5) == 0)
			user = argv[i] + 5;
	}
	if (!loaded) {
		/* floor_init's third file is the verify-only loop's leaf,
		 * unused here: each login brings its own in f.pem. */
		if (ca == NULL || chain == NULL ||
		    floor_init(&f, ca, chain, ca) != 0)
			return PAM_AUTHINFO_UNAVAIL;
		loaded = 1;
	}
	if ((pem = pam_getenv(ph, "MTLS_CERT")) == NULL)
		return PAM_AUTH_ERR;
	f.len = (int)strlen(pem);
	if ((size_t)f.len >= sizeof(f.pem))
		return PAM_AUTH_ERR;
	memcpy(f.pem, pem, (size_t)f.len);
	ok = floor_run(&f, 1, 1) == 0;
	if (ok && user != NULL &&
	    pam_set_item(ph, PAM_USER, user) != PAM_SUCCESS)
		ok = 0;
	return ok ? PAM_SUCCESS : PAM_AUTH_ERR;
}

PAM_EXTERN int
pam_sm_setcred(pam_handle_t *ph, int flags, int argc, const char **argv)
{
	(void)ph;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_acct_mgmt(pam_handle_t *ph, int flags, int argc, const char **argv)
{
	(void)ph;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
