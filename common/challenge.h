/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Proof of possession at a prompt: the module sends a fresh challenge
 * bound to service, host and time; the answer is a detached CMS SignedData
 * over exactly that text, base64, carrying the signer's certificate (and
 * intermediates).  A certificate alone proves nothing: it is public. */
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

/* Checks that answer is a detached CMS signature over challenge by exactly
 * one signer, with an acceptable digest; returns the signer certificate and
 * the other certificates as PEM text for the decision core.  Refusals:
 * MTLS_E_BAD_INPUT (not base64/CMS/detached/one signer), MTLS_E_WEAK_SIGNATURE,
 * MTLS_E_BAD_SIGNATURE (the signature does not verify). */
enum mtls_reason mtls_challenge_verify(const char *challenge,
    const char *answer, size_t len, char **cert_pem, char **chain_pem,
    char *msg, size_t msgsz);

#endif
