/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Accepted decisions kept for a short time, keyed by a hash of the request
 * (certificate, chain, client address): bounded in entries and in age, and
 * never past the leaf's notAfter.  Refusals are never kept. */
#ifndef MTLS_TOOLS_DECISION_CACHE_H
#define MTLS_TOOLS_DECISION_CACHE_H

#include <stddef.h>
#include <time.h>

#define DCACHE_KEY_LEN 32
#define DCACHE_DEPS_LEN 32
#define DCACHE_TTL_MAX 3600

/* What an accept came to, and what it was decided from. */
struct dcache_val {
	char user[256];
	char reason[64];
	char config[1024];		/* configuration and profile that */
	char profile[64];		/* decided, for the fingerprint */
	unsigned char deps[DCACHE_DEPS_LEN];	/* mtls_deps_fingerprint */
	long age_ms;			/* on a hit: how old the entry is */
};

struct dcache;

/* A cache of at most entries decisions (rounded up to a multiple of 4),
 * each kept at most ttl seconds; NULL when out of memory. */
struct dcache *dcache_new(size_t entries, long ttl);
void dcache_free(struct dcache *c);

/* 1 and *v filled when key holds a decision younger than the TTL and
 * before its notAfter; an older one is dropped.  0 otherwise. */
int dcache_get(struct dcache *c, const unsigned char *key,
    struct dcache_val *v);
/* Keeps v under key until the TTL or not_after (UTC), whichever is first;
 * evicts the oldest of the key's set when the set is full. */
void dcache_put(struct dcache *c, const unsigned char *key,
    const struct dcache_val *v, time_t not_after);
/* Forgets key (its files changed). */
void dcache_drop(struct dcache *c, const unsigned char *key);

#endif
