/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The account cache as libnss_mtls.so.2 reads it, through the module's own
 * entry points: every offset in a hostile file must stay in bounds. */
#include "config.h"

#include "fuzz.h"

#include <grp.h>
#include <pwd.h>

#include "cache_read.h"
#include "nss_mtls.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct passwd pw;
	struct group gr;
	struct mtls_cache c;
	char buf[4096];
	gid_t *groups = malloc(4 * sizeof(gid_t));
	long start = 0, gsize = 4;
	int err;

	setenv("MTLS_NSS_CACHE", fuzz_file(data, size), 1);
	(void)_nss_mtls_getpwnam_r("alice", &pw, buf, sizeof(buf), &err);
	(void)_nss_mtls_getpwuid_r(1001, &pw, buf, sizeof(buf), &err);
	(void)_nss_mtls_getgrnam_r("staff", &gr, buf, sizeof(buf), &err);
	(void)_nss_mtls_getgrgid_r(100, &gr, buf, sizeof(buf), &err);
	(void)_nss_mtls_getgrnam_r("staff", &gr, buf, 16, &err);
	if (groups != NULL)
		(void)_nss_mtls_initgroups_dyn("alice", 100, &start, &gsize,
		    &groups, 0, &err);
	free(groups);
	_nss_mtls_setpwent(0);
	while (_nss_mtls_getpwent_r(&pw, buf, sizeof(buf), &err) ==
	    NSS_STATUS_SUCCESS)
		;
	_nss_mtls_endpwent();
	_nss_mtls_setgrent(0);
	while (_nss_mtls_getgrent_r(&gr, buf, sizeof(buf), &err) ==
	    NSS_STATUS_SUCCESS)
		;
	_nss_mtls_endgrent();
	if (mtls_cache_open(fuzz_file(data, size), &c) == 0) {
		(void)mtls_cache_cert_user(&c, "sha256:00");
		mtls_cache_close(&c);
	}
	return 0;
}
