/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The responder's decision cache: a fixed table, 4-way set associative
 * (the key is a SHA-256, so its first bytes spread evenly), one mutex.
 * Lookups cost a few comparisons whatever the size; nothing grows. */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decision_cache.h"

#define WAYS 4

struct entry {
	int used;
	unsigned char key[DCACHE_KEY_LEN];
	struct timespec born;		/* CLOCK_MONOTONIC */
	time_t not_after;		/* UTC */
	struct dcache_val v;
};

struct dcache {
	pthread_mutex_t lock;
	size_t nsets;
	long ttl;
	struct entry *e;		/* nsets * WAYS */
};

struct dcache *
dcache_new(size_t entries, long ttl)
{
	struct dcache *c;

	if (entries == 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->nsets = (entries + WAYS - 1) / WAYS;
	c->ttl = ttl;
	if ((c->e = calloc(c->nsets * WAYS, sizeof(*c->e))) == NULL ||
	    pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c->e);
		free(c);
		return NULL;
	}
	return c;
}

void
dcache_free(struct dcache *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->e);
	free(c);
}

static struct entry *
set_of(struct dcache *c, const unsigned char *key)
{
	uint64_t h;

	memcpy(&h, key, sizeof(h));
	return &c->e[(h % c->nsets) * WAYS];
}

static long
age_ms(const struct entry *e, const struct timespec *now)
{
	return (long)(now->tv_sec - e->born.tv_sec) * 1000 +
	    (now->tv_nsec - e->born.tv_nsec) / 1000000;
}

/* Within the TTL (a clock that went backwards counts as expired) and
 * before notAfter. */
static int
fresh(const struct dcache *c, const struct entry *e,
    const struct timespec *now)
{
	long age = age_ms(e, now);

	return age >= 0 && age < c->ttl * 1000 && time(NULL) < e->not_after;
}

int
dcache_get(struct dcache *c, const unsigned char *key, struct dcache_val *v)
{
	struct entry *s = set_of(c, key);
	struct timespec now;
	int i, hit = 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < WAYS; i++) {
		if (!s[i].used ||
		    memcmp(s[i].key, key, DCACHE_KEY_LEN) != 0)
			continue;
		if (fresh(c, &s[i], &now)) {
			*v = s[i].v;
			v->age_ms = age_ms(&s[i], &now);
			hit = 1;
		} else
			s[i].used = 0;
		break;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

/* The way to write key into: its own, a free one, else the oldest. */
static struct entry *
victim(struct entry *s, const unsigned char *key)
{
	struct entry *old = &s[0];
	int i;

	for (i = 0; i < WAYS; i++)
		if (s[i].used && memcmp(s[i].key, key, DCACHE_KEY_LEN) == 0)
			return &s[i];
	for (i = 0; i < WAYS; i++) {
		if (!s[i].used)
			return &s[i];
		if (s[i].born.tv_sec < old->born.tv_sec ||
		    (s[i].born.tv_sec == old->born.tv_sec &&
		    s[i].born.tv_nsec < old->born.tv_nsec))
			old = &s[i];
	}
	return old;
}

void
dcache_put(struct dcache *c, const unsigned char *key,
    const struct dcache_val *v, time_t not_after)
{
	struct entry *e;
	struct timespec now;

	if (c->ttl <= 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&c->lock);
	e = victim(set_of(c, key), key);
	memcpy(e->key, key, DCACHE_KEY_LEN);
	e->born = now;
	e->not_after = not_after;
	e->v = *v;
	e->used = 1;
	pthread_mutex_unlock(&c->lock);
}

void
dcache_drop(struct dcache *c, const unsigned char *key)
{
	struct entry *s = set_of(c, key);
	int i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < WAYS; i++)
		if (s[i].used && memcmp(s[i].key, key, DCACHE_KEY_LEN) == 0)
			s[i].used = 0;
	pthread_mutex_unlock(&c->lock);
}
