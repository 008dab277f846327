/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The floor a warm login is measured against: X509_verify_cert of the
 * presented leaf and intermediates against the anchors, each time with a
 * fresh context, and (parse) the leaf parsed from its PEM text each time,
 * as any login must.  Shared by bench_verify and bench_login, so that a
 * login and its floor can be timed in the same process. */
#ifndef MTLS_BENCH_FLOOR_H
#define MTLS_BENCH_FLOOR_H

#include <openssl/x509.h>

struct floor {
	X509_STORE *store;
	STACK_OF(X509) *chain;
	X509 *leaf;		/* parsed once, for the verify-only loop */
	char pem[65536];
	int len;
};

/* 0, or -1 when a file cannot be read. */
int floor_init(struct floor *f, const char *ca, const char *chain,
    const char *leaf);
/* n verifications; 0, or -1 when one fails. */
int floor_run(struct floor *f, long n, int parse);
void floor_free(struct floor *f);

/* Seconds since a, on CLOCK_MONOTONIC. */
double floor_since(const struct timespec *a);

#endif
