/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Loaded configurations shared across the logins of one process.  A load
 * costs half a warm login (parsing the CA bundle); the file versions it
 * read decide whether it is still valid. */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "cfg.h"

#define SLOTS 8

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mtls_cfg *slots[SLOTS];

/* The slot for path: the one holding it, else a free one, else the first
 * (its configuration is simply loaded again when next asked for). */
static int
slot_for(const char *path)
{
	int i, free_slot = -1;

	for (i = 0; i < SLOTS; i++) {
		if (slots[i] != NULL && strcmp(slots[i]->path, path) == 0)
			return i;
		if (slots[i] == NULL && free_slot < 0)
			free_slot = i;
	}
	return free_slot >= 0 ? free_slot : 0;
}

/* Drops the cache's reference; the last holder frees. */
static void
unref_locked(struct mtls_cfg **slot, struct mtls_cfg **to_free)
{
	if (*slot != NULL && --(*slot)->refs == 0)
		*to_free = *slot;
	*slot = NULL;
}

struct mtls_cfg *
mtls_cfg_acquire(const char *path, char *err, size_t errsz)
{
	struct mtls_cfg *c = NULL, *stale = NULL;
	int i;

	pthread_mutex_lock(&cache_lock);
	i = slot_for(path);
	if (slots[i] != NULL && strcmp(slots[i]->path, path) == 0) {
		if (mtls_file_ids_unchanged(&slots[i]->deps)) {
			c = slots[i];
			c->refs++;
		} else
			unref_locked(&slots[i], &stale);
	}
	pthread_mutex_unlock(&cache_lock);
	if (stale != NULL)
		mtls_cfg_free(stale);
	if (c != NULL)
		return c;
	/* Load outside the lock: other logins go on meanwhile. */
	if ((c = mtls_cfg_load(path, err, errsz)) == NULL)
		return NULL;
	c->refs = 1;
	stale = NULL;
	pthread_mutex_lock(&cache_lock);
	i = slot_for(path);
	unref_locked(&slots[i], &stale);
	slots[i] = c;
	c->refs++;
	pthread_mutex_unlock(&cache_lock);
	if (stale != NULL)
		mtls_cfg_free(stale);
	return c;
}

void
mtls_cfg_release(struct mtls_cfg *c)
{
	int last;

	if (c == NULL)
		return;
	pthread_mutex_lock(&cache_lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&cache_lock);
	if (last)
		mtls_cfg_free(c);
}
