/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Certificates as frontends hand them over: PEM, URL-escaped PEM (nginx's
 * $ssl_client_escaped_cert), base64 DER or raw DER.  Untrusted input: size
 * capped, every byte accounted for, one certificate where one is expected. */
#ifndef MTLS_CERT_INPUT_H
#define MTLS_CERT_INPUT_H

#include <stddef.h>

#include <openssl/x509.h>

#include "reason.h"

#define MTLS_INPUT_MAX (64 * 1024)
#define MTLS_CHAIN_MAX 10

/* Exactly one certificate, else MTLS_E_BAD_INPUT with a sentence. */
enum mtls_reason mtls_input_cert(const char *in, size_t len, X509 **out,
    char *msg, size_t msgsz);
/* One to MTLS_CHAIN_MAX certificates appended to sk. */
enum mtls_reason mtls_input_chain(const char *in, size_t len,
    STACK_OF(X509) *sk, char *msg, size_t msgsz);

#endif
