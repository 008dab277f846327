/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* lookup = ldap when the directory is down: the certificate index of the
 * cache mtls-sync wrote, for the rules it can answer.  No libldap here
 * (the search itself is in the LDAP module, ldap_search.c). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ldap.h>	/* LDAP_SCOPE_SUBTREE */

#include "cache_read.h"
#include "identity.h"
#include "map.h"
#include "safe_file.h"
#include "util.h"

/* One certificate key of the cache: the user with the uid the cache gave
 * it.  An empty user is mtls-sync's mark for a certificate held by several
 * entries (or an entry with several names): ambiguous, as online. */
static void
cache_cert_add(const struct mtls_cache *c, const char *key,
    struct mtls_accounts *a)
{
	const struct mtls_cache_user *u;
	const char *user = mtls_cache_cert_user(c, key);

	if (user == NULL)
		return;
	if (user[0] == '\0') {
		mtls_accounts_add(a, "(several directory entries)");
		mtls_accounts_add(a, "(hold this certificate)");
		return;
	}
	u = mtls_cache_user_by_name(c, user);
	mtls_accounts_add_uid(a, user, u != NULL ? (long)u->uid :
	    MTLS_UID_INVALID);
}

/* A filter clause (ATTR={cert}) or (ATTR={cert_assertion}), nothing else. */
static int
cert_clause(const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	size_t rest;

	if (n < 3 || s[0] != '(' || s[n - 1] != ')' || eq == NULL ||
	    memchr(s + 1, '(', n - 1) != NULL)
		return 0;
	rest = n - 1 - (size_t)(eq + 1 - s);
	return (rest == 6 && strncmp(eq + 1, "{cert}", 6) == 0) ||
	    (rest == 16 && strncmp(eq + 1, "{cert_assertion}", 16) == 0);
}

int
mtls_cache_answers_rule(const struct mtls_policy *p, const struct mtls_map *m,
    char *why, size_t whysz)
{
	const char *f = m->ldap_filter, *sf = p->sync_user_filter;
	const char *rb = m->ldap_base ? m->ldap_base : p->ldap_base;
	const char *sb = p->sync_user_base ? p->sync_user_base : p->ldap_base;
	size_t n = strlen(f), sn = strlen(sf);
	int ok = 0;

	/* (&SYNC(cert clause)) or (&(cert clause)SYNC) */
	if (n > sn + 3 && strncmp(f, "(&", 2) == 0 && f[n - 1] == ')')
		ok = (strncmp(f + 2, sf, sn) == 0 &&
		    cert_clause(f + 2 + sn, n - 3 - sn)) ||
		    (strncmp(f + n - 1 - sn, sf, sn) == 0 &&
		    cert_clause(f + 2, n - 3 - sn));
	if (!ok) {
		mtls_fmt(why, whysz, "rule %s cannot be answered offline: the "
		    "cache holds only what sync_user_filter %s selects, and "
		    "the rule's filter is not (&%s(ATTR={cert_assertion}))",
		    m->name, sf, sf);
		return -1;
	}
	if (rb == NULL || sb == NULL || strcmp(rb, sb) != 0 ||
	    m->ldap_scope != LDAP_SCOPE_SUBTREE ||
	    strcmp(m->ldap_user_attr, "uid") != 0) {
		mtls_fmt(why, whysz, "rule %s cannot be answered offline: its "
		    "base, scope or ldap_user_attr differs from what mtls-sync "
		    "reads", m->name);
		return -1;
	}
	return 0;
}

int
mtls_cache_cert_lookup(const struct mtls_policy *p, X509 *leaf,
    struct mtls_accounts *a, char *err, size_t errsz)
{
	char path[4200], real[PATH_MAX], hex[65], serial[128], issuer[1024];
	char key[1300];
	struct mtls_cache c;
	struct stat st;

	mtls_fmt(path, sizeof(path), "%s/%s", p->cache_dir, MTLS_CACHE_FILE);
	/* The cache decides who a certificate is: a trusted file. */
	if (mtls_safe_path(path, MTLS_SAFE_FILE, real, sizeof(real), &st, err,
	    errsz) != 0)
		return -1;
	if (mtls_cache_open(path, &c) != 0) {
		mtls_fmt(err, errsz, "%s: missing or damaged", path);
		return -1;
	}
	if (mtls_sha256_hex(leaf, hex, sizeof(hex)) == 0) {
		mtls_fmt(key, sizeof(key), "sha256:%s", hex);
		cache_cert_add(&c, key, a);
	}
	if (mtls_serial_hex(leaf, serial, sizeof(serial)) == 0) {
		mtls_dn_string(X509_get_issuer_name(leaf), issuer,
		    sizeof(issuer));
		mtls_fmt(key, sizeof(key), "issuer_serial:%s/%s", serial,
		    issuer);
		cache_cert_add(&c, key, a);
	}
	mtls_cache_close(&c);
	return 0;
}
