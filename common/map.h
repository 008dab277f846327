/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Certificate → exactly one account, by ordered rules. */
#ifndef MTLS_MAP_H
#define MTLS_MAP_H

#include <openssl/x509.h>

#include "cfg.h"
#include "decision.h"

#define MTLS_ACCOUNTS_MAX 8

/* Distinct account names a rule found; n counts past the cap, so that
 * "more than one" stays true. */
struct mtls_accounts {
	size_t n;
	char name[MTLS_ACCOUNTS_MAX][256];
};

void mtls_accounts_add(struct mtls_accounts *a, const char *name);

/* LDAP rule for one key: 0, or -1 when no server answered (err says why).
 * *ld is opened on first use and reused for later rules of the decision. */
int mtls_ldap_lookup(const struct mtls_policy *p, const struct mtls_map *m,
    X509 *leaf, const char *key, void **ld, struct mtls_accounts *a,
    char *err, size_t errsz);
void mtls_ldap_release(void *ld);
/* LDAP down: the certificate index mtls-sync wrote.  0, or -1 when the
 * cache is missing or damaged. */
int mtls_cache_cert_lookup(const struct mtls_policy *p, X509 *leaf,
    struct mtls_accounts *a, char *err, size_t errsz);

/* Tries the policy's rules in order.  The first rule whose lookups yield
 * accounts decides: one account → d->user and d->rule are set; several →
 * MTLS_E_AMBIGUOUS_MAPPING.  No rule → MTLS_E_NO_MAPPING.  The account must
 * then resolve through NSS, else MTLS_E_USER_UNKNOWN. */
enum mtls_reason mtls_map_identity(const struct mtls_policy *p, X509 *leaf,
    struct mtls_decision *d);

/* Applies a rule's transforms (match, lowercase, strip_suffix) to one
 * source value.  Returns 0 and the key, or -1 when the rule does not apply
 * to that value. */
int mtls_map_transform(const struct mtls_map *m, const char *value,
    char *key, size_t keysz);

#endif
