/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "pin.h"

/* More objects than a PAM stack maps; the rest stay unpinned, which only
 * costs time. */
#define PIN_MAX 256

struct pin_list {
	unsigned long long adds;
	size_t n;
	char *names[PIN_MAX];
};

/* The loader's counter only (the first object is enough). */
static int
adds_of(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	*(unsigned long long *)arg = info->dlpi_adds;
	return 1;
}

/* Copies the names: dlopen is not called under dl_iterate_phdr's lock. */
static int
collect(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct pin_list *l = arg;

	(void)size;
	l->adds = info->dlpi_adds;
	if (info->dlpi_name == NULL || info->dlpi_name[0] != '/' ||
	    l->n == PIN_MAX)
		return 0;
	if ((l->names[l->n] = strdup(info->dlpi_name)) != NULL)
		l->n++;
	return 0;
}

static void
pin_locked(struct pin_state *st)
{
	struct pin_list l;
	unsigned long long adds = 0;
	void *h;
	size_t i;

	dl_iterate_phdr(adds_of, &adds);
	if (adds == st->adds)
		return;
	memset(&l, 0, sizeof(l));
	dl_iterate_phdr(collect, &l);
	for (i = 0; i < l.n; i++) {
		/* RTLD_NOLOAD: only objects already mapped, none opened. */
		h = dlopen(l.names[i], RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
		if (h != NULL)
			dlclose(h);
		free(l.names[i]);
	}
	st->adds = l.adds;
}

void
pin_loaded(struct pin_state *st)
{
	if (pthread_mutex_lock(&st->lock) != 0)
		return;		/* unpinned only costs time */
	pin_locked(st);
	pthread_mutex_unlock(&st->lock);
}
