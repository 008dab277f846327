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

/* Merges one value's accounts into the rule's. */
static void
accounts_merge(struct mtls_accounts *to, const struct mtls_accounts *from)
{
	size_t i;

	for (i = 0; i < from->n && i < MTLS_ACCOUNTS_MAX; i++)
		mtls_accounts_add_uid(to, from->name[i], from->uid[i]);
	if (from->n > MTLS_ACCOUNTS_MAX)
		to->n = MTLS_ACCOUNTS_MAX + 1;
}

/* True when name is an item of the comma list (items trimmed). */
static int
in_list(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == len && strncmp(p, name, n) == 0)
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int
mtls_account_allowed(const struct mtls_policy *p, const char *name,
    unsigned long uid, char *why, size_t whysz)
{
	if (p->deny_users != NULL && in_list(p->deny_users, name)) {
		mtls_fmt(why, whysz, "%s is listed in deny_users", name);
		return -1;
	}
	if (uid < (unsigned long)p->min_uid) {
		mtls_fmt(why, whysz, "%s has uid %lu, below min_uid %ld", name,
		    uid, p->min_uid);
		return -1;
	}
	return 0;
}

/* getpwnam_r with a growing buffer; 1 found, 0 absent, -1 NSS error. */
static int
nss_user(const char *name, char *canon, size_t canonsz, unsigned long *uid)
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
	if (rc == 0 && res != NULL) {
		if (canon != NULL)
			mtls_strlcpy(canon, res->pw_name, canonsz);
		if (uid != NULL)
			*uid = res->pw_uid;
	}
	free(buf);
	if (rc != 0 && rc != ENOENT && rc != ESRCH)
		return -1;
	return res != NULL;
}

int
mtls_account_lookup(const char *name, char *canon, size_t canonsz,
    unsigned long *uid)
{
	return nss_user(name, canon, canonsz, uid);
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
		rc = nss_user(key, canon, sizeof(canon), NULL);
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

/* LDAP unreachable: the certificate index of the cache, if allowed and if
 * the cache can answer what this rule's filter asks (else fail closed). */
static int
offline(struct map_run *run, const struct mtls_map *m,
    struct mtls_accounts *a, char *err, size_t errsz)
{
	char why[512];
	size_t n = strlen(err);

	if (!run->p->ldap_offline_cache)
		return -1;
	if (mtls_cache_answers_rule(run->p, m, why, sizeof(why)) != 0 ||
	    mtls_cache_cert_lookup(run->p, run->leaf, a, why,
	    sizeof(why)) != 0) {
		mtls_fmt(err + n, errsz - n, "; cache: %s", why);
		return -1;
	}
	mtls_fmt(err + n, errsz - n, "; answered from the cache");
	run->offline = 1;
	return 0;
}

/* cn and upn each name one identity: several cannot all be it. */
static int
single_identity(enum mtls_source s)
{
	return s == MTLS_SRC_CN || s == MTLS_SRC_UPN;
}

/* The certificate's values of the rule's source, or a refusal. */
static enum mtls_reason
rule_values(struct map_run *run, const struct mtls_map *m,
    struct mtls_values *vals, char *trace, size_t tracesz)
{
	const char *src = mtls_source_name(m->source);
	enum mtls_reason r;

	r = mtls_identity_values(run->leaf, m->source, vals);
	if (r != MTLS_OK) {
		if (vals->too_many)
			mtls_fmt(trace, tracesz, "%s: more than %d %s values "
			    "(the limit)", m->name, MTLS_VALUES_MAX, src);
		else
			mtls_fmt(trace, tracesz, "%s: %s value with control "
			    "bytes", m->name, src);
		return r;
	}
	if (vals->n > 1 && single_identity(m->source)) {
		mtls_fmt(trace, tracesz, "%s: %zu %s values ('%.100s', "
		    "'%.100s'); a %s names one identity", m->name, vals->n,
		    src, vals->v[0], vals->v[1], src);
		mtls_values_free(vals);
		return MTLS_E_AMBIGUOUS_MAPPING;
	}
	return MTLS_OK;
}

/* Runs one rule; the trace says what it saw, for the record.  Every value
 * that fits the rule is looked up: a value that maps to nobody while
 * another maps is as ambiguous as two accounts. */
static enum mtls_reason
run_rule(struct map_run *run, const struct mtls_map *m,
    struct mtls_accounts *a, char *trace, size_t tracesz)
{
	struct mtls_values vals;
	enum mtls_reason r;
	char key[MTLS_VALUE_MAX + 1], err[1024] = "";
	const char *src = mtls_source_name(m->source), *lost = NULL;
	size_t i, applied = 0;

	if ((r = rule_values(run, m, &vals, trace, tracesz)) != MTLS_OK)
		return r;
	for (i = 0; i < vals.n; i++) {
		struct mtls_accounts va;

		memset(&va, 0, sizeof(va));
		if (mtls_map_transform(m, vals.v[i], key, sizeof(key)) != 0)
			continue;
		applied++;
		if (lookup(run, m, key, &va, err, sizeof(err)) != 0) {
			memset(a, 0, sizeof(*a));
			if (m->lookup == MTLS_LOOKUP_LDAP &&
			    offline(run, m, a, err, sizeof(err)) == 0) {
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
		if (va.n == 0 && lost == NULL)
			lost = vals.v[i];
		accounts_merge(a, &va);
	}
	if (a->n > 0 && lost != NULL) {
		mtls_fmt(trace, tracesz, "%s: %s '%.200s' maps to no account "
		    "while another %s maps to '%s'", m->name, src, lost, src,
		    a->name[0]);
		mtls_values_free(&vals);
		return MTLS_E_AMBIGUOUS_MAPPING;
	}
	if (vals.n == 0)
		mtls_fmt(trace, tracesz, "%s: no %s in certificate", m->name,
		    src);
	else if (applied == 0)
		mtls_fmt(trace, tracesz, "%s: %s '%.200s' does not fit the "
		    "rule", m->name, src, vals.v[0]);
	else
		mtls_fmt(trace, tracesz, "%s: %s '%.200s'%s -> %zu account(s)",
		    m->name, src, vals.v[0], applied > 1 ? " and others" : "",
		    a->n);
	mtls_values_free(&vals);
	return MTLS_OK;
}

/* The account NSS resolved must be the one the rule found (for LDAP, the
 * entry's own uidNumber) and one the policy may hand out. */
static enum mtls_reason
check_account(const struct mtls_policy *p, const struct mtls_accounts *a,
    unsigned long uid, struct mtls_decision *d)
{
	char why[512];

	if (a->uid[0] == MTLS_UID_INVALID) {
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s: the directory "
		    "entry has no single valid uidNumber", a->name[0]);
		return MTLS_E_USER_UNKNOWN;
	}
	if (a->uid[0] != MTLS_UID_NSS && (unsigned long)a->uid[0] != uid) {
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s: the directory "
		    "entry has uid %ld but the name resolves to uid %lu: it "
		    "collides with another (local) account", a->name[0],
		    a->uid[0], uid);
		return MTLS_E_USER_UNKNOWN;
	}
	if (mtls_account_allowed(p, a->name[0], uid, why, sizeof(why)) != 0 ||
	    mtls_account_allowed(p, d->user, uid, why, sizeof(why)) != 0) {
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s", why);
		return MTLS_E_USER_UNKNOWN;
	}
	return MTLS_OK;
}

static enum mtls_reason
decide_accounts(const struct mtls_policy *p, const struct mtls_map *m,
    const struct mtls_accounts *a, struct mtls_decision *d)
{
	enum mtls_reason r;
	unsigned long uid = 0;
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
	rc = nss_user(a->name[0], d->user, sizeof(d->user), &uid);
	if (rc <= 0) {
		d->user[0] = '\0';
		mtls_check_add(d, "account", MTLS_CHECK_FAIL, "%s: %s",
		    a->name[0], rc < 0 ? "NSS lookup failed" :
		    "no such account");
		return rc < 0 ? MTLS_E_BACKEND_DOWN : MTLS_E_USER_UNKNOWN;
	}
	if ((r = check_account(p, a, uid, d)) != MTLS_OK) {
		d->user[0] = '\0';
		return r;
	}
	mtls_check_add(d, "account", MTLS_CHECK_PASS, "%s exists (uid %lu)",
	    d->user, uid);
	d->uid = uid;
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
			return decide_accounts(run->p, run->p->maps[i], &a,
			    d);
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
