/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#ifndef PAM_MTLS_CHALLENGE_CONV_H
#define PAM_MTLS_CHALLENGE_CONV_H

#include <stddef.h>

#include <security/pam_modules.h>

#include "reason.h"

/* cert_source=challenge: sends a fresh challenge through the conversation,
 * reads the answer (lines ending in '\' continue), checks it was given
 * within window seconds and that it signs this challenge, and returns the
 * signer certificate and intermediates as PEM.  Refusals carry a reason
 * and a sentence in msg. */
enum mtls_reason pam_challenge_input(pam_handle_t *pamh, const char *service,
    long window, char **cert, size_t *cert_len, char **chain,
    size_t *chain_len, char *msg, size_t msgsz);

#endif
