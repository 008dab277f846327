/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-ldap.so's one entry point (version script ldap/mtls-ldap.sym): the
 * table of what the core may call, with what the core checks it against. */
#include "config.h"

#include "ldap_mod.h"
#include "ldap_search.h"

static const struct mtls_ldap_ops ops = {
	PACKAGE_VERSION,
	sizeof(struct mtls_policy), sizeof(struct mtls_map),
	sizeof(struct mtls_accounts),
	mtls_ldap_search,
	mtls_ldap_search_release,
};

const struct mtls_ldap_ops *mtls_ldap_module(void)
    __attribute__((visibility("default")));

const struct mtls_ldap_ops *
mtls_ldap_module(void)
{
	return &ops;
}
