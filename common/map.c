/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "map.h"
#include "mapfile.h"
#include "util.h"

/* One decision's mapping run: the LDAP handle is shared by its rules. */
struct map_run {
	const struct mtls_policy *p;
	X509 *leaf;
	void *ld;
	int offline;		/* an answer came from the cache */
};

void
mtls_accounts_add(struct mtls_accounts *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->name[i], name) == 0)
			return;
	/* Past the cap the mapping is ambiguous anyway: keep counting. */
	if (a->n < MTLS_ACCOUNTS_MAX)
		mtls_strlcpy(a->name[a->n], name, sizeof(a->name[0]));
	if (a->n < MTLS_ACCOUNTS_MAX + 1)
		a->n++;
}

/* getpwnam_r with a growing buffer; 1 found, 0 absent, -1 NSS error. */
static int
nss_user(const char *name, char *canon, size_t canonsz)
{
	size_t bufsz = 4096;
	struct passwd pw, *res = NULL;
	char *buf = NULL;
	int rc;

	for (;;) {
		char *nb = realloc(buf, bufsz);

		if (nb == NULL) {
			free(buf);
			return -1;
		}
		buf = nb;
		rc = getpwnam_r(name, &pw, buf, bufsz, &res);
		if (rc != ERANGE || bufsz >= 1024 * 1024)
			break;
		bufsz *= 4;
	}
	if (rc == 0 && res != NULL && canon != NULL)
		mtls_strlcpy(canon, res->pw_name, canonsz);
	free(buf);
	if (rc != 0 && rc != ENOENT && rc != ESRCH)
		return -1;
	return res != NULL;
}

int
mtls_map_transform(const struct mtls_map *m, const char *value, char *key,
    size_t keysz)
{
	size_t len, slen;

	if (m->has_match) {
		regmatch_t pm[2];

		if (regexec(&m->match, value, 2, pm, 0) != 0 ||
		    pm[1].rm_so < 0)
			return -1;
		len = (size_t)(pm[1].rm_eo - pm[1].rm_so);
		if (len == 0 || len >= keysz)
			return -1;
		memcpy(key, value + pm[1].rm_so, len);
		key[len] = '\0';
	} else if (mtls_strlcpy(key, value, keysz) != 0)
		return -1;
	if (m->lowercase)
		mtls_lower(key);
	if (m->strip_suffix != NULL) {
		/* A value without the suffix is not this rule's business. */
		len = strlen(key);
		slen = strlen(m->strip_suffix);
		if (len <= slen || strcmp(key + len - slen, m->strip_suffix))
			return -1;
		key[len - slen] = '\0';
	}
	return key[0] == '\0' ? -1 : 0;
}

/* Looks one key up; -1 when the backend (NSS, LDAP) failed. */
static int
lookup(struct map_run *run, const struct mtls_map *m, const char *key,
    struct mtls_accounts *a, char *err, size_t errsz)
{
	const struct mtls_mapfile_entry *e;
	char canon[256];
	size_t n, i;
	int rc;

	switch (m->lookup) {
	case MTLS_LOOKUP_LOCAL:
		if (!mtls_valid_username(key))
			return 0;
		rc = nss_user(key, canon, sizeof(canon));
		if (rc > 0)
			mtls_accounts_add(a, canon);
		return rc < 0 ? -1 : 0;
	case MTLS_LOOKUP_FILE:
		n = mtls_mapfile_find(&m->file, key, &e);
		for (i = 0; i < n; i++)
			mtls_accounts_add(a, e[i].user);
		return 0;
	case MTLS_LOOKUP_LDAP:
		return mtls_ldap_lookup(run->p, m, run->leaf, key, &run->ld, a,
		    err, errsz);
	}
	return -1;
}

/* LDAP unreachable: the certificate index of the cache, if allowed. */
static int
offline(struct map_run *run, struct mtls_accounts *a, char *err,
    size_t errsz)
{
	char why[256];
	size_t n = strlen(err);

	if (!run->p->ldap_offline_cache)
		return -1;
	if (mtls_cache_cert_lookup(run->p, run->leaf, a, why,
	    sizeof(why)) != 0) {
		mtls_fmt(err + n, errsz - n, "; cache: %s", why);
		return -1;
	}
	mtls_fmt(err + n, errsz - n, "; answered from the cache");
	run->offline = 1;
	return 0;
}

/* Runs one rule; the trace says what it saw, for the record. */
static enum mtls_reason
run_rule(struct map_run *run, const struct mtls_map *m,
    struct mtls_accounts *a, char *trace, size_t tracesz)
{
	struct mtls_values vals;
	enum mtls_reason r;
	char key[MTLS_VALUE_MAX + 1], err[512] = "";
	size_t i, applied = 0;

	r = mtls_identity_values(run->leaf, m->source, &vals);
	if (r != MTLS_OK) {
		mtls_fmt(trace, tracesz, "%s: %s value with control bytes",
		    m->name, mtls_source_name(m->source));
		return r;
	}
	for (i = 0; i < vals.n; i++) {
		if (mtls_map_transform(m, vals.v[i], key, sizeof(key)) != 0)
			continue;
		applied++;
		if (lookup(run, m, key, a, err, sizeof(err)) != 0) {
			if (m->lookup == MTLS_LOOKUP_LDAP &&
			    offline(run, a, err, sizeof(err)) == 0) {
				mtls_values_free(&vals);
				mtls_fmt(trace, tracesz, "%s: LDAP down (%s) -> "
				    "%zu account(s)", m->name, err, a->n);
				return MTLS_OK;
			}
			mtls_values_free(&vals);
			mtls_fmt(trace, tracesz, "%s: account lookup failed%s%s",
			    m->name, err[0] ? ": " : "", err);
			return MTLS_E_BACKEND_DOWN;
		}
	}
	if (vals.n == 0)
		mtls_fmt(trace, tracesz, "%s: no %s in certificate", m->name,
		    mtls_source_name(m->source));
	else if (applied == 0)
		mtls_fmt(trace, tracesz, "%s: %s '%.200s' does not fit the "
		    "rule", m->name, mtls_source_name(m->source), vals.v[0]);
	else
		mtls_fmt(trace, tracesz, "%s: %s '%.200s' -> %zu account(s)",
		    m->name, mtls_source_name(m->source), vals.v[0], a->n);
	mtls_values_free(&vals);
	return MTLS_OK;
}

static enum mtls_reason
decide_accounts(const struct mtls_map *m, const struct mtls_accounts *a,
    struct mtls_decision *d)
{
	int rc;

	mtls_strlcpy(d->rule, m->name, sizeof(d->rule));
	if (a->n > 1) {
		mtls_check_add(d, "mapping", MTLS_CHECK_FAIL, "rule %s: '%s', "
		    "'%s'%s", m->name, a->name[0], a->name[1],
		    a->n > 2 ? " and more" : "");
		return MTLS_E_AMBIGUOUS_MAPPING;
	}
	mtls_check_add(d, "mapping", MTLS_CHECK_PASS, "rule %s (%s binding) "
	    "-> %s", m->name, m->strong ? "strong" : "weak", a->name[0]);
	rc = nss_user(a->name[0], d->user, sizeof(d->user));
	if (rc <= 0) {
		d->user[0] = '\0';
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s: %s",
		    a->name[0], rc < 0 ? "NSS lookup failed" :
		    "no such account");
		return rc < 0 ? MTLS_E_BACKEND_DOWN : MTLS_E_USER_UNKNOWN;
	}
	mtls_check_add(d, "account", MTLS_CHECK_PASS, "%s exists", d->user);
	return MTLS_OK;
}

static enum mtls_reason
run_rules(struct map_run *run, struct mtls_decision *d)
{
	char trace[768] = "", step[768];
	size_t i;

	for (i = 0; i < run->p->n_maps; i++) {
		struct mtls_accounts a = { 0 };
		enum mtls_reason r;

		r = run_rule(run, run->p->maps[i], &a, step, sizeof(step));
		if (r != MTLS_OK) {
			mtls_check_add(d, "mapping", MTLS_CHECK_FAIL, "%s",
			    step);
			return r;
		}
		if (a.n > 0) {
			if (run->offline)
				mtls_check_add(d, "ldap", MTLS_CHECK_WARN,
				    "%s", step);
			return decide_accounts(run->p->maps[i], &a, d);
		}
		if (strlen(trace) + strlen(step) + 3 < sizeof(trace)) {
			if (trace[0])
				strcat(trace, "; ");
			strcat(trace, step);
		}
	}
	mtls_check_add(d, "mapping", MTLS_CHECK_FAIL, "%s", trace);
	return MTLS_E_NO_MAPPING;
}

enum mtls_reason
mtls_map_identity(const struct mtls_policy *p, X509 *leaf,
    struct mtls_decision *d)
{
	struct map_run run = { p, leaf, NULL, 0 };
	enum mtls_reason r = run_rules(&run, d);

	mtls_ldap_release(run.ld);
	return r;
}
