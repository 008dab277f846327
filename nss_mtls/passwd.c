/* passwd map: getpwnam_r, getpwuid_r and enumeration from the cache. */
#include "config.h"

#include <pwd.h>

#include "nss_common.h"

/* The one decoder for every passwd call. */
static int
fill_passwd(const struct mtls_cache *c, const struct mtls_cache_user *u,
    struct passwd *pw, char *buffer, size_t buflen)
{
	struct nss_buf b = { buffer, buflen };
	const char *name = mtls_cache_str(c, u->name);
	const char *gecos = mtls_cache_str(c, u->gecos);
	const char *dir = mtls_cache_str(c, u->dir);
	const char *shell = mtls_cache_str(c, u->shell);

	if (name == NULL || gecos == NULL || dir == NULL || shell == NULL)
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

NSS_EXPORT enum nss_status
_nss_mtls_getpwnam_r(const char *name, struct passwd *pw, char *buffer,
    size_t buflen, int *errnop)
{
	const struct mtls_cache_user *u;
	struct mtls_cache c;
	enum nss_status st;

	if ((st = nss_open(&c, errnop)) != NSS_STATUS_SUCCESS)
		return st;
	u = mtls_cache_user_by_name(&c, name);
	st = u ? nss_result(fill_passwd(&c, u, pw, buffer, buflen), errnop) :
	    nss_notfound(errnop);
	mtls_cache_close(&c);
	return st;
}

NSS_EXPORT enum nss_status
_nss_mtls_getpwuid_r(uid_t uid, struct passwd *pw, char *buffer,
    size_t buflen, int *errnop)
{
	const struct mtls_cache_user *u;
	struct mtls_cache c;
	enum nss_status st;

	if ((st = nss_open(&c, errnop)) != NSS_STATUS_SUCCESS)
		return st;
	u = mtls_cache_user_by_uid(&c, (uint32_t)uid);
	st = u ? nss_result(fill_passwd(&c, u, pw, buffer, buflen), errnop) :
	    nss_notfound(errnop);
	mtls_cache_close(&c);
	return st;
}

/* Enumeration state is per thread, as in nss-pam-ldapd: the cache view
 * opened by setpwent stays until endpwent, so a sync in between does not
 * mix two files in one listing. */
static __thread struct {
	struct mtls_cache c;
	uint32_t next;
	int open;
} pwent;

NSS_EXPORT enum nss_status
_nss_mtls_setpwent(int stayopen)
{
	int err;

	(void)stayopen;
	if (pwent.open)
		mtls_cache_close(&pwent.c);
	pwent.next = 0;
	pwent.open = nss_open(&pwent.c, &err) == NSS_STATUS_SUCCESS;
	return pwent.open ? NSS_STATUS_SUCCESS : NSS_STATUS_UNAVAIL;
}

NSS_EXPORT enum nss_status
_nss_mtls_endpwent(void)
{
	if (pwent.open)
		mtls_cache_close(&pwent.c);
	pwent.open = 0;
	return NSS_STATUS_SUCCESS;
}

NSS_EXPORT enum nss_status
_nss_mtls_getpwent_r(struct passwd *pw, char *buffer, size_t buflen,
    int *errnop)
{
	int rc;

	if (!pwent.open && _nss_mtls_setpwent(0) != NSS_STATUS_SUCCESS) {
		*errnop = ENOENT;
		return NSS_STATUS_UNAVAIL;
	}
	while (pwent.next < pwent.c.h->n_users) {
		rc = fill_passwd(&pwent.c, &pwent.c.users[pwent.next], pw,
		    buffer, buflen);
		if (rc == ERANGE)
			return nss_result(rc, errnop);	/* retry same entry */
		pwent.next++;
		if (rc == 0)
			return NSS_STATUS_SUCCESS;
	}
	return nss_notfound(errnop);
}
