/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls_pam_login with a decision cache in front, for a long-running PAM
 * application answering the same certificate again and again (the FastCGI
 * responder: nginx asks for every request of a kept-alive connection). */
#ifndef MTLS_TOOLS_CACHED_LOGIN_H
#define MTLS_TOOLS_CACHED_LOGIN_H

#include "decision_cache.h"
#include "pam_noconv.h"

#define CACHED_LOGIN_ENTRIES 1024

struct cached_login;

/* For PAM service service (kept by reference); ttl seconds, 0 for no
 * cache (every request a full transaction).  NULL when out of memory. */
struct cached_login *cached_login_new(const char *service, long ttl);
void cached_login_free(struct cached_login *cl);

/* The answer for the request whose certificate, chain and client address
 * hash to key: a kept accept whose files are all unchanged (*hit = 1,
 * out->rc PAM_SUCCESS, age in *age_ms), else a full transaction as
 * mtls_pam_login, whose accept is kept when no file it depends on changed
 * while it ran. */
void cached_login(struct cached_login *cl, const unsigned char *key,
    const struct pam_conv *conv, mtls_login_fill *fill, void *arg,
    struct mtls_login *out, int *hit, long *age_ms);

/* SHA-256 over the parts (each with its length, so no two splits of the
 * same bytes collide); NULL parts count as empty.  -1 on failure. */
int cached_login_key(const char *const *parts, size_t n,
    unsigned char *key);

#endif
