/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pam_noconv.h"
#include "util.h"

int
mtls_noconv(int n, const struct pam_message **msg, struct pam_response **resp,
    void *data)
{
	int i;

	(void)data;
	*resp = NULL;
	for (i = 0; i < n; i++)
		if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF ||
		    msg[i]->msg_style == PAM_PROMPT_ECHO_ON)
			return PAM_CONV_ERR;
	return PAM_SUCCESS;
}

int
mtls_putenv_kv(pam_handle_t *pamh, const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 2;
	char *buf = malloc(n);
	int rc;

	if (buf == NULL)
		return PAM_BUF_ERR;
	snprintf(buf, n, "%s=%s", name, value);
	rc = pam_putenv(pamh, buf);
	free(buf);
	return rc;
}

int
mtls_pam_broken(int rc)
{
	return rc == PAM_SERVICE_ERR || rc == PAM_SYSTEM_ERR ||
	    rc == PAM_BUF_ERR || rc == PAM_ABORT || rc == PAM_OPEN_ERR ||
	    rc == PAM_SYMBOL_ERR;
}

/* An environment value into dst; "" when absent or it does not fit. */
static void
env_copy(pam_handle_t *pamh, const char *name, char *dst, size_t dstsz)
{
	const char *v = pam_getenv(pamh, name);

	if (v == NULL || mtls_strlcpy(dst, v, dstsz) != 0)
		dst[0] = '\0';
}

/* The user, reason and message the stack left, into out. */
static void
login_result(pam_handle_t *pamh, int rc, struct mtls_login *out)
{
	const void *user = NULL;
	const char *v;

	if (rc == PAM_SUCCESS &&
	    (pam_get_item(pamh, PAM_USER, &user) != PAM_SUCCESS ||
	    user == NULL || *(const char *)user == '\0' ||
	    mtls_has_ctl(user) ||
	    mtls_strlcpy(out->user, user, sizeof(out->user)) != 0))
		rc = PAM_USER_UNKNOWN;
	if (rc != PAM_SUCCESS)
		out->user[0] = '\0';
	else {
		env_copy(pamh, "MTLS_CONFIG", out->config, sizeof(out->config));
		env_copy(pamh, "MTLS_PROFILE", out->profile,
		    sizeof(out->profile));
		env_copy(pamh, "MTLS_NOT_AFTER", out->not_after,
		    sizeof(out->not_after));
	}
	v = pamh != NULL ? pam_getenv(pamh, "MTLS_REASON") : NULL;
	mtls_strlcpy(out->reason, v != NULL ? v : "-", sizeof(out->reason));
	v = pamh != NULL ? pam_getenv(pamh, "MTLS_MESSAGE") : NULL;
	mtls_strlcpy(out->message, v != NULL ? v : "", sizeof(out->message));
	mtls_strlcpy(out->pam_text, pam_strerror(pamh, rc),
	    sizeof(out->pam_text));
	out->rc = rc;
}

void
mtls_pam_login(const char *service, const char *user,
    const struct pam_conv *conv, mtls_login_fill *fill, void *arg,
    int flags, struct mtls_login *out)
{
	pam_handle_t *pamh = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = pam_start(service, user, conv, &pamh);
	if (rc == PAM_SUCCESS)
		rc = fill(pamh, arg);
	if (rc == PAM_SUCCESS)
		rc = pam_authenticate(pamh, PAM_SILENT);
	if (rc == PAM_SUCCESS)
		rc = pam_acct_mgmt(pamh, PAM_SILENT);
	if (rc == PAM_SUCCESS && (flags & MTLS_LOGIN_SETCRED))
		rc = pam_setcred(pamh, PAM_ESTABLISH_CRED | PAM_SILENT);
	login_result(pamh, rc, out);
	if (pamh != NULL)
		pam_end(pamh, out->rc);
}
