/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Small string and number helpers that every part of libmtls uses. */
#ifndef MTLS_UTIL_H
#define MTLS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

/* Copies with truncation; returns 0, or -1 when src did not fit. */
int mtls_strlcpy(char *dst, const char *src, size_t size);
/* printf into a fixed buffer; truncation is not an error (used for
 * messages), but the result is always NUL-terminated. */
void mtls_fmt(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mtls_vfmt(char *dst, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void mtls_hex(const unsigned char *in, size_t len, char *out, size_t outsz,
    int upper);
void mtls_lower(char *s);
/* True when s holds a byte below 0x20 or 0x7f. */
int mtls_has_ctl(const char *s);
/* Strict decimal parse of the whole string into [min, max]. */
int mtls_parse_long(const char *s, long min, long max, long *out);
/* Unix seconds or YYYY-MM-DDTHH:MM:SSZ. */
int mtls_parse_time(const char *s, time_t *out);
void mtls_format_time(time_t t, char *out, size_t outsz);

/* Escaping for one-line logs (key="value") and for JSON strings: the
 * certificate's subject is attacker-chosen text. */
void mtls_escape_log(const char *in, char *out, size_t outsz);
void mtls_escape_json(const char *in, char *out, size_t outsz);

/* Portable user names: letters, digits, '.', '_', '-', '@', a final '$';
 * not starting with '-'. */
int mtls_valid_username(const char *s);

#endif
