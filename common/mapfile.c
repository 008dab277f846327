/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Map files (mtls-users.map(5)): `key user` per line, the user being the
 * last word so that keys (subject DNs) may hold spaces; a line whose first
 * non-blank character is '#' is a comment, and a '#' after a blank inside
 * a line is refused (it would look like a comment and be read as data).
 * Sorted once at load; a lookup is a binary search, and a key that is not
 * in the file maps to nobody.  mtls_mapfile_lint reports every line that
 * reads differently from how it looks. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "mapfile.h"
#include "safe_file.h"
#include "util.h"

#define MTLS_MAPFILE_MAX (64 * 1024 * 1024)

static int
cmp_entry(const void *a, const void *b)
{
	const struct mtls_mapfile_entry *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static int
has_ctl_but_tab(const char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t' && *s != '\r') ||
		    (unsigned char)*s == 0x7f)
			return 1;
	return 0;
}

/* A blank then '#': what a trailing comment looks like. */
static int
blank_hash(const char *s)
{
	for (; *s != '\0'; s++)
		if (isspace((unsigned char)s[0]) && s[1] == '#')
			return 1;
	return 0;
}

static int
parse_line(struct mtls_mapfile *mf, char *s, int line, char *err,
    size_t errsz)
{
	char *end = s + strlen(s), *user;

	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	if (blank_hash(s)) {
		mtls_fmt(err, errsz, "%s:%d: '#' after a blank inside a line: "
		    "comments are whole lines", mf->path, line);
		return -1;
	}
	user = end;
	while (user > s && !isspace((unsigned char)user[-1]))
		user--;
	if (user == s) {
		mtls_fmt(err, errsz, "%s:%d: expected 'key user'", mf->path,
		    line);
		return -1;
	}
	end = user;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (!mtls_valid_username(user)) {
		mtls_fmt(err, errsz, "%s:%d: '%s' is not a valid user name",
		    mf->path, line, user);
		return -1;
	}
	mf->ent[mf->n].key = s;
	mf->ent[mf->n].user = user;
	mf->ent[mf->n].line = line;
	mf->n++;
	return 0;
}

int
mapfile_load(struct mtls_mapfile *mf, const char *path, char *err,
    size_t errsz)
{
	size_t len, lines = 1, i;
	char *p, *nl;
	int line = 0;

	mf->path = path;
	if (mtls_read_file(path, MTLS_MAPFILE_MAX,
	    MTLS_FILE_TRUSTED | MTLS_FILE_TEXT, &mf->text, &len, err,
	    errsz) != 0)
		return -1;
	for (i = 0; i < len; i++)
		lines += mf->text[i] == '\n';
	if ((mf->ent = calloc(lines, sizeof(*mf->ent))) == NULL) {
		mtls_fmt(err, errsz, "%s: out of memory", path);
		return -1;
	}
	for (p = mf->text; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		line++;
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		if (has_ctl_but_tab(p)) {
			mtls_fmt(err, errsz, "%s:%d: control character",
			    path, line);
			return -1;
		}
		if (parse_line(mf, p, line, err, errsz) != 0)
			return -1;
	}
	qsort(mf->ent, mf->n, sizeof(*mf->ent), cmp_entry);
	return 0;
}

void
mapfile_free(struct mtls_mapfile *mf)
{
	free(mf->ent);
	free(mf->text);
	memset(mf, 0, sizeof(*mf));
}

size_t
mtls_mapfile_find(const struct mtls_mapfile *mf, const char *key,
    const struct mtls_mapfile_entry **first)
{
	size_t lo = 0, hi = mf->n, n = 0;

	/* Lower bound, then count the run of equal keys. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(mf->ent[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < mf->n && strcmp(mf->ent[lo + n].key, key) == 0)
		n++;
	*first = n ? &mf->ent[lo] : NULL;
	return n;
}
