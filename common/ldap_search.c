/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* lookup = ldap, the part that talks to the directory (built into the LDAP
 * module, mtls-ldap.so): the filter the core expanded with RFC 4515
 * escaping, searched with a size limit, each entry's user attribute taken
 * as the account.  Filters that find the certificate itself also compare
 * the stored DER with the presented one. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <ldap.h>
#include <openssl/crypto.h>

#include "ldap_conn.h"
#include "ldap_map.h"
#include "ldap_search.h"
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
collect(LDAP *ld, LDAPMessage *res, const struct mtls_map *m, int cert,
    X509 *leaf, struct mtls_accounts *a)
{
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
mtls_ldap_search(const struct mtls_policy *p, const struct mtls_map *m,
    const char *filter, int is_cert, X509 *leaf, void **handle,
    struct mtls_accounts *a, char *err, size_t errsz)
{
	char certattr[] = "userCertificate;binary", uidattr[] = "uidNumber";
	char *attrs[4] = { (char *)(uintptr_t)m->ldap_user_attr, certattr,
	    uidattr, NULL };
	struct timeval tv = { p->ldap_timeout, 0 };
	LDAPMessage *res = NULL;
	LDAP *ld = *handle;
	int rc;

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
		collect(ld, res, m, is_cert, leaf, a);
	else if (rc != LDAP_NO_SUCH_OBJECT) {
		mtls_fmt(err, errsz, "search: %s", ldap_err2string(rc));
		ldap_msgfree(res);
		return -1;
	}
	ldap_msgfree(res);
	return 0;
}

void
mtls_ldap_search_release(void *ld)
{
	mtls_ldap_close(ld);
}
