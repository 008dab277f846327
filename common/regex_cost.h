/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* A bound on what regcomp(3) will build for a pattern from the config. */
#ifndef MTLS_REGEX_COST_H
#define MTLS_REGEX_COST_H

#define MTLS_REGEX_COST_MAX 4096	/* elements once repetitions expand */

/* 0 when re stays within MTLS_REGEX_COST_MAX, -1 when not. */
int mtls_regex_cost_ok(const char *re);

#endif
