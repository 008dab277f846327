/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include "crl_warn.h"

/* More CRL files than this (crl_dir holds at most 256) only means some
 * warnings come more often than the limit says, never less. */
#define WARN_SLOTS 64

struct warned {
	unsigned char path[32];		/* SHA-256 of the path */
	time_t at;
};

static pthread_mutex_t warn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct warned warned[WARN_SLOTS];

int
mtls_crl_warn_due(const char *path, time_t now)
{
	unsigned char h[32];
	unsigned int len = 0;
	int i, slot = 0, due = 1;

	if (!EVP_Digest(path, strlen(path), h, &len, EVP_sha256(), NULL))
		return 1;
	pthread_mutex_lock(&warn_lock);
	for (i = 0; i < WARN_SLOTS; i++) {
		if (memcmp(warned[i].path, h, 32) == 0) {
			slot = i;
			due = now - warned[i].at >= MTLS_CRL_WARN_EVERY ||
			    now < warned[i].at;
			break;
		}
		if (warned[i].at < warned[slot].at)
			slot = i;	/* the oldest, for a new path */
	}
	if (due) {
		memcpy(warned[slot].path, h, 32);
		warned[slot].at = now;
	}
	pthread_mutex_unlock(&warn_lock);
	return due;
}
