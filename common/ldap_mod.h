/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/*
 * The LDAP module (mtls-ldap.so) and the core: libldap and what it pulls
 * in (GnuTLS, SASL, p11-kit...) cost every process that links it several
 * milliseconds at start, so only the module links it, and the core opens
 * the module the first time a rule with lookup = ldap runs (ldap_load.c).
 * The module exports one versioned symbol, MTLS_LDAP_ENTRY at version
 * MTLS_LDAP_VERSION, that returns the table below.  Core and module come
 * from one build: the table carries the package version and the sizes of
 * the structures they share, and the core refuses any mismatch.
 */
#ifndef MTLS_LDAP_MOD_H
#define MTLS_LDAP_MOD_H

#include <stddef.h>

#include <openssl/x509.h>

#include "cfg.h"
#include "map.h"

#define MTLS_LDAP_ENTRY "mtls_ldap_module"
#define MTLS_LDAP_VERSION "MTLS_LDAP_1"

struct mtls_ldap_ops {
	const char *package_version;	/* PACKAGE_VERSION of the module */
	size_t policy_size, map_size, accounts_size;
	/* Searches the rule's base for filter (already expanded and
	 * escaped by the core) and adds each entry's account to a; entries
	 * of a certificate filter (is_cert) count only when they hold leaf.
	 * *ld is connected on first use and kept for the decision's later
	 * rules.  0, or -1 when no server answered (err says why). */
	int (*search)(const struct mtls_policy *p, const struct mtls_map *m,
	    const char *filter, int is_cert, X509 *leaf, void **ld,
	    struct mtls_accounts *a, char *err, size_t errsz);
	void (*release)(void *ld);
};

typedef const struct mtls_ldap_ops *mtls_ldap_entry_fn(void);

/* The module, loaded once per process: NULL with a sentence naming its
 * path and dlerror() when it cannot be used (ldap_load.c). */
const struct mtls_ldap_ops *mtls_ldap_ops(char *err, size_t errsz);
/* Where the module is looked for: the compiled-in path, or the test
 * override MTLS_LDAP_MODULE (ignored by setuid programs). */
const char *mtls_ldap_module_path(void);

#endif
