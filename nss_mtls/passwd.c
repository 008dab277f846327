/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* passwd map: getpwnam_r, getpwuid_r and enumeration from the cache. */
#include "config.h"

#include <pwd.h>

#include "nss_common.h"

/* The one decoder for every passwd call. */
static int
fill_passwd(const struct mtls_cache *c, uint32_t i, void *result,
    char *buffer, size_t buflen)
{
	const struct mtls_cache_user *u = &c->users[i];
	struct passwd *pw = result;
	struct nss_buf b = { buffer, buflen };
	const char *name = mtls_cache_str(c, u->name);
	const char *gecos = mtls_cache_str(c, u->gecos);
	const char *dir = mtls_cache_str(c, u->dir);
	const char *shell = mtls_cache_str(c, u->shell);

	if (name == NULL || gecos == NULL || dir == NULL || shell == NULL ||
	    nss_forbidden(name, u->uid) || nss_forbidden(NULL, u->gid))
		return EINVAL;
	if ((pw->pw_name = nss_put_str(&b, name)) == NULL ||
	    (pw->pw_passwd = nss_put_str(&b, "x")) == NULL ||
	    (pw->pw_gecos = nss_put_str(&b, gecos)) == NULL ||
	    (pw->pw_dir = nss_put_str(&b, dir)) == NULL ||
	    (pw->pw_shell = nss_put_str(&b, shell)) == NULL)
		return ERANGE;
	pw->pw_uid = u->uid;
	pw->pw_gid = u->gid;
	return 0;
}

static long
by_name(const struct mtls_cache *c, const void *key)
{
	const struct mtls_cache_user *u = mtls_cache_user_by_name(c, key);

	return u ? u - c->users : -1;
}

static long
by_uid(const struct mtls_cache *c, const void *key)
{
	const struct mtls_cache_user *u = mtls_cache_user_by_uid(c,
	    *(const uint32_t *)key);

	return u ? u - c->users : -1;
}

static uint32_t
n_users(const struct mtls_cache *c)
{
	return c->h->n_users;
}

NSS_EXPORT enum nss_status
_nss_mtls_getpwnam_r(const char *name, struct passwd *pw, char *buffer,
    size_t buflen, int *errnop)
{
	return nss_lookup(by_name, name, fill_passwd, pw, buffer, buflen,
	    errnop);
}

NSS_EXPORT enum nss_status
_nss_mtls_getpwuid_r(uid_t uid, struct passwd *pw, char *buffer,
    size_t buflen, int *errnop)
{
	uint32_t key = (uint32_t)uid;

	return nss_lookup(by_uid, &key, fill_passwd, pw, buffer, buflen,
	    errnop);
}

static __thread struct nss_enum pwent;

NSS_EXPORT enum nss_status
_nss_mtls_setpwent(int stayopen)
{
	(void)stayopen;
	return nss_enum_set(&pwent);
}

NSS_EXPORT enum nss_status
_nss_mtls_endpwent(void)
{
	return nss_enum_end(&pwent);
}

NSS_EXPORT enum nss_status
_nss_mtls_getpwent_r(struct passwd *pw, char *buffer, size_t buflen,
    int *errnop)
{
	return nss_enum_get(&pwent, n_users, fill_passwd, pw, buffer, buflen,
	    errnop);
}
