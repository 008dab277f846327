/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Proof of possession at a prompt: the module sends a fresh challenge
 * bound to service, host and time; the answer signs exactly that text and
 * carries the signer's certificate (and intermediates), either as an
 * "mtls-sig v1" envelope (challenge_sig.h; every key type) or as a
 * detached CMS SignedData in base64 (RSA and ECDSA).  A certificate alone
 * proves nothing: it is public. */
#ifndef MTLS_CHALLENGE_H
#define MTLS_CHALLENGE_H

#include <stddef.h>
#include <time.h>

#include "reason.h"

#define MTLS_CHALLENGE_MAX 512
#define MTLS_ANSWER_MAX (64 * 1024)

/* "mtls-challenge v1 <service> <host> <unix-time> <base64 32-byte nonce>" */
int mtls_challenge_new(const char *service, time_t now, char *out,
    size_t outsz);
/* Finds a challenge inside any text (a prompt, an askpass argument).
 * 0 and the challenge, or -1. */
int mtls_challenge_find(const char *text, char *out, size_t outsz);
/* The time a challenge was issued, or -1 when it is not one. */
time_t mtls_challenge_time(const char *challenge);

/* The host field of a challenge (what the module's gethostname() said,
 * reduced to [A-Za-z0-9._-]); 0, or -1 when it is not a challenge. */
int mtls_challenge_host(const char *challenge, char *out, size_t outsz);
/* The host of OpenSSH's "(user@host) " prefix at the very start of an
 * askpass prompt: the name the user is connecting to.  0, or -1. */
int mtls_prompt_host(const char *text, char *out, size_t outsz);
/* 1 when a and b are the same DNS name (ASCII case-insensitive, a
 * trailing dot ignored), else 0. */
int mtls_host_equal(const char *a, const char *b);

/* Checks that answer is an "mtls-sig v1" envelope or a detached CMS
 * signature over challenge by exactly one signer, with a SHA-2 digest
 * (SHA-256/384/512; none for EdDSA in the envelope); returns the signer
 * certificate and the other certificates as PEM text for the decision
 * core.  Refusals:
 * MTLS_E_BAD_INPUT (not base64/CMS/detached/one signer, or a malformed
 * envelope), MTLS_E_WEAK_SIGNATURE (a digest other than SHA-2),
 * MTLS_E_BAD_SIGNATURE (the signature does not verify). */
enum mtls_reason mtls_challenge_verify(const char *challenge,
    const char *answer, size_t len, char **cert_pem, char **chain_pem,
    char *msg, size_t msgsz);

#endif
