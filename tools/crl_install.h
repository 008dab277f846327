/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Installing a verified CRL into crl_dir so that a login sees the old file
 * or the new one, whole, never a mix, even across a crash. */
#ifndef MTLS_CRL_INSTALL_H
#define MTLS_CRL_INSTALL_H

#include <stddef.h>

#include <openssl/x509.h>

/* Writes crl as PEM to dir/name: temp file in dir, fsync, mode 0644 and
 * root's (when run as root), rename, fsync of dir.  0, or -1 with a
 * sentence in err and the old file untouched. */
int crl_install(const char *dir, const char *name, X509_CRL *crl, char *err,
    size_t errsz);

#endif
