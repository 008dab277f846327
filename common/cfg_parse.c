/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Line syntax of mtls.conf.  Strict on purpose: every line is a comment, a
 * section header or `key = value`; anything else is an error with its line. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "util.h"

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int
valid_name(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_' &&
		    s[n] != '-' && s[n] != '.')
			return 0;
	return n > 0 && n < max;
}

static int
valid_key(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_')
			return 0;
	return 1;
}

static int
add_section(struct cfg_doc *doc, enum cfg_kind kind, const char *name,
    int line, const char *path, char *err, size_t errsz)
{
	struct cfg_section *n;
	size_t i;

	for (i = 0; i < doc->nsec; i++) {
		if (doc->sec[i].kind == kind && doc->sec[i].name != NULL &&
		    strcmp(doc->sec[i].name, name) == 0) {
			mtls_fmt(err, errsz,
			    "%s:%d: duplicate section '%s' (first at line %d)",
			    path, line, name, doc->sec[i].line);
			return -1;
		}
	}
	n = reallocarray(doc->sec, doc->nsec + 1, sizeof(*n));
	if (n == NULL) {
		mtls_fmt(err, errsz, "%s:%d: out of memory", path, line);
		return -1;
	}
	doc->sec = n;
	doc->sec[doc->nsec].kind = kind;
	doc->sec[doc->nsec].name = name;
	doc->sec[doc->nsec].line = line;
	doc->nsec++;
	return 0;
}

static int
parse_header(struct cfg_doc *doc, char *s, int line, const char *path,
    char *err, size_t errsz)
{
	size_t len = strlen(s);
	enum cfg_kind kind;
	char *name;

	if (len < 2 || s[len - 1] != ']') {
		mtls_fmt(err, errsz, "%s:%d: section header must end with ']'",
		    path, line);
		return -1;
	}
	s[len - 1] = '\0';
	s = trim(s + 1);
	if (strncmp(s, "profile", 7) == 0 && (s[7] == ' ' || s[7] == '\t'))
		kind = CFG_PROFILE;
	else if (strncmp(s, "map", 3) == 0 && (s[3] == ' ' || s[3] == '\t'))
		kind = CFG_MAP;
	else {
		mtls_fmt(err, errsz,
		    "%s:%d: unknown section '[%s]' (expected [profile NAME] "
		    "or [map NAME])", path, line, s);
		return -1;
	}
	name = trim(s + (kind == CFG_PROFILE ? 7 : 3));
	if (!valid_name(name, MTLS_NAME_MAX)) {
		mtls_fmt(err, errsz,
		    "%s:%d: invalid section name '%s' (letters, digits, "
		    "'_', '-', '.'; at most %d)", path, line, name,
		    MTLS_NAME_MAX - 1);
		return -1;
	}
	return add_section(doc, kind, name, line, path, err, errsz);
}

static int
add_entry(struct cfg_doc *doc, char *s, int line, const char *path,
    char *err, size_t errsz)
{
	char *eq = strchr(s, '='), *key, *value;
	struct cfg_entry *n;
	size_t i, cur = doc->nsec - 1;

	if (eq == NULL) {
		mtls_fmt(err, errsz, "%s:%d: expected 'key = value'", path,
		    line);
		return -1;
	}
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (!valid_key(key)) {
		mtls_fmt(err, errsz, "%s:%d: invalid key '%s'", path, line,
		    key);
		return -1;
	}
	if (*value == '\0') {
		mtls_fmt(err, errsz, "%s:%d: %s: empty value", path, line,
		    key);
		return -1;
	}
	if (mtls_has_ctl(value)) {
		mtls_fmt(err, errsz, "%s:%d: %s: control character in value",
		    path, line, key);
		return -1;
	}
	for (i = 0; i < doc->nent; i++) {
		if (doc->ent[i].section == cur &&
		    strcmp(doc->ent[i].key, key) == 0) {
			mtls_fmt(err, errsz,
			    "%s:%d: duplicate key '%s' (first set at line %d)",
			    path, line, key, doc->ent[i].line);
			return -1;
		}
	}
	n = reallocarray(doc->ent, doc->nent + 1, sizeof(*n));
	if (n == NULL) {
		mtls_fmt(err, errsz, "%s:%d: out of memory", path, line);
		return -1;
	}
	doc->ent = n;
	doc->ent[doc->nent].key = key;
	doc->ent[doc->nent].value = value;
	doc->ent[doc->nent].line = line;
	doc->ent[doc->nent].section = cur;
	doc->nent++;
	return 0;
}

int
cfg_parse_text(const char *path, char *text, struct cfg_doc *doc, char *err,
    size_t errsz)
{
	char *p = text, *nl, *s;
	int line = 0;

	memset(doc, 0, sizeof(*doc));
	if (add_section(doc, CFG_GLOBAL, NULL, 0, path, err, errsz) != 0)
		return -1;
	while (p != NULL && *p != '\0') {
		line++;
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		s = trim(p);
		p = nl ? nl + 1 : NULL;
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			if (parse_header(doc, s, line, path, err, errsz) != 0)
				return -1;
		} else if (add_entry(doc, s, line, path, err, errsz) != 0)
			return -1;
	}
	return 0;
}

void
cfg_doc_free(struct cfg_doc *doc)
{
	free(doc->sec);
	free(doc->ent);
	memset(doc, 0, sizeof(*doc));
}
