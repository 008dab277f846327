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
	int i, free_slot = -1, hit = -1;

	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < SLOTS; i++) {
		if (slots[i] != NULL && strcmp(slots[i]->path, path) == 0)
			hit = i;
		else if (slots[i] == NULL && free_slot < 0)
			free_slot = i;
	}
	if (hit >= 0 && mtls_file_ids_unchanged(&slots[hit]->deps)) {
		c = slots[hit];
		c->refs++;
	} else if (hit >= 0)
		unref_locked(&slots[hit], &stale);
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
	i = hit >= 0 ? hit : free_slot >= 0 ? free_slot : 0;
	if (slots[i] == NULL || strcmp(slots[i]->path, path) == 0 ||
	    hit < 0) {
		unref_locked(&slots[i], &stale);
		slots[i] = c;
		c->refs++;
	}
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
