/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* OpenSSH public key lines for the key of an X.509 certificate. */
#ifndef MTLS_SSHKEY_H
#define MTLS_SSHKEY_H

#include <stddef.h>

#include <openssl/x509.h>

/* "<type> <base64>" for RSA, ECDSA P-256/384/521 and Ed25519 keys; -1 for a
 * key OpenSSH cannot use. */
int mtls_ssh_pubkey(X509 *x, char *out, size_t outsz);

#endif
