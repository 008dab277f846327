/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#ifndef PAM_MTLS_RESULT_H
#define PAM_MTLS_RESULT_H

#include "reason.h"

/* The PAM code for a reason: the reason-code table of docs/design.md
 * (tests/lists.sh checks the two agree). */
int mtls_pam_code(enum mtls_reason r);

#endif
