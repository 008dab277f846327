/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Certificate → exactly one account, by ordered rules. */
#ifndef MTLS_MAP_H
#define MTLS_MAP_H

#include <openssl/x509.h>

#include "cfg.h"
#include "decision.h"

#define MTLS_ACCOUNTS_MAX 8

/* Distinct accounts a rule found; n counts past the cap, so that "more
 * than one" stays true.  uid is the number the directory gave the account
 * (its uidNumber), or MTLS_UID_NSS when only NSS knows it (local and file
 * lookups): an account from LDAP must resolve through NSS to that very
 * number, else a local account of the same name would stand in for it. */
#define MTLS_UID_NSS (-1L)
#define MTLS_UID_INVALID (-2L)	/* an entry without a usable uidNumber */
struct mtls_accounts {
	size_t n;
	char name[MTLS_ACCOUNTS_MAX][256];
	long uid[MTLS_ACCOUNTS_MAX];
};

void mtls_accounts_add(struct mtls_accounts *a, const char *name);
void mtls_accounts_add_uid(struct mtls_accounts *a, const char *name,
    long uid);

/* Whether the policy lets a mapping hand out this account: not listed in
 * deny_users and uid at least min_uid.  0, or -1 with a sentence. */
int mtls_account_allowed(const struct mtls_policy *p, const char *name,
    unsigned long uid, char *why, size_t whysz);
/* getpwnam_r: 1 found (canonical name and uid set), 0 absent, -1 NSS
 * error. */
int mtls_account_lookup(const char *name, char *canon, size_t canonsz,
    unsigned long *uid);

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
/* Whether the cache can stand in for this rule: it holds the certificates
 * of the entries mtls-sync read (sync_user_filter under the sync base), so
 * it answers only a rule whose filter is exactly that sync filter and one
 * certificate clause, over the same base.  0, or -1
 * with a sentence. */
int mtls_cache_answers_rule(const struct mtls_policy *p,
    const struct mtls_map *m, char *why, size_t whysz);

/* Tries the policy's rules in order.  The first rule whose lookups yield
 * accounts decides: one account → d->user and d->rule are set; several →
 * MTLS_E_AMBIGUOUS_MAPPING.  Every source value that fits the rule counts:
 * values that map to different accounts, or some to none, are ambiguous
 * too; cn and upn are single identities, so a certificate with several of
 * them is ambiguous for such a rule.  No rule → MTLS_E_NO_MAPPING.  The
 * account must then resolve through NSS (to the directory's uid, for LDAP)
 * and pass mtls_account_allowed, else MTLS_E_USER_UNKNOWN. */
enum mtls_reason mtls_map_identity(const struct mtls_policy *p, X509 *leaf,
    struct mtls_decision *d);

/* Applies a rule's transforms (match, lowercase, strip_suffix) to one
 * source value.  Returns 0 and the key, or -1 when the rule does not apply
 * to that value. */
int mtls_map_transform(const struct mtls_map *m, const char *value,
    char *key, size_t keysz);

#endif
