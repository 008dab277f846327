/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* A file of PEM certificates (a CA bundle, intermediates, a user's
 * certificates): the one loader every part uses, so that a damaged, empty
 * or oversized bundle means the same thing everywhere. */
#ifndef MTLS_PEM_BUNDLE_H
#define MTLS_PEM_BUNDLE_H

#include <stddef.h>

#include <openssl/x509.h>

#define MTLS_PEM_BUNDLE_MAX (8 * 1024 * 1024)

/* Appends every certificate of path to sk.  flags are mtls_read_file's
 * (MTLS_FILE_TRUSTED for trust material); max > 0 caps the number of
 * certificates (more is an error, never a silent cut).  0, or -1 with
 * "path: ..." in err when the file cannot be read, is damaged, holds no
 * certificate or too many. */
int mtls_pem_bundle_load(const char *path, int flags, size_t max,
    STACK_OF(X509) *sk, char *err, size_t errsz);

#endif
