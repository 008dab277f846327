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

/* Each entry names one account by its user attribute; an entry with
 * several values is itself ambiguous. */
static void
collect(LDAP *ld, LDAPMessage *res, const struct mtls_map *m, X509 *leaf,
    struct mtls_accounts *a)
{
	int cert = mtls_ldap_template_is_cert(m->ldap_filter);
	LDAPMessage *e;

	for (e = ldap_first_entry(ld, res); e != NULL;
	    e = ldap_next_entry(ld, e)) {
		struct berval **v = ldap_get_values_len(ld, e,
		    m->ldap_user_attr);
		int i;
		char name[256];

		if (cert && !holds_cert(ld, e, leaf)) {
			ldap_value_free_len(v);
			continue;
		}
		for (i = 0; v != NULL && v[i] != NULL; i++) {
			if (v[i]->bv_len == 0 || v[i]->bv_len >= sizeof(name))
				continue;
			memcpy(name, v[i]->bv_val, v[i]->bv_len);
			name[v[i]->bv_len] = '\0';
			if (mtls_valid_username(name))
				mtls_accounts_add(a, name);
		}
		ldap_value_free_len(v);
	}
}

int
mtls_ldap_lookup(const struct mtls_policy *p, const struct mtls_map *m,
    X509 *leaf, const char *key, void **handle, struct mtls_accounts *a,
    char *err, size_t errsz)
{
	char certattr[] = "userCertificate;binary";
	char *attrs[3] = { (char *)(uintptr_t)m->ldap_user_attr, certattr,
	    NULL };
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

int
mtls_cache_cert_lookup(const struct mtls_policy *p, X509 *leaf,
    struct mtls_accounts *a, char *err, size_t errsz)
{
	char path[4200], real[PATH_MAX], hex[65], serial[128], issuer[1024];
	char key[1300];
	const char *user;
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
		if ((user = mtls_cache_cert_user(&c, key)) != NULL)
			mtls_accounts_add(a, user);
	}
	if (mtls_serial_hex(leaf, serial, sizeof(serial)) == 0) {
		mtls_dn_string(X509_get_issuer_name(leaf), issuer,
		    sizeof(issuer));
		mtls_fmt(key, sizeof(key), "issuer_serial:%s/%s", serial,
		    issuer);
		if ((user = mtls_cache_cert_user(&c, key)) != NULL)
			mtls_accounts_add(a, user);
	}
	mtls_cache_close(&c);
	return 0;
}
