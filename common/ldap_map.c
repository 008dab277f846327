/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* lookup = ldap: the rule's filter template, expanded with RFC 4515
 * escaping, searched with a size limit, each entry's user attribute taken
 * as the account.  Filters that find the certificate itself also compare
 * the stored DER with the presented one. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ldap.h>
#include <openssl/evp.h>

#include "cache_read.h"
#include "identity.h"
#include "ldap_conn.h"
#include "ldap_filter.h"
#include "ldap_map.h"
#include "map.h"
#include "mapfile.h"
#include "safe_file.h"
#include "util.h"

/* More entries than this is ambiguous anyway. */
#define LDAP_SIZELIMIT 8

/* The entry holds exactly the presented certificate. */
static int
holds_cert(LDAP *ld, LDAPMessage *e, X509 *leaf)
{
	struct berval **vals = ldap_get_values_len(ld, e,
	    "userCertificate;binary");
	unsigned char *der = NULL;
	int len = i2d_X509(leaf, &der), i, found = 0;

	for (i = 0; vals != NULL && vals[i] != NULL && !found; i++)
		found = len > 0 && vals[i]->bv_len == (ber_len_t)len &&
		    memcmp(vals[i]->bv_val, der, (size_t)len) == 0;
	ldap_value_free_len(vals);
	OPENSSL_free(der);
	return found;
}

int
mtls_ldap_value_name(const struct berval *bv, char *name, size_t namesz)
{
	if (bv->bv_len == 0 || bv->bv_len >= namesz)
		return -1;
	memcpy(name, bv->bv_val, bv->bv_len);
	name[bv->bv_len] = '\0';
	return mtls_valid_username(name) ? 0 : -1;
}

int
mtls_ldap_value_id(const struct berval *bv, unsigned long *id)
{
	char buf[16];
	long v;

	if (bv->bv_len == 0 || bv->bv_len >= sizeof(buf))
		return -1;
	memcpy(buf, bv->bv_val, bv->bv_len);
	buf[bv->bv_len] = '\0';
	if (mtls_parse_long(buf, 0, 4294967294L, &v) != 0)
		return -1;
	*id = (unsigned long)v;
	return 0;
}

/* The entry's own uidNumber: exactly one valid value, else -1. */
static long
entry_uid(LDAP *ld, LDAPMessage *e)
{
	struct berval **v = ldap_get_values_len(ld, e, "uidNumber");
	unsigned long id;
	long uid = -1;

	if (v != NULL && v[0] != NULL && v[1] == NULL &&
	    mtls_ldap_value_id(v[0], &id) == 0)
		uid = (long)id;
	ldap_value_free_len(v);
	return uid;
}

/* Each entry names one account by its user attribute and its uidNumber;
 * an entry with several names is itself ambiguous.  An entry without a
 * usable uidNumber still counts, as an account no login can use: it must
 * not let another entry look unique. */
static void
collect(LDAP *ld, LDAPMessage *res, const struct mtls_map *m, X509 *leaf,
    struct mtls_accounts *a)
{
	int cert = mtls_ldap_template_is_cert(m->ldap_filter);
	LDAPMessage *e;

	for (e = ldap_first_entry(ld, res); e != NULL;
	    e = ldap_next_entry(ld, e)) {
		struct berval **v;
		char name[256];
		long uid;
		int i;

		if (cert && !holds_cert(ld, e, leaf))
			continue;
		uid = entry_uid(ld, e);
		v = ldap_get_values_len(ld, e, m->ldap_user_attr);
		for (i = 0; v != NULL && v[i] != NULL; i++)
			if (mtls_ldap_value_name(v[i], name, sizeof(name)) == 0)
				mtls_accounts_add_uid(a, name, uid < 0 ?
				    MTLS_UID_INVALID : uid);
		ldap_value_free_len(v);
	}
}

int
mtls_ldap_lookup(const struct mtls_policy *p, const struct mtls_map *m,
    X509 *leaf, const char *key, void **handle, struct mtls_accounts *a,
    char *err, size_t errsz)
{
	char certattr[] = "userCertificate;binary", uidattr[] = "uidNumber";
	char *attrs[4] = { (char *)(uintptr_t)m->ldap_user_attr, certattr,
	    uidattr, NULL };
	struct timeval tv = { p->ldap_timeout, 0 };
	LDAPMessage *res = NULL;
	char filter[8192];
	LDAP *ld = *handle;
	int rc;

	if (mtls_ldap_expand(m->ldap_filter, leaf, key, filter,
	    sizeof(filter)) != 0)
		return 0;	/* a value the filter needs is absent */
	if (ld == NULL) {
		if (mtls_ldap_connect(p, &ld, err, errsz) != 0)
			return -1;
		*handle = ld;
	}
	rc = ldap_search_ext_s(ld, m->ldap_base ? m->ldap_base : p->ldap_base,
	    m->ldap_scope, filter, attrs, 0, NULL, NULL, &tv, LDAP_SIZELIMIT,
	    &res);
	if (rc == LDAP_SIZELIMIT_EXCEEDED) {
		/* Too many entries: report them as at least two accounts. */
		mtls_accounts_add(a, "(more entries)");
		mtls_accounts_add(a, "(than the size limit)");
	} else if (rc == LDAP_SUCCESS)
		collect(ld, res, m, leaf, a);
	else if (rc != LDAP_NO_SUCH_OBJECT) {
		mtls_fmt(err, errsz, "search: %s", ldap_err2string(rc));
		ldap_msgfree(res);
		return -1;
	}
	ldap_msgfree(res);
	return 0;
}

void
mtls_ldap_release(void *ld)
{
	mtls_ldap_close(ld);
}

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
