/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* glibc's regcomp spells out repetitions: "x+" becomes "x x*", "x{3,5}"
 * five copies of x, and a copy of a copy when they nest, so "a++++..." or
 * "((a+)+)+..." or "(a{99}){99}" take gigabytes and minutes in every
 * process that loads the config (found by fuzz_config).  This estimates
 * the size of the expanded pattern, conservatively, before regcomp runs.
 * Stacked repetitions ("a**", "a+*"), undefined in POSIX EREs, are
 * refused outright: 60 stars took regcomp 10 s.  Syntax errors are left
 * to regcomp. */
#include "config.h"

#include <stdlib.h>

#include "regex_cost.h"

#define DEPTH_MAX 32

/* Past a bracket expression starting at p ('['); "[]a]" and "[^]a]"
 * hold a literal ']'. */
static const char *
skip_bracket(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p != '\0' && *p != ']') {
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' ||
		    p[1] == '=')) {
			char close = p[1];

			for (p += 2; *p != '\0' && !(p[0] == close &&
			    p[1] == ']'); p++)
				continue;
			if (*p != '\0')
				p++;
		}
		if (*p != '\0')
			p++;
	}
	return *p == ']' ? p : p - 1;
}

/* The largest count in "{n}", "{n,}" or "{n,m}" at p, plus one for an
 * open bound; *end set to its '}'.  0 when it is not a bound. */
static unsigned long
bound_copies(const char *p, const char **end)
{
	unsigned long n, m;
	char *q;

	n = strtoul(p + 1, &q, 10);
	if (q == p + 1 || n > 100000)
		return 0;
	m = n;
	if (*q == ',') {
		if (q[1] == '}')
			m = n + 1;
		else if ((m = strtoul(q + 1, &q, 10)) > 100000)
			return 0;
	}
	if (*q != '}')
		return 0;
	*end = q;
	return (m > n ? m : n) + 1;
}

int
mtls_regex_cost_ok(const char *re)
{
	unsigned long sum[DEPTH_MAX], last = 0, k;
	const char *p, *end;
	int d = 0, repeated = 0;	/* the last token was a repetition */

	sum[0] = 0;
	for (p = re; *p != '\0'; p++) {
		k = 0;
		if (repeated && (*p == '*' || *p == '?' || *p == '+' ||
		    (*p == '{' && bound_copies(p, &end) != 0)))
			return -1;
		repeated = 0;
		switch (*p) {
		case '(':
			if (++d >= DEPTH_MAX)
				return -1;
			sum[d] = 0;
			last = 0;
			continue;
		case ')':
			if (d == 0)
				break;
			last = sum[d--] + 1;
			sum[d] += last;
			continue;
		case '*':
		case '?':
			repeated = 1;
			continue;
		case '+':
			k = 2;		/* x+ is x x* */
			break;
		case '{':
			if ((k = bound_copies(p, &end)) == 0)
				break;
			p = end;
			break;
		case '[':
			p = skip_bracket(p);
			break;
		case '\\':
			if (p[1] != '\0')
				p++;
			break;
		default:
			break;
		}
		if (k == 0) {		/* an atom */
			last = 1;
			sum[d] += 1;
		} else {		/* a repetition of the last atom */
			sum[d] += last * (k - 1);
			last *= k;
			repeated = 1;
		}
		if (sum[d] > MTLS_REGEX_COST_MAX || last > MTLS_REGEX_COST_MAX)
			return -1;
	}
	return sum[0] <= MTLS_REGEX_COST_MAX ? 0 : -1;
}
