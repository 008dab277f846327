/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-check --health: the state of every CA and of its CRL, for people
 * and for monitoring.  Exit 0 fine, 1 warning, 2 failing. */
#ifndef MTLS_HEALTH_H
#define MTLS_HEALTH_H

int mtls_health(const char *config, int json);

#endif
