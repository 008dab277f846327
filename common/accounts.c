/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The accounts a rule found: shared by the core's lookups and the LDAP
 * module (mtls-ldap.so), which is built with its own copy. */
#include "config.h"

#include <string.h>

#include "map.h"
#include "util.h"

void
mtls_accounts_add_uid(struct mtls_accounts *a, const char *name, long uid)
{
	size_t i;

	for (i = 0; i < a->n && i < MTLS_ACCOUNTS_MAX; i++)
		if (strcmp(a->name[i], name) == 0 && a->uid[i] == uid)
			return;
	/* Past the cap the mapping is ambiguous anyway: keep counting. */
	if (a->n < MTLS_ACCOUNTS_MAX) {
		mtls_strlcpy(a->name[a->n], name, sizeof(a->name[0]));
		a->uid[a->n] = uid;
	}
	if (a->n < MTLS_ACCOUNTS_MAX + 1)
		a->n++;
}

void
mtls_accounts_add(struct mtls_accounts *a, const char *name)
{
	mtls_accounts_add_uid(a, name, MTLS_UID_NSS);
}
