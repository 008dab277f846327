/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pam_noconv.h"

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
