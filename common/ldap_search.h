/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The LDAP module's search (see ldap_mod.h for the contract). */
#ifndef MTLS_LDAP_SEARCH_H
#define MTLS_LDAP_SEARCH_H

#include <stddef.h>

#include <openssl/x509.h>

#include "cfg.h"
#include "map.h"

int mtls_ldap_search(const struct mtls_policy *p, const struct mtls_map *m,
    const char *filter, int is_cert, X509 *leaf, void **ld,
    struct mtls_accounts *a, char *err, size_t errsz);
void mtls_ldap_search_release(void *ld);

#endif
