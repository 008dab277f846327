/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The CRL sources exist and are safe (a misspelled crl_dir, a missing
 * crl_file), and when revocation uses CRLs every trust anchor and
 * intermediate has one that parses, is signed by its key and is in
 * force now.  A login would find the same things, one failure at a time. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ca_list.h"
#include "crl_cache.h"
#include "crl_judge.h"
#include "identity.h"
#include "lint_targets.h"
#include "safe_file.h"
#include "util.h"

#define SAID_MAX 32

struct lint {
	const struct mtls_cfg *cfg;
	char *text;		/* the config again, for line numbers */
	int findings;
	/* Profiles inherit the global sources: say each thing once. */
	char said[SAID_MAX][512];
	size_t n_said;
};

/* The line where key is set for policy p: its profile's section, else the
 * global one (which profiles inherit from); 0 when not found. */
static int
key_line_in(const char *text, const char *section, const char *key)
{
	const char *s = text;
	char cur[MTLS_NAME_MAX + 16] = "";
	int line = 0;
	size_t klen = strlen(key);

	while (*s != '\0') {
		const char *e = strchr(s, '\n'), *t = s;
		size_t n = e ? (size_t)(e - s) : strlen(s);

		line++;
		while (*t == ' ' || *t == '\t')
			t++;
		if (*t == '[')
			mtls_fmt(cur, sizeof(cur), "%.*s",
			    (int)n - (int)(t - s), t);
		else if (strcmp(cur, section) == 0 &&
		    strncmp(t, key, klen) == 0 &&
		    strspn(t + klen, " \t") + klen < n &&
		    t[klen + strspn(t + klen, " \t")] == '=')
			return line;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return 0;
}

static int
key_line(const struct lint *L, const struct mtls_policy *p, const char *key)
{
	char section[MTLS_NAME_MAX + 16];
	int line = 0;

	if (L->text == NULL)
		return 0;
	if (p->name[0] != '\0') {
		mtls_fmt(section, sizeof(section), "[profile %s]", p->name);
		line = key_line_in(L->text, section, key);
	}
	return line ? line : key_line_in(L->text, "", key);
}

static void
finding(struct lint *L, const struct mtls_policy *p, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
finding(struct lint *L, const struct mtls_policy *p, const char *key,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	mtls_vfmt(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < L->n_said; i++)
		if (strcmp(msg, L->said[i]) == 0)
			return;
	if (L->n_said < SAID_MAX)
		mtls_strlcpy(L->said[L->n_said++], msg, sizeof(msg));
	fprintf(stderr, "%s:%d: %s: %s\n", L->cfg->path, key_line(L, p, key),
	    key, msg);
	L->findings++;
}

static void
check_sources(struct lint *L, const struct mtls_policy *p)
{
	struct mtls_crl_set *set;
	struct stat st;
	char err[600], res[4096];

	if (p->crl_file != NULL) {
		if ((set = mtls_crl_set_get(p->crl_file, err,
		    sizeof(err))) == NULL)
			finding(L, p, "crl_file", "%s", err);
		mtls_crl_set_put(set);
	}
	/* An unsafe index directory only means no index (the logins parse
	 * every CRL): legal, but not what the admin meant.  A missing one
	 * is left alone (not installed yet). */
	if (p->crl_cache_dir != NULL && access(p->crl_cache_dir, F_OK) == 0 &&
	    mtls_safe_path(p->crl_cache_dir, MTLS_SAFE_DIR, res, sizeof(res),
	    &st, err, sizeof(err)) != 0)
		finding(L, p, "crl_cache_dir", "%s: its CRL indexes are "
		    "ignored, every login parses every CRL", err);
	if (p->crl_dir == NULL)
		return;
	if (stat(p->crl_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		finding(L, p, "crl_dir", "%s: not a directory", p->crl_dir);
	else if ((st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		finding(L, p, "crl_dir", "%s: must be owned by root and not "
		    "writable by group or others", p->crl_dir);
}

static void
check_ca(struct lint *L, const struct ca_ent *ca, time_t now)
{
	const struct mtls_policy *p = ca->p;
	struct crl_found f;
	const char *why;
	char next[32];

	crl_find(p, ca->cert, &f);
	/* An unreadable crl_dir was reported by check_sources. */
	if (f.err[0] != '\0' && !f.dir_unreadable)
		finding(L, p, p->crl_dir ? "crl_dir" : "crl_file", "%s",
		    f.err);
	if (f.crl == NULL)
		finding(L, p, ca->key, "CA '%s' (%s): %s", ca->subject,
		    ca->hash, f.badly_signed ? "its CRL is not signed by its "
		    "key" : "no CRL in crl_file or crl_dir");
	else if ((why = crl_judge_time(f.crl, p->clock_skew, p->crl_max_age,
	    now)) != NULL) {
		mtls_asn1_time_string(X509_CRL_get0_nextUpdate(f.crl), next,
		    sizeof(next));
		finding(L, p, ca->key, "CA '%s' (%s): %s: CRL %s (nextUpdate "
		    "%s)", ca->subject, ca->hash, f.path, why, next);
	}
	crl_found_free(&f);
}

int
lint_targets(const struct mtls_cfg *cfg)
{
	struct lint L;
	struct ca_list l;
	char err[1024];
	size_t len, i;
	time_t now = time(NULL);

	memset(&L, 0, sizeof(L));
	L.cfg = cfg;
	if (mtls_read_file(cfg->path, MTLS_CONFIG_MAX, MTLS_FILE_TEXT,
	    &L.text, &len, err, sizeof(err)) != 0)
		L.text = NULL;
	check_sources(&L, &cfg->global);
	for (i = 0; i < cfg->n_profiles; i++)
		check_sources(&L, &cfg->profiles[i]);
	if (ca_list_load(cfg, &l, err, sizeof(err)) != 0)
		finding(&L, &cfg->global, "ca_dir", "%s", err);
	else {
		for (i = 0; i < l.n; i++)
			if (ca_policy_uses_crl(l.v[i].p))
				check_ca(&L, &l.v[i], now);
		ca_list_free(&l);
	}
	free(L.text);
	return L.findings;
}
