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
#include "mapfile.h"
#include "read_input.h"
#include "util.h"

#define PAGE_SIZE 500
#define FIELD_MAX 1024

struct run {
	LDAP *ld;
	const struct mtls_policy *p;
	struct sync_data d;
	size_t skipped;
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

static int
attr_id(LDAP *ld, LDAPMessage *e, const char *attr, uint32_t *out)
{
	char *s = attr_str(ld, e, attr);
	long v;
	int rc = s != NULL && mtls_parse_long(s, 0, 4294967294L, &v) == 0;

	if (rc)
		*out = (uint32_t)v;
	free(s);
	return rc ? 0 : -1;
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
			r->d.certs[r->d.n_certs].key = strdup(key);
			r->d.certs[r->d.n_certs].user = strdup(user);
			r->d.n_certs++;
		}
	}
	X509_free(x);
}

static void
user_entry(struct run *r, LDAPMessage *e)
{
	struct sync_user u = { NULL, NULL, NULL, NULL, NULL, 0, 0 };
	struct berval **certs;
	char *dn;
	int i;

	u.name = attr_str(r->ld, e, "uid");
	if ((u.gecos = attr_str(r->ld, e, "gecos")) == NULL)
		u.gecos = attr_str(r->ld, e, "cn");
	u.dir = attr_str(r->ld, e, "homeDirectory");
	if ((u.shell = attr_str(r->ld, e, "loginShell")) == NULL)
		u.shell = strdup("");
	dn = ldap_get_dn(r->ld, e);
	u.dn = dn ? strdup(dn) : NULL;
	ldap_memfree(dn);
	if (u.name == NULL || !mtls_valid_username(u.name) || u.gecos == NULL ||
	    u.dir == NULL || u.shell == NULL || u.dn == NULL ||
	    attr_id(r->ld, e, "uidNumber", &u.uid) != 0 ||
	    attr_id(r->ld, e, "gidNumber", &u.gid) != 0 ||
	    grow((void **)&r->d.users, &r->d.cap_users, r->d.n_users,
	    sizeof(u)) != 0) {
		free(u.name);
		free(u.gecos);
		free(u.dir);
		free(u.shell);
		free(u.dn);
		r->skipped++;
		return;
	}
	r->d.users[r->d.n_users++] = u;
	certs = ldap_get_values_len(r->ld, e, "userCertificate;binary");
	for (i = 0; certs != NULL && certs[i] != NULL; i++)
		add_cert(r, certs[i], u.name);
	ldap_value_free_len(certs);
}

/* member DNs become user names through the users just read. */
static const char *
user_by_dn(const struct run *r, const char *dn)
{
	size_t i;

	for (i = 0; i < r->d.n_users; i++)
		if (strcasecmp(r->d.users[i].dn, dn) == 0)
			return r->d.users[i].name;
	return NULL;
}

static void
add_member(struct sync_group *g, size_t *cap, const char *name)
{
	size_t i;

	for (i = 0; i < g->n_members; i++)
		if (strcmp(g->members[i], name) == 0)
			return;
	if (grow((void **)&g->members, cap, g->n_members,
	    sizeof(char *)) == 0 &&
	    (g->members[g->n_members] = strdup(name)) != NULL)
		g->n_members++;
}

static void
group_entry(struct run *r, LDAPMessage *e)
{
	struct sync_group g = { NULL, 0, NULL, 0 };
	struct berval **v;
	size_t cap = 0;
	char name[256];
	const char *u;
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
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if (v[i]->bv_len == 0 || v[i]->bv_len >= sizeof(name))
			continue;
		memcpy(name, v[i]->bv_val, v[i]->bv_len);
		name[v[i]->bv_len] = '\0';
		if (mtls_valid_username(name))
			add_member(&g, &cap, name);
	}
	ldap_value_free_len(v);
	v = ldap_get_values_len(r->ld, e, "member");
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		char *dn = strndup(v[i]->bv_val, v[i]->bv_len);

		if (dn != NULL && (u = user_by_dn(r, dn)) != NULL)
			add_member(&g, &cap, u);
		free(dn);
	}
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
