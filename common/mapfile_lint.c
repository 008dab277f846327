/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-check --lint for map files: every line that the loader reads
 * differently from how it looks to a person, so that what an admin wrote
 * is what the mapping does. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mapfile.h"
#include "safe_file.h"
#include "util.h"

#define MTLS_MAPFILE_MAX (64 * 1024 * 1024)

struct lint {
	const struct mtls_map *m;
	FILE *out;
	size_t n;
};

static void
say(struct lint *l, int line, const char *what, const char *a,
    const char *b)
{
	fprintf(l->out, "%s:%d: %s%s%.200s%s%s%.200s%s\n", l->m->file.path,
	    line, what, a ? " '" : "", a ? a : "", a ? "'" : "",
	    b ? " for user '" : "", b ? b : "", b ? "'" : "");
	l->n++;
}

/* Sources whose values never hold a blank: a blank in such a key means
 * text the loader took as part of the key. */
static int
blankless(enum mtls_source s)
{
	return s != MTLS_SRC_CN && s != MTLS_SRC_SUBJECT &&
	    s != MTLS_SRC_ISSUER_SERIAL;
}

/* One data line, already without its CR: the separator, '#' and blanks
 * inside the key. */
static void
lint_data(struct lint *l, int line, char *s, size_t len)
{
	char *user = s + len, *sep;
	size_t nsep;
	int odd;

	while (user > s && !isspace((unsigned char)user[-1]))
		user--;
	if (user == s)
		return;		/* the loader refused it already */
	for (sep = user; sep > s && isspace((unsigned char)sep[-1]); sep--)
		;
	nsep = (size_t)(user - sep);
	odd = nsep != 1 || *sep != ' ';
	*sep = '\0';
	if (odd)
		say(l, line, "key and user are separated by more than one "
		    "space or by a tab: read as key", s, user);
	if (strchr(s, '#') != NULL || strchr(user, '#') != NULL)
		say(l, line, "'#' inside a line is data, not a comment: "
		    "read as key", s, user);
	if (blankless(l->m->source) && strpbrk(s, " \t") != NULL)
		say(l, line, "trailing text? a blank inside the key: read as "
		    "key", s, user);
}

static void
lint_line(struct lint *l, int line, char *s)
{
	size_t len = strlen(s);
	const char *p = s;

	if (len > 0 && s[len - 1] == '\r') {
		say(l, line, "CRLF line ending (the CR is dropped)", NULL,
		    NULL);
		s[--len] = '\0';
	}
	if (len == 0)
		return;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0') {
		say(l, line, "a line of blanks only", NULL, NULL);
		return;
	}
	if (p != s)
		say(l, line, "leading blank", NULL, NULL);
	if (isspace((unsigned char)s[len - 1]))
		say(l, line, "trailing blank", NULL, NULL);
	if (*p == '#')
		return;
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	lint_data(l, line, (char *)(uintptr_t)p, strlen(p));
}

/* Keys on several lines: allowed (ambiguous by design), but a person may
 * not expect it. */
static void
lint_duplicates(struct lint *l)
{
	const struct mtls_mapfile *mf = &l->m->file;
	size_t i = 0, j;

	while (i < mf->n) {
		for (j = i + 1; j < mf->n &&
		    strcmp(mf->ent[j].key, mf->ent[i].key) == 0; j++) {
			char other[32];

			mtls_fmt(other, sizeof(other), "%d", mf->ent[j].line);
			fprintf(l->out, "%s:%d: key '%.200s' again on line %s: "
			    "the certificate maps to several accounts "
			    "(MTLS_E_AMBIGUOUS_MAPPING)\n", mf->path,
			    mf->ent[i].line, mf->ent[i].key, other);
			l->n++;
		}
		i = j;
	}
}

size_t
mtls_mapfile_lint(const struct mtls_map *m, FILE *out)
{
	struct lint l = { m, out, 0 };
	char *text, *p, *nl, err[512];
	size_t len;
	int line = 0;

	if (mtls_read_file(m->file.path, MTLS_MAPFILE_MAX,
	    MTLS_FILE_TRUSTED | MTLS_FILE_TEXT, &text, &len, err,
	    sizeof(err)) != 0) {
		fprintf(out, "%s\n", err);
		return 1;
	}
	for (p = text; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		line++;
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		lint_line(&l, line, p);
	}
	free(text);
	lint_duplicates(&l);
	return l.n;
}
