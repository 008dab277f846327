/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* One digest of "which version of everything a decision read": a result
 * derived from a decision may be reused while the digest is unchanged. */
#ifndef MTLS_DEPS_H
#define MTLS_DEPS_H

#include "cfg.h"

#define MTLS_DEPS_LEN 32

/* SHA-256 over the path and current identity (device, inode, size,
 * modification time, or "absent") of every file the configuration read
 * (config, CA file and directory, intermediates, map files, password
 * file) and of the account cache mtls-sync writes (accounts.cache in each
 * policy's cache_dir and in the directory libnss_mtls reads).  0, or -1
 * when the configuration could not keep its list of files: never equal. */
int mtls_deps_fingerprint(const struct mtls_cfg *cfg,
    unsigned char out[MTLS_DEPS_LEN]);
/* The same over the account cache alone: for a caller that holds the
 * configuration object from mtls_cfg_acquire, which hands out the same
 * object only while every file it read is unchanged. */
int mtls_deps_cache_fingerprint(const struct mtls_cfg *cfg,
    unsigned char out[MTLS_DEPS_LEN]);

#endif
