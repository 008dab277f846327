/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int
mtls_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size == 0)
		return -1;
	if (n >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

void
mtls_vfmt(char *dst, size_t size, const char *fmt, va_list ap)
{
	if (size > 0 && vsnprintf(dst, size, fmt, ap) < 0)
		dst[0] = '\0';
}

void
mtls_fmt(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mtls_vfmt(dst, size, fmt, ap);
	va_end(ap);
}

void
mtls_hex(const unsigned char *in, size_t len, char *out, size_t outsz,
    int upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i;

	if (outsz == 0)
		return;
	for (i = 0; i < len && 2 * i + 2 < outsz; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * i] = '\0';
}

void
mtls_lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

int
mtls_has_ctl(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return 1;
	return 0;
}

int
mtls_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
mtls_parse_time(const char *s, time_t *out)
{
	struct tm tm;
	long v;
	char *end;

	if (mtls_parse_long(s, 0, 253402300799L, &v) == 0) {
		*out = (time_t)v;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	*out = timegm(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}

void
mtls_format_time(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		mtls_strlcpy(out, "?", outsz);
}

/* Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF) that starts a multi-byte
 * character at s, or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned long cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Shared body of both escapers: printable ASCII and well-formed UTF-8
 * pass, quote and backslash are escaped, every control byte and every byte
 * that is not part of well-formed UTF-8 becomes a \u00XX (JSON) or \xXX
 * escape, so JSON output is always valid UTF-8. */
static void
escape(const char *in, char *out, size_t outsz, int json)
{
	size_t o = 0, n;
	char tmp[8];

	if (outsz == 0)
		return;
	for (; *in != '\0'; in += n) {
		unsigned char c = (unsigned char)*in;

		n = c >= 0x80 ? utf8_len((const unsigned char *)in) : 0;
		if (n > 0) {
			memcpy(tmp, in, n);
			tmp[n] = '\0';
		} else if (c == '"' || c == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			tmp[2] = '\0';
		} else if (c < 0x20 || c >= 0x7f) {
			snprintf(tmp, sizeof(tmp), json ? "\\u%04x" : "\\x%02x",
			    c);
		} else {
			tmp[0] = (char)c;
			tmp[1] = '\0';
		}
		n = n > 0 ? n : 1;
		if (o + strlen(tmp) + 1 > outsz)
			break;
		memcpy(out + o, tmp, strlen(tmp));
		o += strlen(tmp);
	}
	out[o] = '\0';
}

void
mtls_escape_log(const char *in, char *out, size_t outsz)
{
	escape(in, out, outsz, 0);
}

void
mtls_escape_json(const char *in, char *out, size_t outsz)
{
	escape(in, out, outsz, 1);
}

int
mtls_valid_username(const char *s)
{
	size_t n;

	if (*s == '\0' || *s == '-')
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && strchr("._-@", s[n]) ==
		    NULL && !(s[n] == '$' && s[n + 1] == '\0'))
			return 0;
	return n < 256;
}
