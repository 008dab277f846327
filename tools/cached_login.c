/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* When a kept decision may stand in for a PAM transaction.  The decision
 * ran inside pam_mtls.so; on success the module names the configuration
 * and profile it used (MTLS_CONFIG, MTLS_PROFILE), and this process loads
 * the same configuration through its own libmtls to list every file such
 * a decision reads.  Their fingerprint is taken before and after the
 * transaction: only when both agree did the transaction read exactly the
 * versions the fingerprint names, so only then is the accept kept.  The
 * "before" uses the configuration the last accept named -- the first
 * accept after start teaches it and is not kept. */
#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cached_login.h"
#include "cfg.h"
#include "decision.h"
#include "deps.h"
#include "util.h"

struct cached_login {
	const char *service;
	struct dcache *cache;
	char pam_files[4][PATH_MAX];	/* the service's PAM stack */
	pthread_mutex_t lock;		/* guards last_* */
	char last_config[1024];
	char last_profile[64];
};

struct cached_login *
cached_login_new(const char *service, long ttl)
{
	struct cached_login *cl;

	if (ttl <= 0 || (cl = calloc(1, sizeof(*cl))) == NULL)
		return NULL;
	cl->service = service;
	/* Files added, removed or renamed in /etc/pam.d change the
	 * directory; the service's own file is the one usually edited. */
	mtls_strlcpy(cl->pam_files[0], "/etc/pam.d", PATH_MAX);
	mtls_fmt(cl->pam_files[1], PATH_MAX, "/etc/pam.d/%s", service);
	mtls_fmt(cl->pam_files[2], PATH_MAX, "/usr/lib/pam.d/%s", service);
	mtls_strlcpy(cl->pam_files[3], "/etc/pam.d/other", PATH_MAX);
	if ((cl->cache = dcache_new(CACHED_LOGIN_ENTRIES, ttl)) == NULL ||
	    pthread_mutex_init(&cl->lock, NULL) != 0) {
		dcache_free(cl->cache);
		free(cl);
		return NULL;
	}
	return cl;
}

void
cached_login_free(struct cached_login *cl)
{
	if (cl == NULL)
		return;
	dcache_free(cl->cache);
	pthread_mutex_destroy(&cl->lock);
	free(cl);
}

int
cached_login_key(const char *const *parts, size_t n, unsigned char *key)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int len = 0;
	uint64_t l;
	size_t i;
	int ok = md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL);

	for (i = 0; ok && i < n; i++) {
		l = parts[i] != NULL ? strlen(parts[i]) : 0;
		ok = EVP_DigestUpdate(md, &l, sizeof(l)) &&
		    (l == 0 || EVP_DigestUpdate(md, parts[i], l));
	}
	ok = ok && EVP_DigestFinal_ex(md, key, &len) && len == DCACHE_KEY_LEN;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

/* The fingerprint of what a decision under config and profile reads,
 * the PAM stack included.  -1 when the configuration does not load. */
static int
fingerprint(const struct cached_login *cl, const char *config,
    const char *profile, unsigned char *out)
{
	const char *extra[] = { cl->pam_files[0], cl->pam_files[1],
	    cl->pam_files[2], cl->pam_files[3], NULL };
	const struct mtls_policy *p;
	struct mtls_cfg *cfg;
	char err[512];
	int rc = -1;

	if (config[0] != '/' ||
	    (cfg = mtls_cfg_acquire(config, err, sizeof(err))) == NULL)
		return -1;
	p = mtls_request_policy(cfg, cl->service,
	    profile[0] != '\0' ? profile : NULL);
	if (p != NULL)
		rc = mtls_deps_fingerprint(cfg, p, extra, out);
	mtls_cfg_release(cfg);
	return rc;
}

/* A kept accept whose files are unchanged, into out. */
static int
try_hit(struct cached_login *cl, const unsigned char *key,
    struct mtls_login *out, long *age_ms)
{
	unsigned char now[DCACHE_DEPS_LEN];
	struct dcache_val v;

	if (!dcache_get(cl->cache, key, &v))
		return 0;
	if (fingerprint(cl, v.config, v.profile, now) != 0 ||
	    memcmp(now, v.deps, sizeof(now)) != 0) {
		dcache_drop(cl->cache, key);
		return 0;
	}
	memset(out, 0, sizeof(*out));
	out->rc = PAM_SUCCESS;
	mtls_strlcpy(out->user, v.user, sizeof(out->user));
	mtls_strlcpy(out->reason, v.reason, sizeof(out->reason));
	*age_ms = v.age_ms;
	return 1;
}

/* Keeps an accept when the fingerprint taken before the transaction (with
 * the configuration in before_cfg) is the one after it. */
static void
keep(struct cached_login *cl, const unsigned char *key,
    const struct mtls_login *out, const char *before_cfg,
    const char *before_prof, const unsigned char *before)
{
	struct dcache_val v;
	time_t not_after;

	if (out->config[0] == '\0' || before_cfg[0] == '\0' ||
	    strcmp(out->config, before_cfg) != 0 ||
	    strcmp(out->profile, before_prof) != 0 ||
	    mtls_parse_time(out->not_after, &not_after) != 0)
		return;
	memset(&v, 0, sizeof(v));
	if (fingerprint(cl, out->config, out->profile, v.deps) != 0 ||
	    memcmp(v.deps, before, DCACHE_DEPS_LEN) != 0)
		return;
	mtls_strlcpy(v.user, out->user, sizeof(v.user));
	mtls_strlcpy(v.reason, out->reason, sizeof(v.reason));
	mtls_strlcpy(v.config, out->config, sizeof(v.config));
	mtls_strlcpy(v.profile, out->profile, sizeof(v.profile));
	dcache_put(cl->cache, key, &v, not_after);
}

void
cached_login(struct cached_login *cl, const unsigned char *key,
    const struct pam_conv *conv, mtls_login_fill *fill, void *arg,
    struct mtls_login *out, int *hit, long *age_ms)
{
	unsigned char before[DCACHE_DEPS_LEN];
	char cfg[sizeof(cl->last_config)], prof[sizeof(cl->last_profile)];

	*hit = 0;
	*age_ms = 0;
	if (try_hit(cl, key, out, age_ms)) {
		*hit = 1;
		return;
	}
	pthread_mutex_lock(&cl->lock);
	memcpy(cfg, cl->last_config, sizeof(cfg));
	memcpy(prof, cl->last_profile, sizeof(prof));
	pthread_mutex_unlock(&cl->lock);
	if (cfg[0] != '\0' && fingerprint(cl, cfg, prof, before) != 0)
		cfg[0] = '\0';
	mtls_pam_login(cl->service, NULL, conv, fill, arg, MTLS_LOGIN_SETCRED,
	    out);
	if (out->rc != PAM_SUCCESS)
		return;		/* refusals are never kept */
	keep(cl, key, out, cfg, prof, before);
	pthread_mutex_lock(&cl->lock);
	mtls_strlcpy(cl->last_config, out->config, sizeof(cl->last_config));
	mtls_strlcpy(cl->last_profile, out->profile,
	    sizeof(cl->last_profile));
	pthread_mutex_unlock(&cl->lock);
}
