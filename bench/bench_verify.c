/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* bench_verify: the baselines for a warm login: X509_verify_cert on the
 * same leaf and intermediates against the same anchors, N times, each with
 * a fresh context.  With "parse", the leaf is also parsed from its PEM
 * text every time, as any login must (a certificate parsed once keeps
 * OpenSSL's per-certificate caches warm across iterations).
 * Prints verifications per second.
 *   bench_verify CA.pem CHAIN.pem LEAF.pem N [parse] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "floor.h"

int
main(int argc, char **argv)
{
	struct floor f;
	struct timespec a;
	long n;
	int parse;

	if ((argc != 5 && argc != 6) || (n = atol(argv[4])) <= 0)
		return 2;
	parse = argc == 6 && strcmp(argv[5], "parse") == 0;
	if (floor_init(&f, argv[1], argv[2], argv[3]) != 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (floor_run(&f, n, parse) != 0)
		return 1;
	printf("%.1f\n", (double)n / floor_since(&a));
	floor_free(&f);
	return 0;
}
