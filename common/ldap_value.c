/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Directory values read as account names and ids: shared by the LDAP
 * module and mtls-sync, each of which links libldap.  Directory data is
 * untrusted. */
#include "config.h"

#include <string.h>

#include "ldap_map.h"
#include "util.h"

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
