/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* What the PAM applications (mtls-auth, mtls-fastcgi, the OpenVPN
 * plugin's helper) share: nobody to answer a prompt, NAME=VALUE into the
 * PAM environment, and one whole login transaction. */
#ifndef MTLS_TOOLS_PAM_NOCONV_H
#define MTLS_TOOLS_PAM_NOCONV_H

#include <security/pam_appl.h>

/* A conversation that refuses every prompt (PAM_CONV_ERR) and drops
 * informational messages. */
int mtls_noconv(int n, const struct pam_message **msg,
    struct pam_response **resp, void *data);
/* pam_putenv of "name=value"; PAM_BUF_ERR when out of memory. */
int mtls_putenv_kv(pam_handle_t *pamh, const char *name, const char *value);

/* 1 when a PAM code says the stack or the system is broken (service,
 * system, memory, module loading), not that the login was refused. */
int mtls_pam_broken(int rc);

/* What one login transaction came to. */
struct mtls_login {
	int rc;			/* PAM_SUCCESS, or the first code that was not */
	char user[256];		/* PAM_USER on success */
	char reason[64];	/* MTLS_REASON, "-" when the stack set none */
	char message[800];	/* MTLS_MESSAGE, "" when the stack set none */
	char pam_text[128];	/* pam_strerror(rc) */
	/* On success, what pam_mtls exported: the configuration and profile
	 * that decided ("" when unknown or mixed) and the leaf's notAfter,
	 * for a responder that keeps decisions. */
	char config[1024];
	char profile[64];
	char not_after[32];
};

#define MTLS_LOGIN_SETCRED 1	/* also pam_setcred(PAM_ESTABLISH_CRED) */

/* Puts the certificate (and whatever else) into a fresh handle. */
typedef int mtls_login_fill(pam_handle_t *pamh, void *arg);

/* pam_start(service, user), fill, pam_authenticate, pam_acct_mgmt (and
 * pam_setcred with MTLS_LOGIN_SETCRED), then pam_end: every step runs only
 * while the ones before succeeded.  A success whose PAM_USER is missing,
 * empty, holds a control byte or does not fit is PAM_USER_UNKNOWN. */
void mtls_pam_login(const char *service, const char *user,
    const struct pam_conv *conv, mtls_login_fill *fill, void *arg,
    int flags, struct mtls_login *out);

#endif
