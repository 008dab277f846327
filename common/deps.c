/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The files a decision depends on, digested: the configuration's own list
 * (cfg->deps, kept at load) plus the account cache, which NSS and the
 * LDAP-down mapping read behind the configuration's back. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "cache_format.h"
#include "deps.h"
#include "util.h"

/* The path, then the fields that identify a version (never the raw struct:
 * its padding is not ours to hash). */
static int
add_file(EVP_MD_CTX *md, const char *path)
{
	struct mtls_file_id id;
	struct stat st;
	char absent = 0;

	if (!EVP_DigestUpdate(md, path, strlen(path) + 1))
		return -1;
	if (stat(path, &st) != 0)
		return EVP_DigestUpdate(md, &absent, 1) ? 0 : -1;
	mtls_file_id_set(&id, &st);
	return EVP_DigestUpdate(md, "+", 1) &&
	    EVP_DigestUpdate(md, &id.dev, sizeof(id.dev)) &&
	    EVP_DigestUpdate(md, &id.ino, sizeof(id.ino)) &&
	    EVP_DigestUpdate(md, &id.size, sizeof(id.size)) &&
	    EVP_DigestUpdate(md, &id.mtime.tv_sec, sizeof(id.mtime.tv_sec)) &&
	    EVP_DigestUpdate(md, &id.mtime.tv_nsec,
	    sizeof(id.mtime.tv_nsec)) ? 0 : -1;
}

static int
add_cache(EVP_MD_CTX *md, const char *dir)
{
	char path[4096];

	mtls_fmt(path, sizeof(path), "%s/%s", dir, MTLS_CACHE_FILE);
	return add_file(md, path);
}

static int
seen_dir(const struct mtls_cfg *cfg, size_t upto, const char *dir)
{
	size_t j;

	for (j = 0; j < upto; j++) {
		const char *d = j == 0 ? cfg->global.cache_dir :
		    cfg->profiles[j - 1].cache_dir;

		if (d != NULL && strcmp(d, dir) == 0)
			return 1;
	}
	return 0;
}

/* Each policy's cache_dir once (profiles usually inherit the global one),
 * and the directory libnss_mtls is built to read (usually the same). */
static int
add_caches(EVP_MD_CTX *md, const struct mtls_cfg *cfg)
{
	const char *dir;
	size_t i;

	for (i = 0; i <= cfg->n_profiles; i++) {
		dir = i == 0 ? cfg->global.cache_dir :
		    cfg->profiles[i - 1].cache_dir;
		if (dir != NULL && !seen_dir(cfg, i, dir) &&
		    add_cache(md, dir) != 0)
			return -1;
	}
	if (seen_dir(cfg, cfg->n_profiles + 1, MTLS_CACHE_DIR))
		return 0;
	return add_cache(md, MTLS_CACHE_DIR);
}

static int
digest(const struct mtls_cfg *cfg, int with_cfg_files,
    unsigned char out[MTLS_DEPS_LEN])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int len = 0;
	size_t i;
	int rc = -1;

	memset(out, 0, MTLS_DEPS_LEN);
	if (md == NULL || cfg->deps.failed ||
	    !EVP_DigestInit_ex(md, EVP_sha256(), NULL))
		goto out;
	for (i = 0; with_cfg_files && i < cfg->deps.n; i++)
		if (add_file(md, cfg->deps.v[i].path) != 0)
			goto out;
	if (add_caches(md, cfg) == 0 && EVP_DigestFinal_ex(md, out, &len) &&
	    len == MTLS_DEPS_LEN)
		rc = 0;
out:
	EVP_MD_CTX_free(md);
	return rc;
}

int
mtls_deps_fingerprint(const struct mtls_cfg *cfg,
    unsigned char out[MTLS_DEPS_LEN])
{
	return digest(cfg, 1, out);
}

int
mtls_deps_cache_fingerprint(const struct mtls_cfg *cfg,
    unsigned char out[MTLS_DEPS_LEN])
{
	return digest(cfg, 0, out);
}
