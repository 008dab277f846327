/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The crl_url list, parsed the same way when the config is checked and when
 * mtls-crl-fetch looks a CA up, so what lints clean is what gets used. */
#include "config.h"

#include <string.h>

#include "crl_url.h"
#include "util.h"

#define ITEMS_MAX 64

struct item {
	char hash[9];
	char url[MTLS_CRL_URL_MAX];
};

static int
is_hash(const char *s, size_t n)
{
	return n == 8 && strspn(s, "0123456789abcdef") >= 8;
}

/* One "HASH URL" item of n bytes at s, blanks around it allowed. */
static int
parse_item(const char *s, size_t n, struct item *it, char *err,
    size_t errsz)
{
	size_t a = 0, h, u;

	while (a < n && (s[a] == ' ' || s[a] == '\t'))
		a++;
	for (h = a; h < n && s[h] != ' ' && s[h] != '\t'; h++)
		;
	for (u = h; u < n && (s[u] == ' ' || s[u] == '\t'); u++)
		;
	while (n > u && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!is_hash(s + a, h - a)) {
		mtls_fmt(err, errsz, "'%.*s' is not a CA subject hash (8 "
		    "lowercase hex digits, as openssl x509 -subject_hash "
		    "prints)", (int)(h - a), s + a);
		return -1;
	}
	if (n - u < 8 || strncmp(s + u, "http://", 7) != 0 ||
	    memchr(s + u, ' ', n - u) != NULL ||
	    memchr(s + u, '\t', n - u) != NULL) {
		mtls_fmt(err, errsz, "'%.*s' is not one http:// URL",
		    (int)(n - u), s + u);
		return -1;
	}
	if (n - u >= sizeof(it->url)) {
		mtls_fmt(err, errsz, "URL longer than %d bytes",
		    MTLS_CRL_URL_MAX - 1);
		return -1;
	}
	memcpy(it->hash, s + a, 8);
	it->hash[8] = '\0';
	memcpy(it->url, s + u, n - u);
	it->url[n - u] = '\0';
	return 0;
}

/* Calls back for each item; stops at the first error or a nonzero fn. */
static int
walk(const char *v, int (*fn)(const struct item *, void *), void *ctx,
    char *err, size_t errsz)
{
	struct item it;
	const char *p = v;
	int rc;

	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (parse_item(p, n, &it, err, errsz) != 0)
			return -1;
		if ((rc = fn(&it, ctx)) != 0)
			return rc;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

struct seen {
	char hash[ITEMS_MAX][9];
	size_t n;
	char *err;
	size_t errsz;
};

static int
note(const struct item *it, void *ctx)
{
	struct seen *s = ctx;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->hash[i], it->hash) == 0) {
			mtls_fmt(s->err, s->errsz, "%s is listed twice",
			    it->hash);
			return -1;
		}
	if (s->n == ITEMS_MAX) {
		mtls_fmt(s->err, s->errsz, "more than %d CAs", ITEMS_MAX);
		return -1;
	}
	memcpy(s->hash[s->n++], it->hash, 9);
	return 0;
}

int
mtls_crl_url_check(const char *value, char *err, size_t errsz)
{
	struct seen s;

	s.n = 0;
	s.err = err;
	s.errsz = errsz;
	return walk(value, note, &s, err, errsz) == 0 ? 0 : -1;
}

struct want {
	const char *hash;
	char *out;
	size_t outsz;
};

static int
match(const struct item *it, void *ctx)
{
	struct want *w = ctx;

	if (strcmp(it->hash, w->hash) != 0)
		return 0;
	mtls_strlcpy(w->out, it->url, w->outsz);
	return 1;
}

int
mtls_crl_url_find(const char *value, const char *hash, char *out,
    size_t outsz)
{
	struct want w = { hash, out, outsz };
	char err[256];

	if (value == NULL)
		return 0;
	return walk(value, match, &w, err, sizeof(err)) == 1;
}
