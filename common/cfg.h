/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls.conf: global policy, [profile NAME] overrides and [map NAME] rules.
 * One struct per loaded file, owned by whoever loaded it: no globals. */
#ifndef MTLS_CFG_H
#define MTLS_CFG_H

#include <regex.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "safe_file.h"

#define MTLS_NAME_MAX 64
#define MTLS_LIST_MAX 16
#define MTLS_OID_MAX 64
#define MTLS_CONFIG_MAX (1024 * 1024)

enum mtls_source {
	MTLS_SRC_CN,
	MTLS_SRC_SUBJECT,
	MTLS_SRC_EMAIL,
	MTLS_SRC_UPN,
	MTLS_SRC_DNS,
	MTLS_SRC_URI,
	MTLS_SRC_FINGERPRINT,
	MTLS_SRC_ISSUER_SERIAL,
};

enum mtls_lookup {
	MTLS_LOOKUP_LOCAL,
	MTLS_LOOKUP_FILE,
	MTLS_LOOKUP_LDAP,
};

enum mtls_rev_method {
	MTLS_REV_CRL,
	MTLS_REV_OCSP,
};

/* Curves and key types a policy may allow, one bit each. */
enum {
	MTLS_CURVE_P256 = 1 << 0,
	MTLS_CURVE_P384 = 1 << 1,
	MTLS_CURVE_P521 = 1 << 2,
	MTLS_CURVE_ED25519 = 1 << 3,
	MTLS_CURVE_ED448 = 1 << 4,
};

struct mtls_mapfile_entry {
	const char *key;
	const char *user;
	int line;
};

struct mtls_mapfile {
	const char *path;
	char *text;			/* owns the strings below */
	struct mtls_mapfile_entry *ent;	/* sorted by key */
	size_t n;
};

struct mtls_map {
	char name[MTLS_NAME_MAX];
	int line;
	enum mtls_source source;
	int has_source;
	int has_match;
	regex_t match;
	const char *strip_suffix;
	int lowercase;
	enum mtls_lookup lookup;
	int has_lookup;
	struct mtls_mapfile file;
	int strong;
	const char *ldap_filter;
	const char *ldap_base;
	int ldap_scope;			/* LDAP_SCOPE_* */
	const char *ldap_user_attr;
};

struct mtls_policy {
	char name[MTLS_NAME_MAX];	/* "" for the global section */
	/* Trust: anchors, intermediates, path length, clock. */
	const char *ca_file;
	const char *ca_dir;
	const char *intermediates_file;
	long max_depth;
	long clock_skew;
	/* What a certificate must be: purposes, key usage, keys, signatures. */
	size_t n_eku;
	char eku[MTLS_LIST_MAX][MTLS_OID_MAX];	/* dotted OIDs */
	unsigned long key_usage;	/* KU_* bits that must be present */
	long min_rsa_bits;
	unsigned curves;
	int allow_sha1;
	long expiry_warning_days;
	/* Revocation: methods in the order tried; none when n_revocation
	 * is 0 and revocation_set says it was written explicitly. */
	size_t n_revocation;
	enum mtls_rev_method revocation[2];
	int revocation_set;
	int revocation_soft;
	const char *crl_file;
	const char *crl_dir;
	long crl_max_age;
	int crl_check_chain;
	const char *crl_url;		/* HASH URL[, ...] for mtls-crl-fetch */
	long crl_warning_hours;		/* mtls-check --health warns */
	const char *crl_cache_dir;	/* CRL indexes; NULL: none */
	const char *ocsp_responder;
	int ocsp_use_aia;
	long ocsp_timeout;
	int ocsp_nonce;
	const char *ocsp_cache_dir;
	long ocsp_max_age;		/* for answers without nextUpdate */
	/* Mapping: the rules, how strong a binding must be, and the accounts
	 * a mapping may hand out (uid/gid floors and a name list,
	 * comma-separated, checked at load; NULL for none). */
	size_t n_maps;
	const struct mtls_map *maps[MTLS_LIST_MAX];
	int map_line;			/* where `map` was set, for errors */
	int require_strong;
	long min_uid;
	long min_gid;
	const char *deny_users;
	/* LDAP, for lookup = ldap and mtls-sync. */
	const char *ldap_uri;		/* space-separated, tried in order */
	const char *ldap_base;
	int ldap_starttls;
	int ldap_plaintext;		/* plain ldap:// allowed */
	const char *ldap_ca_file;
	const char *ldap_bind_dn;
	const char *ldap_bind_password_file;
	char *ldap_bind_password;	/* loaded at config load; wiped */
	long ldap_network_timeout;
	long ldap_timeout;
	int ldap_offline_cache;
	/* The account cache mtls-sync writes, and what it reads. */
	const char *cache_dir;
	const char *sync_user_base;
	const char *sync_group_base;
	const char *sync_user_filter;
	const char *sync_group_filter;
	/* Logins at a prompt: the challenge, and mtls-ssh-keys. */
	long challenge_window;		/* seconds an answer may take */
	const char *ssh_cert_dir;	/* <dir>/<user>.pem for mtls-ssh-keys */
	const char *ssh_ldap_filter;	/* {key} = the user name */
	/* Built once per load from the keys above. */
	X509_STORE *store;
	STACK_OF(X509) *intermediates;
	struct mtls_known_certs *known_intermediates;	/* with their DER */
};

struct mtls_cfg {
	char path[4096];
	struct mtls_file_ids deps;	/* every file this load read */
	int refs;			/* mtls_cfg_acquire's count */
	char *text;			/* file content; values point into it */
	struct mtls_policy global;
	struct mtls_policy *profiles;
	size_t n_profiles;
	struct mtls_map *maps;
	size_t n_maps;
};

/* Loads and validates a whole configuration, trust anchors and map files
 * included.  On failure returns NULL and writes "file:line: message". */
struct mtls_cfg *mtls_cfg_load(const char *path, char *err, size_t errsz);
void mtls_cfg_free(struct mtls_cfg *cfg);

/* The same configuration, shared by the logins of one process while
 * neither the file nor any file it names (CA, intermediates, map files,
 * password file, CA directory) has changed; else loaded anew.  Release
 * with mtls_cfg_release().  The cache holds immutable configurations
 * behind a mutex: the one other process-wide state besides the CRL cache. */
struct mtls_cfg *mtls_cfg_acquire(const char *path, char *err, size_t errsz);
void mtls_cfg_release(struct mtls_cfg *cfg);

/* Finds a policy: the named profile, else (when name is NULL) the global
 * one.  Returns NULL when a named profile does not exist. */
const struct mtls_policy *mtls_cfg_policy(const struct mtls_cfg *cfg,
    const char *name);

/* The keys the parser accepts, for documentation checks (NULL-terminated). */
extern const char *const mtls_cfg_policy_keys[];
extern const char *const mtls_cfg_map_keys[];

const char *mtls_source_name(enum mtls_source s);

#endif
