/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The early warning for a CRL about to pass its nextUpdate: every decision
 * that uses it says so, but the log line is rate-limited per CRL file, so
 * a busy server logs it once per MTLS_CRL_WARN_EVERY seconds, not once
 * per login.  The third process-wide state of libmtls (after the CRL and
 * configuration caches): a small table behind a mutex. */
#ifndef MTLS_CRL_WARN_H
#define MTLS_CRL_WARN_H

#include <time.h>

#define MTLS_CRL_WARN_EVERY 600

/* 1 when the warning about path is due at now (and records that it was
 * given), 0 when it was given less than MTLS_CRL_WARN_EVERY seconds ago. */
int mtls_crl_warn_due(const char *path, time_t now);

#endif
