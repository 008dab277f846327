/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* A fingerprint of the versions of every file a decision under one policy
 * reads: a cache of decisions is valid while the fingerprint is. */
#ifndef MTLS_DEPS_H
#define MTLS_DEPS_H

#include "cfg.h"

#define MTLS_DEPS_LEN 32	/* SHA-256 */

/* SHA-256 over the identity (path, device, inode, size, modification and
 * change time in ns, mode, owner; or the errno of a failed stat) of: every
 * file the load of cfg read (the configuration, CA bundle and directory,
 * intermediates, map files, LDAP password file), policy p's crl_file and
 * crl_dir with each of its entries, the account cache of every policy and
 * the one libnss_mtls reads, the local account
 * databases (/etc/passwd, /etc/group, /etc/shadow, /etc/nsswitch.conf) and
 * the paths in extra (NULL-terminated, may be NULL; e.g. the PAM service
 * file).  Only stat(2) and readdir(3): nothing is parsed.  -1 when a
 * directory cannot be read or memory runs out; never reuse then. */
int mtls_deps_fingerprint(const struct mtls_cfg *cfg,
    const struct mtls_policy *p, const char *const *extra,
    unsigned char out[MTLS_DEPS_LEN]);
/* The same over the account caches alone: for a caller that holds the
 * configuration object from mtls_cfg_acquire, which hands out the same
 * object only while every file it read is unchanged. */
int mtls_deps_cache_fingerprint(const struct mtls_cfg *cfg,
    unsigned char out[MTLS_DEPS_LEN]);

#endif
