/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Loading a configuration: read safely, parse, build maps, then the global
 * policy, then each profile as a copy of global with its own overrides. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldap.h>

#include "cfg_int.h"
#include "safe_file.h"
#include "util.h"

static const char *
section_label(const struct cfg_doc *doc, size_t s)
{
	switch (doc->sec[s].kind) {
	case CFG_PROFILE:
		return "[profile]";
	case CFG_MAP:
		return "[map]";
	case CFG_GLOBAL:
		break;
	}
	return "global";
}

static int
is_policy_key(const char *key)
{
	size_t i;

	for (i = 0; mtls_cfg_policy_keys[i] != NULL; i++)
		if (strcmp(mtls_cfg_policy_keys[i], key) == 0)
			return 1;
	return 0;
}

static int
entry_error(const struct mtls_cfg *cfg, const struct cfg_doc *doc,
    const struct cfg_entry *e, int rc, const char *why, char *err,
    size_t errsz)
{
	/* A global key appended at the end of the file lands in the last
	 * section: say where it belongs rather than "unknown key". */
	if (rc == -2 && doc->sec[e->section].kind == CFG_MAP &&
	    is_policy_key(e->key))
		mtls_fmt(err, errsz, "%s:%d: global key '%s' inside [map %s] "
		    "at line %d: move it above the first section", cfg->path,
		    e->line, e->key, doc->sec[e->section].name, e->line);
	else if (rc == -2)
		mtls_fmt(err, errsz, "%s:%d: unknown key '%s' in %s section",
		    cfg->path, e->line, e->key, section_label(doc, e->section));
	else
		mtls_fmt(err, errsz, "%s:%d: %s: %s", cfg->path, e->line,
		    e->key, why);
	return -1;
}

/* The line of key in section s, else in the global section (a profile
 * inherits it from there), else dflt: errors about a file point at the
 * line that names it. */
static int
key_line(const struct cfg_doc *doc, size_t s, const char *key, int dflt)
{
	int line = 0, global = 0;
	size_t i;

	for (i = 0; i < doc->nent; i++) {
		if (strcmp(doc->ent[i].key, key) != 0)
			continue;
		if (doc->ent[i].section == s)
			line = doc->ent[i].line;
		else if (doc->ent[i].section == 0)
			global = doc->ent[i].line;
	}
	return line ? line : global ? global : dflt;
}

static int
build_map(struct mtls_cfg *cfg, const struct cfg_doc *doc, size_t s,
    struct mtls_map *m, char *err, size_t errsz)
{
	char why[512];
	size_t i;
	int pass, rc;

	mtls_strlcpy(m->name, doc->sec[s].name, sizeof(m->name));
	m->line = doc->sec[s].line;
	m->ldap_scope = LDAP_SCOPE_SUBTREE;
	m->ldap_user_attr = "uid";
	/* Two passes so `source` is known before keys that depend on it,
	 * whatever order the file lists them in. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < doc->nent; i++) {
			const struct cfg_entry *e = &doc->ent[i];

			if (e->section != s ||
			    (strcmp(e->key, "source") == 0) != (pass == 0))
				continue;
			rc = cfg_set_map(m, e->key, e->value, why, sizeof(why));
			if (rc != 0)
				return entry_error(cfg, doc, e, rc, why, err,
				    errsz);
		}
	}
	if (!m->has_source || !m->has_lookup) {
		mtls_fmt(err, errsz, "%s:%d: [map %s] needs %s", cfg->path,
		    m->line, m->name, !m->has_source ? "source" : "lookup");
		return -1;
	}
	if ((m->lookup == MTLS_LOOKUP_LDAP) != (m->ldap_filter != NULL)) {
		mtls_fmt(err, errsz, "%s:%d: [map %s]: ldap_filter goes with "
		    "lookup = ldap, and lookup = ldap needs it", cfg->path,
		    m->line, m->name);
		return -1;
	}
	return 0;
}

static int
apply_policy(struct mtls_cfg *cfg, const struct cfg_doc *doc, size_t s,
    struct mtls_policy *p, char *err, size_t errsz)
{
	char why[512];
	size_t i;
	int rc;

	for (i = 0; i < doc->nent; i++) {
		const struct cfg_entry *e = &doc->ent[i];

		if (e->section != s)
			continue;
		rc = cfg_set_policy(p, cfg, e->key, e->value, why, sizeof(why));
		if (rc != 0)
			return entry_error(cfg, doc, e, rc, why, err, errsz);
		if (strcmp(e->key, "map") == 0)
			p->map_line = e->line;
	}
	return 0;
}

static void
add_rev_method(struct mtls_policy *p, enum mtls_rev_method m)
{
	size_t i;

	for (i = 0; i < p->n_revocation; i++)
		if (p->revocation[i] == m)
			return;
	p->revocation[p->n_revocation++] = m;
}

/* The most specific setting wins.  A profile inherits the global
 * revocation, but a source the profile sets itself (crl_file or crl_dir:
 * crl; ocsp_responder: ocsp) is never silently switched off by an inherited
 * `revocation = none`: its method is added after the inherited ones.  A
 * `revocation` written in the profile itself wins outright. */
static void
profile_revocation(const struct cfg_doc *doc, size_t s, struct mtls_policy *p)
{
	int own_crl = 0, own_ocsp = 0;
	size_t i;

	for (i = 0; i < doc->nent; i++) {
		const char *k = doc->ent[i].key;

		if (doc->ent[i].section != s)
			continue;
		if (strcmp(k, "revocation") == 0)
			return;
		own_crl |= strcmp(k, "crl_file") == 0 ||
		    strcmp(k, "crl_dir") == 0;
		own_ocsp |= strcmp(k, "ocsp_responder") == 0;
	}
	if (!own_crl && !own_ocsp)
		return;
	if (!p->revocation_set) {
		/* Nothing written anywhere: start from the default. */
		p->n_revocation = 0;
		p->revocation_set = 1;
		if (p->crl_file != NULL || p->crl_dir != NULL)
			add_rev_method(p, MTLS_REV_CRL);
	}
	if (own_crl)
		add_rev_method(p, MTLS_REV_CRL);
	if (own_ocsp)
		add_rev_method(p, MTLS_REV_OCSP);
}

/* Revocation defaults to CRL when a CRL source is configured; with no
 * source it must be switched off in writing, never silently. */
static int
check_revocation(const struct mtls_cfg *cfg, struct mtls_policy *p,
    int line, char *err, size_t errsz)
{
	const char *where = p->name[0] ? p->name : "global";
	int have_crl = p->crl_file != NULL || p->crl_dir != NULL;
	size_t i;

	if (!p->revocation_set) {
		if (!have_crl) {
			mtls_fmt(err, errsz, "%s:%d: %s: no revocation source: "
			    "set crl_file or crl_dir, or write revocation = "
			    "none", cfg->path, line, where);
			return -1;
		}
		p->revocation[0] = MTLS_REV_CRL;
		p->n_revocation = 1;
	}
	for (i = 0; i < p->n_revocation; i++) {
		if (p->revocation[i] == MTLS_REV_CRL && !have_crl) {
			mtls_fmt(err, errsz, "%s:%d: %s: revocation uses crl "
			    "but neither crl_file nor crl_dir is set",
			    cfg->path, line, where);
			return -1;
		}
		if (p->revocation[i] == MTLS_REV_OCSP &&
		    p->ocsp_responder == NULL && !p->ocsp_use_aia) {
			mtls_fmt(err, errsz, "%s:%d: %s: revocation uses ocsp "
			    "but ocsp_use_aia = no and no ocsp_responder is "
			    "set", cfg->path, line, where);
			return -1;
		}
	}
	return 0;
}

/* An ldap:// URI without StartTLS sends the bind password and every
 * answer in clear text, where anyone on the path can forge who a
 * certificate belongs to: only when the configuration says so. */
static int
check_plaintext(const struct mtls_cfg *cfg, const struct cfg_doc *doc,
    size_t s, const struct mtls_policy *p, int line, char *err, size_t errsz)
{
	const char *u = p->ldap_uri;

	if (u == NULL || p->ldap_starttls || p->ldap_plaintext)
		return 0;
	for (; (u = strstr(u, "ldap://")) != NULL; u++) {
		if (u != p->ldap_uri && u[-1] != ' ' && u[-1] != '\t')
			continue;
		mtls_fmt(err, errsz, "%s:%d: ldap_uri: '%.*s' is plain text: "
		    "use ldaps://, set ldap_starttls = yes, or say "
		    "ldap_plaintext = yes", cfg->path, key_line(doc, s,
		    "ldap_uri", line), (int)strcspn(u, " \t"), u);
		return -1;
	}
	return 0;
}

/* LDAP rules need a server and a base; a bind needs its password file,
 * which is read now (and wiped at free). */
static int
check_ldap(const struct mtls_cfg *cfg, const struct cfg_doc *doc, size_t s,
    struct mtls_policy *p, int line, char *err, size_t errsz)
{
	const char *where = p->name[0] ? p->name : "global";
	char why[512];
	size_t i, len;

	for (i = 0; i < p->n_maps; i++) {
		const struct mtls_map *m = p->maps[i];

		if (m->lookup != MTLS_LOOKUP_LDAP)
			continue;
		if (p->ldap_uri == NULL || (m->ldap_base == NULL &&
		    p->ldap_base == NULL)) {
			mtls_fmt(err, errsz, "%s:%d: %s: map '%s' uses LDAP "
			    "but ldap_uri or ldap_base is not set", cfg->path,
			    m->line, where, m->name);
			return -1;
		}
	}
	if (check_plaintext(cfg, doc, s, p, line, err, errsz) != 0)
		return -1;
	if ((p->ldap_bind_dn == NULL) != (p->ldap_bind_password_file ==
	    NULL)) {
		mtls_fmt(err, errsz, "%s:%d: %s: ldap_bind_dn and "
		    "ldap_bind_password_file go together", cfg->path, line,
		    where);
		return -1;
	}
	if (p->ldap_bind_password_file == NULL)
		return 0;
	if (mtls_read_file(p->ldap_bind_password_file, 4096,
	    MTLS_FILE_SECRET | MTLS_FILE_TEXT, &p->ldap_bind_password, &len,
	    why, sizeof(why)) != 0) {
		mtls_fmt(err, errsz, "%s:%d: ldap_bind_password_file: %s",
		    cfg->path, key_line(doc, s, "ldap_bind_password_file",
		    line), why);
		return -1;
	}
	/* One line; the newline an editor adds is not part of it. */
	p->ldap_bind_password[strcspn(p->ldap_bind_password, "\r\n")] = '\0';
	return 0;
}

/* Entries of crl_dir checked at load: far above what a deployment holds,
 * a bound on the work of one load (revocation.c has its own limit). */
#define MTLS_TRUSTED_DIR_MAX 100000

/* Trusted paths read at decision time (by us, or by libldap) are checked
 * at load too, so a mistake is a configuration error with the key's line
 * rather than a refusal at the first login.  A missing OCSP cache
 * directory is fine: nothing is read from it. */
static int
check_trusted_paths(const struct mtls_cfg *cfg, const struct cfg_doc *doc,
    size_t s, const struct mtls_policy *p, int line, char *err, size_t errsz)
{
	const struct {
		const char *key, *path;
		int kind, entries, optional;
	} t[] = {
		{ "crl_file", p->crl_file, MTLS_SAFE_FILE, 0, 0 },
		{ "crl_dir", p->crl_dir, MTLS_SAFE_DIR, 1, 0 },
		{ "ldap_ca_file", p->ldap_ca_file, MTLS_SAFE_FILE, 0, 0 },
		/* Its entries are checked as each one is read. */
		{ "ocsp_cache_dir", p->ocsp_cache_dir, MTLS_SAFE_DIR, 0, 1 },
	};
	char why[PATH_MAX + 256], res[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].path == NULL)
			continue;
		if (t[i].optional && access(t[i].path, F_OK) != 0 &&
		    errno == ENOENT)
			continue;
		if (t[i].entries ? mtls_safe_dir(t[i].path,
		    MTLS_TRUSTED_DIR_MAX, NULL, NULL, why, sizeof(why)) == 0 :
		    mtls_safe_path(t[i].path, t[i].kind, res, sizeof(res), &st,
		    why, sizeof(why)) == 0)
			continue;
		mtls_fmt(err, errsz, "%s:%d: %s: %s", cfg->path,
		    key_line(doc, s, t[i].key, line), t[i].key, why);
		return -1;
	}
	return 0;
}

/* Checks that hold for a finished policy, whichever section set its keys. */
static int
check_policy(const struct mtls_cfg *cfg, const struct cfg_doc *doc, size_t s,
    struct mtls_policy *p, int line, char *err, size_t errsz)
{
	const char *where = p->name[0] ? p->name : "global";
	size_t i;

	if (p->ca_file == NULL && p->ca_dir == NULL) {
		mtls_fmt(err, errsz, "%s:%d: %s: no trust anchors: set ca_file "
		    "or ca_dir", cfg->path, line, where);
		return -1;
	}
	if (p->n_maps == 0) {
		mtls_fmt(err, errsz, "%s:%d: %s: no mapping rules: set map = "
		    "NAME[, NAME...]", cfg->path, line, where);
		return -1;
	}
	if (check_revocation(cfg, p, line, err, errsz) != 0 ||
	    check_ldap(cfg, doc, s, p, line, err, errsz) != 0 ||
	    check_trusted_paths(cfg, doc, s, p, line, err, errsz) != 0)
		return -1;
	for (i = 0; p->require_strong && i < p->n_maps; i++) {
		if (!p->maps[i]->strong) {
			mtls_fmt(err, errsz, "%s:%d: %s: require_binding = "
			    "strong, but map '%s' (source %s) is weak",
			    cfg->path, p->map_line ? p->map_line : line, where,
			    p->maps[i]->name,
			    mtls_source_name(p->maps[i]->source));
			return -1;
		}
	}
	return 0;
}

static int
finish_policy(struct mtls_cfg *cfg, const struct cfg_doc *doc, size_t s,
    struct mtls_policy *p, int line, char *err, size_t errsz)
{
	const char *key = "ca_file";
	char why[512];

	if (check_policy(cfg, doc, s, p, line, err, errsz) != 0)
		return -1;
	if (cfg_build_store(p, &key, why, sizeof(why)) != 0) {
		mtls_fmt(err, errsz, "%s:%d: %s: %s", cfg->path,
		    key_line(doc, s, key, line), key, why);
		return -1;
	}
	return 0;
}

static size_t
count_kind(const struct cfg_doc *doc, enum cfg_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < doc->nsec; i++)
		n += doc->sec[i].kind == kind;
	return n;
}

static int
build(struct mtls_cfg *cfg, const struct cfg_doc *doc, char *err,
    size_t errsz)
{
	size_t i;

	cfg->maps = calloc(count_kind(doc, CFG_MAP) + 1, sizeof(*cfg->maps));
	cfg->profiles = calloc(count_kind(doc, CFG_PROFILE) + 1,
	    sizeof(*cfg->profiles));
	if (cfg->maps == NULL || cfg->profiles == NULL) {
		mtls_fmt(err, errsz, "%s: out of memory", cfg->path);
		return -1;
	}
	for (i = 0; i < doc->nsec; i++) {
		if (doc->sec[i].kind != CFG_MAP)
			continue;
		if (build_map(cfg, doc, i, &cfg->maps[cfg->n_maps++], err,
		    errsz) != 0)
			return -1;
	}
	cfg_policy_defaults(&cfg->global);
	if (apply_policy(cfg, doc, 0, &cfg->global, err, errsz) != 0)
		return -1;
	for (i = 0; i < doc->nsec; i++) {
		struct mtls_policy *p;

		if (doc->sec[i].kind != CFG_PROFILE)
			continue;
		p = &cfg->profiles[cfg->n_profiles++];
		*p = cfg->global;
		mtls_strlcpy(p->name, doc->sec[i].name, sizeof(p->name));
		if (apply_policy(cfg, doc, i, p, err, errsz) != 0)
			return -1;
		profile_revocation(doc, i, p);
		if (finish_policy(cfg, doc, i, p, doc->sec[i].line, err,
		    errsz) != 0)
			return -1;
	}
	return finish_policy(cfg, doc, 0, &cfg->global, 0, err, errsz);
}

struct mtls_cfg *
mtls_cfg_load(const char *path, char *err, size_t errsz)
{
	struct mtls_cfg *cfg;
	struct cfg_doc doc;
	size_t len;
	int rc;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		return NULL;
	}
	if (mtls_strlcpy(cfg->path, path, sizeof(cfg->path)) != 0) {
		mtls_fmt(err, errsz, "configuration path too long");
		free(cfg);
		return NULL;
	}
	/* Every file read from here on is recorded: the cache compares them. */
	mtls_read_file_record(&cfg->deps);
	if (mtls_read_file(path, MTLS_CONFIG_MAX,
	    MTLS_FILE_TRUSTED | MTLS_FILE_TEXT, &cfg->text, &len, err,
	    errsz) != 0) {
		mtls_read_file_record(NULL);
		mtls_file_ids_free(&cfg->deps);
		free(cfg);
		return NULL;
	}
	rc = cfg_parse_text(cfg->path, cfg->text, &doc, err, errsz);
	if (rc == 0)
		rc = build(cfg, &doc, err, errsz);
	mtls_read_file_record(NULL);
	cfg_doc_free(&doc);
	if (rc != 0) {
		mtls_cfg_free(cfg);
		return NULL;
	}
	return cfg;
}

void
mtls_cfg_free(struct mtls_cfg *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n_profiles; i++)
		cfg_free_store(&cfg->profiles[i]);
	cfg_free_store(&cfg->global);
	for (i = 0; i < cfg->n_maps; i++) {
		if (cfg->maps[i].has_match)
			regfree(&cfg->maps[i].match);
		mapfile_free(&cfg->maps[i].file);
	}
	free(cfg->maps);
	free(cfg->profiles);
	free(cfg->text);
	mtls_file_ids_free(&cfg->deps);
	free(cfg);
}

const struct mtls_policy *
mtls_cfg_policy(const struct mtls_cfg *cfg, const char *name)
{
	size_t i;

	if (name == NULL)
		return &cfg->global;
	for (i = 0; i < cfg->n_profiles; i++)
		if (strcmp(cfg->profiles[i].name, name) == 0)
			return &cfg->profiles[i];
	return NULL;
}
