/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* What the long-running PAM applications (the OpenVPN plugin's helper,
 * mtls-fastcgi) share: nobody to answer a prompt, and NAME=VALUE into the
 * PAM environment. */
#ifndef MTLS_TOOLS_PAM_NOCONV_H
#define MTLS_TOOLS_PAM_NOCONV_H

#include <security/pam_appl.h>

/* A conversation that refuses every prompt (PAM_CONV_ERR) and drops
 * informational messages. */
int mtls_noconv(int n, const struct pam_message **msg,
    struct pam_response **resp, void *data);
/* pam_putenv of "name=value"; PAM_BUF_ERR when out of memory. */
int mtls_putenv_kv(pam_handle_t *pamh, const char *name, const char *value);

#endif
