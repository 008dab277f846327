/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Which versions of its files a decision read.  Hashing stat(2) results,
 * not contents: a hit costs a few microseconds per file.  The change time
 * is in the record because nobody can set it: a file rewritten within the
 * same mtime tick with the same size (or with its mtime forged back) still
 * changes it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "deps.h"
#include "util.h"

#include "cache_format.h"

/* Far above any crl_dir revocation.c accepts: a bound, not a policy. */
#define DIR_ENTRIES_MAX 100000

/* What a stat says, in a fixed layout (no padding bytes hashed). */
struct rec {
	int64_t err, dev, ino, size, mtime_s, mtime_ns, ctime_s, ctime_ns;
	int64_t mode, uid, gid;
};

static int
add_path(EVP_MD_CTX *md, const char *path)
{
	struct stat st;
	struct rec r;

	memset(&r, 0, sizeof(r));
	if (stat(path, &st) != 0)
		r.err = errno;	/* absent is a state too: created = changed */
	else {
		r.dev = (int64_t)st.st_dev;
		r.ino = (int64_t)st.st_ino;
		r.size = (int64_t)st.st_size;
		r.mtime_s = (int64_t)st.st_mtim.tv_sec;
		r.mtime_ns = (int64_t)st.st_mtim.tv_nsec;
		r.ctime_s = (int64_t)st.st_ctim.tv_sec;
		r.ctime_ns = (int64_t)st.st_ctim.tv_nsec;
		r.mode = (int64_t)st.st_mode;
		r.uid = (int64_t)st.st_uid;
		r.gid = (int64_t)st.st_gid;
	}
	/* The path with its NUL: "a" + "bc" never hashes like "ab" + "c". */
	return EVP_DigestUpdate(md, path, strlen(path) + 1) == 1 &&
	    EVP_DigestUpdate(md, &r, sizeof(r)) == 1 ? 0 : -1;
}

/* The directory and every entry in it: a CRL replaced in place changes
 * the entry, one renamed over it changes both. */
static int
add_dir(EVP_MD_CTX *md, const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int rc = 0;

	if (add_path(md, dir) != 0)
		return -1;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (++n > DIR_ENTRIES_MAX)
			rc = -1;
		else {
			mtls_fmt(path, sizeof(path), "%s/%s", dir, de->d_name);
			rc = add_path(md, path);
		}
	}
	closedir(d);
	return rc;
}

static int
add_policy(EVP_MD_CTX *md, const struct mtls_policy *p)
{
	char path[PATH_MAX];

	if (p->crl_file != NULL && add_path(md, p->crl_file) != 0)
		return -1;
	if (p->crl_dir != NULL && add_dir(md, p->crl_dir) != 0)
		return -1;
	if (p->cache_dir != NULL) {
		mtls_fmt(path, sizeof(path), "%s/%s", p->cache_dir,
		    MTLS_CACHE_FILE);
		if (add_path(md, path) != 0)
			return -1;
	}
	return 0;
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

static int
add_cache(EVP_MD_CTX *md, const char *dir)
{
	char path[PATH_MAX];

	mtls_fmt(path, sizeof(path), "%s/%s", dir, MTLS_CACHE_FILE);
	return add_path(md, path);
}

/* Each policy's cache_dir once (profiles usually inherit the global one),
 * and the directory libnss_mtls is built to read (usually the same): NSS
 * and the LDAP-down mapping read it behind the configuration's back. */
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

int
mtls_deps_cache_fingerprint(const struct mtls_cfg *cfg,
    unsigned char out[MTLS_DEPS_LEN])
{
	EVP_MD_CTX *md;
	unsigned int len = 0;
	int rc = -1;

	memset(out, 0, MTLS_DEPS_LEN);
	if (cfg->deps.failed || (md = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    add_caches(md, cfg) == 0 &&
	    EVP_DigestFinal_ex(md, out, &len) == 1 && len == MTLS_DEPS_LEN)
		rc = 0;
	EVP_MD_CTX_free(md);
	return rc;
}

int
mtls_deps_fingerprint(const struct mtls_cfg *cfg,
    const struct mtls_policy *p, const char *const *extra,
    unsigned char out[MTLS_DEPS_LEN])
{
	/* Where local accounts (lookup = local, and the account checks of
	 * other modules) come from. */
	static const char *const accounts[] = { "/etc/passwd", "/etc/group",
	    "/etc/shadow", "/etc/nsswitch.conf", NULL };
	EVP_MD_CTX *md;
	unsigned int len = 0;
	size_t i;
	int rc = -1;

	if (cfg->deps.failed || (md = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	for (i = 0; i < cfg->deps.n; i++)
		if (add_path(md, cfg->deps.v[i].path) != 0)
			goto out;
	if (add_policy(md, p) != 0 || add_caches(md, cfg) != 0)
		goto out;
	for (i = 0; accounts[i] != NULL; i++)
		if (add_path(md, accounts[i]) != 0)
			goto out;
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		if (add_path(md, extra[i]) != 0)
			goto out;
	if (EVP_DigestFinal_ex(md, out, &len) == 1 && len == MTLS_DEPS_LEN)
		rc = 0;
out:
	EVP_MD_CTX_free(md);
	return rc;
}
