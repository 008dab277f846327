/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The "mtls-sig v1" answer envelope: a plain signature over the challenge
 * (EVP_DigestSign), with the signer's certificate and chain, as text.  It
 * exists because OpenSSL 3.0's CMS cannot sign with Ed25519 or Ed448.
 *
 *   mtls-sig v1 DIGEST SIG CERT [CHAIN...]
 *
 * single spaces; DIGEST is sha256, sha384 or sha512 for RSA (PKCS#1 v1.5)
 * and ECDSA, none for Ed25519 and Ed448 (they sign the text itself); SIG
 * is the base64 signature over exactly the challenge bytes; CERT and each
 * CHAIN are base64 DER certificates, the signer first.  docs/sshd.md. */
#ifndef MTLS_CHALLENGE_SIG_H
#define MTLS_CHALLENGE_SIG_H

#include <stddef.h>

#include <openssl/x509.h>

#include "reason.h"

#define MTLS_SIG_PREFIX "mtls-sig v1 "
#define MTLS_SIG_CERTS_MAX 8		/* signer and up to 7 more */
#define MTLS_SIG_DER_MAX (16 * 1024)	/* one certificate */
#define MTLS_SIG_SIG_MAX 1024		/* RSA 8192 is 1024 bytes */

/* 1 when the answer is in this form (by its prefix), else 0. */
int mtls_sig_is_envelope(const char *answer, size_t len);

/* Same contract as mtls_challenge_verify, for this form. */
enum mtls_reason mtls_sig_verify(const char *challenge, const char *answer,
    size_t len, char **cert_pem, char **chain_pem, char *msg, size_t msgsz);

/* The answer to challenge signed by key for cert (and chain, may be NULL),
 * with SHA-256 for RSA/ECDSA; NULL and a sentence in msg on failure. */
char *mtls_sig_make(const char *challenge, EVP_PKEY *key, X509 *cert,
    STACK_OF(X509) *chain, char *msg, size_t msgsz);

/* PEM text of one certificate (caller frees), or NULL. */
char *mtls_challenge_pem(X509 *x);

#endif
