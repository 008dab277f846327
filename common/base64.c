/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Strict base64: checked here, decoded by OpenSSL (EVP_DecodeBlock). */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "base64.h"

static int
b64_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/* Copies the characters of in (without white space) to out; their number,
 * or 0 when the text breaks a rule. */
static size_t
compact(const char *in, size_t len, int flags, char *out, size_t *pad)
{
	size_t i, n = 0;

	*pad = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if ((flags & MTLS_B64_SPACE) && isspace(c))
			continue;
		if (c == '=')
			(*pad)++;
		else if (*pad > 0 || !b64_char(c))
			return 0;
		out[n++] = (char)c;
	}
	return n % 4 == 0 && *pad <= 2 ? n : 0;
}

unsigned char *
mtls_base64_decode(const char *in, size_t len, int flags, size_t max,
    size_t *outlen)
{
	unsigned char *out = NULL;
	char *text;
	size_t n, pad;
	int r;

	if (len == 0 || len > INT_MAX || (text = malloc(len)) == NULL)
		return NULL;
	n = compact(in, len, flags, text, &pad);
	if (n == 0 || (max > 0 && n / 4 * 3 - pad > max) ||
	    (out = malloc(n / 4 * 3 + 1)) == NULL)
		goto fail;
	r = EVP_DecodeBlock(out, (const unsigned char *)text, (int)n);
	if (r < 0 || (size_t)r <= pad)
		goto fail;
	free(text);
	*outlen = (size_t)r - pad;
	return out;
fail:
	free(text);
	free(out);
	return NULL;
}
