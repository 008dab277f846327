/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-check --lint beyond syntax: what the configuration points at.
 * Every finding is printed as "config:line: key: message". */
#ifndef MTLS_LINT_TARGETS_H
#define MTLS_LINT_TARGETS_H

#include "cfg.h"

/* 0 when clean, else the number of findings. */
int lint_targets(const struct mtls_cfg *cfg);

#endif
