/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Module options from the PAM service file. */
#ifndef PAM_MTLS_ARGS_H
#define PAM_MTLS_ARGS_H

#include <security/pam_modules.h>

struct pam_args {
	const char *config;
	const char *profile;
	int debug;
	int no_cert_ignore;
	int challenge;		/* cert_source=challenge */
};

/* Unknown or malformed options are logged and make the call fail with
 * PAM_SERVICE_ERR: an option silently ignored is a policy silently lost. */
int pam_args_parse(pam_handle_t *pamh, int argc, const char **argv,
    struct pam_args *a);

#endif
