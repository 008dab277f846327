/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Base64 as RFC 4648 writes it, the one decoder for certificates and
 * challenge answers: OpenSSL's own decoder is laxer than what we accept. */
#ifndef MTLS_BASE64_H
#define MTLS_BASE64_H

#include <stddef.h>

/* White space (line breaks) between characters is allowed. */
#define MTLS_B64_SPACE 1

/* The alphabet, '=' only as the final padding (at most two), whole
 * four-character groups, white space only with MTLS_B64_SPACE.  Returns
 * the decoded bytes (caller frees) and *outlen, or NULL when the text is
 * not such base64, is empty, decodes to more than max bytes (max 0: no
 * bound but the input's) or memory runs out. */
unsigned char *mtls_base64_decode(const char *in, size_t len, int flags,
    size_t max, size_t *outlen);

#endif
