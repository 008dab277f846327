/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-sync: reads posixAccount users, posixGroup groups and users'
 * certificates from LDAP (paged), and publishes the account cache that
 * libnss_mtls.so.2 serves and the mapping falls back to when LDAP is down.
 * LDAP data is untrusted: names, numbers and strings are checked, bad
 * entries skipped and counted.  A failed sync leaves the old cache.
 * Exit 0 success, 1 LDAP error, 2 usage or configuration, 3 write error. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldap.h>
#include <openssl/x509.h>

#include "cache_write.h"
#include "cfg.h"
#include "identity.h"
#include "ldap_conn.h"
#include "ldap_map.h"
#include "mapfile.h"
#include "read_input.h"
#include "sync_filter.h"
#include "util.h"

#define PAGE_SIZE 500
#define FIELD_MAX 1024

struct run {
	LDAP *ld;
	const struct mtls_policy *p;
	struct sync_data d;
	size_t skipped;		/* entries with invalid or missing fields */
	size_t ambiguous;	/* entries with several uid values */
	int quiet;
};

typedef void (*entry_fn)(struct run *r, LDAPMessage *e);

/* libldap takes char ** for attribute lists it never writes to. */
static char **
ldap_attrs(const char *const *a)
{
	return (char **)(uintptr_t)a;
}

/* The first value of attr as a checked string, or NULL. */
static char *
attr_str(LDAP *ld, LDAPMessage *e, const char *attr)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	char *s = NULL;

	if (v != NULL && v[0] != NULL && v[0]->bv_len < FIELD_MAX &&
	    memchr(v[0]->bv_val, '\0', v[0]->bv_len) == NULL &&
	    (s = strndup(v[0]->bv_val, v[0]->bv_len)) != NULL &&
	    (mtls_has_ctl(s) || strchr(s, ':') != NULL)) {
		free(s);
		s = NULL;
	}
	ldap_value_free_len(v);
	return s;
}

/* An id attribute with exactly one valid value, as the mapping reads
 * uidNumber online: a second value is not silently ignored. */
static int
attr_id(LDAP *ld, LDAPMessage *e, const char *attr, uint32_t *out)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	unsigned long id;
	int rc = v != NULL && v[0] != NULL && v[1] == NULL &&
	    mtls_ldap_value_id(v[0], &id) == 0 ? 0 : -1;

	if (rc == 0)
		*out = (uint32_t)id;
	ldap_value_free_len(v);
	return rc;
}

static int
grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 256;
	if ((p = reallocarray(*arr, *cap, size)) == NULL)
		return -1;
	*arr = p;
	return 0;
}

static void
add_cert(struct run *r, const struct berval *bv, const char *user)
{
	const unsigned char *q = (const unsigned char *)bv->bv_val;
	X509 *x = d2i_X509(NULL, &q, (long)bv->bv_len);
	char hex[65], serial[128], issuer[1024], key[1300];
	int k;

	if (x == NULL) {
		r->skipped++;
		return;
	}
	for (k = 0; k < 2; k++) {
		if (k == 0 && mtls_sha256_hex(x, hex, sizeof(hex)) == 0)
			mtls_fmt(key, sizeof(key), "sha256:%s", hex);
		else if (k == 1 && mtls_serial_hex(x, serial,
		    sizeof(serial)) == 0) {
			mtls_dn_string(X509_get_issuer_name(x), issuer,
			    sizeof(issuer));
			mtls_fmt(key, sizeof(key), "issuer_serial:%s/%s",
			    serial, issuer);
		} else
			continue;
		if (grow((void **)&r->d.certs, &r->d.cap_certs, r->d.n_certs,
		    sizeof(*r->d.certs)) == 0) {
			struct sync_cert *c = &r->d.certs[r->d.n_certs];

			c->key = strdup(key);
			c->user = strdup(user);
			if (c->key != NULL && c->user != NULL)
				r->d.n_certs++;
			else {
				free(c->key);
				free(c->user);
			}
		}
	}
	X509_free(x);
}

/* The entry's account name: its single valid uid.  Several values name
 * several accounts (ambiguous, as the mapping sees them online). */
static char *
entry_name(LDAP *ld, LDAPMessage *e, int *several)
{
	struct berval **v = ldap_get_values_len(ld, e, "uid");
	char name[256], *s = NULL;

	*several = v != NULL && v[0] != NULL && v[1] != NULL;
	if (v != NULL && v[0] != NULL && !*several &&
	    mtls_ldap_value_name(v[0], name, sizeof(name)) == 0)
		s = strdup(name);
	ldap_value_free_len(v);
	return s;
}

/* Every certificate an entry holds is recorded, even for an entry that
 * is not served: another entry with the same certificate must stay
 * ambiguous in the cache as it is in the directory. */
static void
entry_certs(struct run *r, LDAPMessage *e, const char *user)
{
	struct berval **certs;
	int i;

	certs = ldap_get_values_len(r->ld, e, "userCertificate;binary");
	for (i = 0; certs != NULL && certs[i] != NULL; i++)
		add_cert(r, certs[i], user);
	ldap_value_free_len(certs);
}

static void
user_entry(struct run *r, LDAPMessage *e)
{
	struct sync_user u = { NULL, NULL, NULL, NULL, NULL, 0, 0 };
	char *dn;
	int several;

	u.name = entry_name(r->ld, e, &several);
	if ((u.gecos = attr_str(r->ld, e, "gecos")) == NULL)
		u.gecos = attr_str(r->ld, e, "cn");
	u.dir = attr_str(r->ld, e, "homeDirectory");
	if ((u.shell = attr_str(r->ld, e, "loginShell")) == NULL)
		u.shell = strdup("");
	dn = ldap_get_dn(r->ld, e);
	u.dn = dn ? strdup(dn) : NULL;
	ldap_memfree(dn);
	if (u.name == NULL || u.gecos == NULL ||
	    u.dir == NULL || u.shell == NULL || u.dn == NULL ||
	    attr_id(r->ld, e, "uidNumber", &u.uid) != 0 ||
	    attr_id(r->ld, e, "gidNumber", &u.gid) != 0 ||
	    grow((void **)&r->d.users, &r->d.cap_users, r->d.n_users,
	    sizeof(u)) != 0) {
		sync_user_free(&u);
		if (several)
			r->ambiguous++;
		else
			r->skipped++;
		entry_certs(r, e, several ? SYNC_CERT_AMBIGUOUS :
		    SYNC_CERT_DROPPED);
		return;
	}
	r->d.users[r->d.n_users++] = u;
	entry_certs(r, e, u.name);
}

/* Members are appended as read; sync_members() resolves DNs and removes
 * duplicates once every user is known, in O(n log n). */
static void
add_str(char ***arr, size_t *n, size_t *cap, const char *s, size_t len)
{
	if (grow((void **)arr, cap, *n, sizeof(char *)) == 0 &&
	    ((*arr)[*n] = strndup(s, len)) != NULL)
		(*n)++;
}

static void
group_entry(struct run *r, LDAPMessage *e)
{
	struct sync_group g = { NULL, 0, NULL, 0, NULL, 0 };
	struct berval **v;
	size_t cap = 0, dcap = 0;
	char name[256];
	int i;

	g.name = attr_str(r->ld, e, "cn");
	if (g.name == NULL || !mtls_valid_username(g.name) ||
	    attr_id(r->ld, e, "gidNumber", &g.gid) != 0 ||
	    grow((void **)&r->d.groups, &r->d.cap_groups, r->d.n_groups,
	    sizeof(g)) != 0) {
		free(g.name);
		r->skipped++;
		return;
	}
	v = ldap_get_values_len(r->ld, e, "memberUid");
	for (i = 0; v != NULL && v[i] != NULL; i++)
		if (mtls_ldap_value_name(v[i], name, sizeof(name)) == 0)
			add_str(&g.members, &g.n_members, &cap, name,
			    strlen(name));
	ldap_value_free_len(v);
	v = ldap_get_values_len(r->ld, e, "member");
	for (i = 0; v != NULL && v[i] != NULL; i++)
		if (v[i]->bv_len > 0 && v[i]->bv_len < FIELD_MAX &&
		    memchr(v[i]->bv_val, '\0', v[i]->bv_len) == NULL)
			add_str(&g.member_dns, &g.n_member_dns, &dcap,
			    v[i]->bv_val, v[i]->bv_len);
	ldap_value_free_len(v);
	r->d.groups[r->d.n_groups++] = g;
}

/* One page after another with the paged-results control (RFC 2696). */
static int
paged_search(struct run *r, const char *base, const char *filter,
    char **attrs, entry_fn fn, const char *what, char *err, size_t errsz)
{
	struct berval cookie = { 0, NULL };
	struct timeval tv = { r->p->ldap_timeout, 0 };
	size_t seen = 0;
	int rc;

	do {
		LDAPControl *page = NULL, *ctrls[2] = { NULL, NULL };
		LDAPControl **rctrls = NULL, *pr;
		LDAPMessage *res = NULL, *e;
		ber_int_t total = 0;
		int code = LDAP_SUCCESS;

		rc = ldap_create_page_control(r->ld, PAGE_SIZE,
		    cookie.bv_len ? &cookie : NULL, 0, &page);
		ctrls[0] = page;
		if (rc == LDAP_SUCCESS)
			rc = ldap_search_ext_s(r->ld, base, LDAP_SCOPE_SUBTREE,
			    filter, attrs, 0, ctrls, NULL, &tv, 0, &res);
		ldap_control_free(page);
		ldap_memfree(cookie.bv_val);
		cookie.bv_val = NULL;
		cookie.bv_len = 0;
		if (rc == LDAP_SUCCESS)
			rc = ldap_parse_result(r->ld, res, &code, NULL, NULL,
			    NULL, &rctrls, 0);
		if (rc != LDAP_SUCCESS || code != LDAP_SUCCESS) {
			mtls_fmt(err, errsz, "%s search: %s", what,
			    ldap_err2string(rc != LDAP_SUCCESS ? rc : code));
			ldap_msgfree(res);
			ldap_controls_free(rctrls);
			return -1;
		}
		for (e = ldap_first_entry(r->ld, res); e != NULL;
		    e = ldap_next_entry(r->ld, e), seen++)
			fn(r, e);
		pr = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, rctrls, NULL);
		if (pr != NULL)
			ldap_parse_pageresponse_control(r->ld, pr, &total,
			    &cookie);
		ldap_controls_free(rctrls);
		ldap_msgfree(res);
		if (!r->quiet)
			fprintf(stderr, "mtls-sync: %s: %zu read\r", what, seen);
	} while (cookie.bv_len > 0);
	/* The last page's cookie is empty but still allocated. */
	ldap_memfree(cookie.bv_val);
	if (!r->quiet)
		fprintf(stderr, "\n");
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: mtls-sync [--config FILE] [--cache-dir DIR] "
	    "[--quiet]\n"
	    "Exit status: 0 written, 1 LDAP error, 2 usage or configuration, "
	    "3 write error.\n");
}

/* The directory is untrusted: what would shadow a local account, reach
 * below the id floors or be ambiguous is dropped, counted and reported
 * (on stderr, even with --quiet: an admin must see an attack). */
static int
untrusted(struct run *r, char *err, size_t errsz)
{
	struct sync_local l;
	struct sync_drops o;
	size_t total;

	if (sync_members(&r->d) != 0) {
		mtls_fmt(err, errsz, "out of memory resolving group members");
		return -1;
	}
	if (sync_local_load(&l, "/etc/passwd", "/etc/group", err, errsz) != 0)
		return -1;
	sync_filter(&r->d, &l, (unsigned long)r->p->min_uid,
	    (unsigned long)r->p->min_gid, &o);
	sync_local_free(&l);
	total = o.low_uid + o.low_gid + o.local_user + o.local_group +
	    o.duplicate + o.membership + r->ambiguous;
	if (total > 0)
		fprintf(stderr, "mtls-sync: dropped from the directory: %zu "
		    "users below min_uid %ld, %zu users or groups below "
		    "min_gid %ld, %zu users and %zu groups colliding with "
		    "local ones, %zu names claimed by several entries, %zu "
		    "entries with several uids, %zu memberships of "
		    "non-LDAP or dropped users\n", o.low_uid, r->p->min_uid,
		    o.low_gid, r->p->min_gid, o.local_user, o.local_group,
		    o.duplicate, r->ambiguous, o.membership);
	return 0;
}

static int
sync_all(struct run *r, const char *dir)
{
	static const char *const uattrs[] = { "uid", "uidNumber", "gidNumber",
	    "gecos", "cn", "homeDirectory", "loginShell",
	    "userCertificate;binary", NULL };
	static const char *const gattrs[] = { "cn", "gidNumber", "memberUid",
	    "member", NULL };
	const char *ubase = r->p->sync_user_base ? r->p->sync_user_base :
	    r->p->ldap_base, *gbase = r->p->sync_group_base ?
	    r->p->sync_group_base : r->p->ldap_base;
	char err[1024];
	size_t dropped;

	if (ubase == NULL || gbase == NULL) {
		fprintf(stderr, "mtls-sync: set ldap_base (or sync_user_base "
		    "and sync_group_base)\n");
		return 2;
	}
	if (mtls_ldap_connect(r->p, &r->ld, err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-sync: %s\n", err);
		return 1;
	}
	if (paged_search(r, ubase, r->p->sync_user_filter, ldap_attrs(uattrs),
	    user_entry, "users", err, sizeof(err)) != 0 ||
	    paged_search(r, gbase, r->p->sync_group_filter, ldap_attrs(gattrs),
	    group_entry, "groups", err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-sync: %s; the old cache is kept\n", err);
		return 1;
	}
	if (untrusted(r, err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-sync: %s; the old cache is kept\n", err);
		return 3;
	}
	if (cache_write(dir, &r->d, &dropped, err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-sync: %s; the old cache is kept\n", err);
		return 3;
	}
	if (!r->quiet)
		printf("mtls-sync: wrote %s/%s: %zu users, %zu groups, %zu "
		    "certificate keys; %zu invalid entries skipped, %zu "
		    "duplicates dropped\n", dir, "accounts.cache",
		    r->d.n_users, r->d.n_groups, r->d.n_certs, r->skipped,
		    dropped);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "cache-dir", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = MTLS_DEFAULT_CONFIG, *dir = NULL;
	struct run r;
	struct mtls_cfg *cfg;
	char err[1024], cfgpath[PATH_MAX];
	int c, rc;

	memset(&r, 0, sizeof(r));
	while ((c = getopt_long(argc, argv, "c:d:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'd': dir = optarg; break;
		case 'q': r.quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (tool_config_path(config, cfgpath, sizeof(cfgpath), err,
	    sizeof(err)) != 0 ||
	    (cfg = mtls_cfg_load(cfgpath, err, sizeof(err))) == NULL) {
		fprintf(stderr, "mtls-sync: %s\n", err);
		return 2;
	}
	r.p = mtls_cfg_policy(cfg, NULL);
	rc = sync_all(&r, dir ? dir : r.p->cache_dir);
	mtls_ldap_close(r.ld);
	sync_data_free(&r.d);
	mtls_cfg_free(cfg);
	return rc;
}
