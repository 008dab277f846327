/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/*
 * lookup = ldap in the core: the filter is expanded here (RFC 4515
 * escaping, ldap_filter.c), the search runs in the LDAP module, opened on
 * first use (see ldap_mod.h for why).
 *
 * Process-wide state, the one exception to "no global mutable state":
 * the module's table once it is loaded, set under a mutex and never
 * changed after.  The module is never closed: a handle of a running
 * decision may point into it, and pam_mtls.so itself stays loaded
 * (nodelete).  A module that cannot be loaded is not remembered: the next
 * LDAP rule tries again (a long-running frontend recovers once the
 * package is fixed), and each failure is a refusal naming the path.
 */
#include "config.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ldap_filter.h"
#include "ldap_mod.h"
#include "safe_file.h"
#include "util.h"

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct mtls_ldap_ops *loaded;

const char *
mtls_ldap_module_path(void)
{
	const char *env = secure_getenv("MTLS_LDAP_MODULE");

	return env != NULL && env[0] != '\0' ? env : MTLS_LDAP_MODULE;
}

/* The table, if it comes from this very build. */
static const struct mtls_ldap_ops *
check_ops(const struct mtls_ldap_ops *o, const char *path, char *err,
    size_t errsz)
{
	if (o == NULL || o->package_version == NULL ||
	    strcmp(o->package_version, PACKAGE_VERSION) != 0 ||
	    o->policy_size != sizeof(struct mtls_policy) ||
	    o->map_size != sizeof(struct mtls_map) ||
	    o->accounts_size != sizeof(struct mtls_accounts) ||
	    o->search == NULL || o->release == NULL) {
		mtls_fmt(err, errsz, "LDAP module %s: not from this build of "
		    "pam_mtls %s", path, PACKAGE_VERSION);
		return NULL;
	}
	return o;
}

static const struct mtls_ldap_ops *
load(char *err, size_t errsz)
{
	const char *path = mtls_ldap_module_path();
	const struct mtls_ldap_ops *o;
	char real[PATH_MAX], why[768];
	mtls_ldap_entry_fn *entry;
	struct stat st;
	void *h;

	/* Code we run as root: the same trust as the configuration (root-
	 * or our-owned, no one else can write it or a directory above). */
	if (mtls_safe_path(path, MTLS_SAFE_FILE, real, sizeof(real), &st,
	    why, sizeof(why)) != 0) {
		mtls_fmt(err, errsz, "LDAP module %s: %s", path, why);
		return NULL;
	}
	/* RTLD_LOCAL: libldap's symbols stay out of the process's scope. */
	if ((h = dlopen(real, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		mtls_fmt(err, errsz, "LDAP module %s: %s", path, dlerror());
		return NULL;
	}
	*(void **)&entry = dlvsym(h, MTLS_LDAP_ENTRY, MTLS_LDAP_VERSION);
	if (entry == NULL) {
		mtls_fmt(err, errsz, "LDAP module %s: no %s@%s", path,
		    MTLS_LDAP_ENTRY, MTLS_LDAP_VERSION);
		dlclose(h);
		return NULL;
	}
	if ((o = check_ops(entry(), path, err, errsz)) == NULL)
		dlclose(h);
	return o;
}

const struct mtls_ldap_ops *
mtls_ldap_ops(char *err, size_t errsz)
{
	const struct mtls_ldap_ops *o;

	if (pthread_mutex_lock(&load_lock) != 0) {
		mtls_fmt(err, errsz, "LDAP module: cannot take the load lock");
		return NULL;
	}
	if (loaded == NULL)
		loaded = load(err, errsz);
	o = loaded;
	pthread_mutex_unlock(&load_lock);
	return o;
}

int
mtls_ldap_lookup(const struct mtls_policy *p, const struct mtls_map *m,
    X509 *leaf, const char *key, void **handle, struct mtls_accounts *a,
    char *err, size_t errsz)
{
	const struct mtls_ldap_ops *o;
	char filter[8192];

	if (mtls_ldap_expand(m->ldap_filter, leaf, key, filter,
	    sizeof(filter)) != 0)
		return 0;	/* a value the filter needs is absent */
	if ((o = mtls_ldap_ops(err, errsz)) == NULL)
		return -1;	/* as a directory that does not answer */
	return o->search(p, m, filter, mtls_ldap_template_is_cert(
	    m->ldap_filter), leaf, handle, a, err, errsz);
}

void
mtls_ldap_release(void *ld)
{
	const struct mtls_ldap_ops *o;
	char err[1024];

	/* A handle exists only once the module is loaded. */
	if (ld != NULL && (o = mtls_ldap_ops(err, sizeof(err))) != NULL)
		o->release(ld);
}
