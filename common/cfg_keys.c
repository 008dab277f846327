/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Every configuration key: its default, its parser and its range.  The key
 * tables are exported so tests can check the man page documents them all. */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <ldap.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "cfg_int.h"
#include "crl_index_format.h"
#include "crl_url.h"
#include "ldap_filter.h"
#include "mapfile.h"
#include "regex_cost.h"
#include "util.h"

/* Appends NAME to the comma list in LIST: "one of" messages are built from
 * the tables the parser matches against, so a new row cannot be forgotten
 * in the message. */
static void
append_name(char *list, size_t size, const char *name)
{
	size_t len = strlen(list);

	mtls_fmt(list + len, size - len, "%s%s", len > 0 ? ", " : "", name);
}

/* Splits a comma list in place-free fashion: calls fn for each trimmed item. */
typedef int (*item_fn)(void *ctx, const char *item, char *err, size_t errsz);

static int
for_each_item(const char *value, item_fn fn, void *ctx, char *err,
    size_t errsz)
{
	char item[256];
	const char *p = value;

	while (*p != '\0') {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		size_t a = 0;

		while (a < n && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (n > a && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == a || n - a >= sizeof(item)) {
			mtls_fmt(err, errsz, "empty or overlong list item");
			return -1;
		}
		memcpy(item, p + a, n - a);
		item[n - a] = '\0';
		if (fn(ctx, item, err, errsz) != 0)
			return -1;
		if (end == NULL)
			break;
		p = end + 1;
		if (*p == '\0') {
			mtls_fmt(err, errsz, "trailing comma");
			return -1;
		}
	}
	return 0;
}

static int
parse_bool(const char *v, int *out, char *err, size_t errsz)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
		*out = 0;
	else {
		mtls_fmt(err, errsz, "'%s' is not yes or no", v);
		return -1;
	}
	return 0;
}

static int
parse_num(const char *v, long min, long max, long *out, char *err,
    size_t errsz)
{
	if (mtls_parse_long(v, min, max, out) != 0) {
		mtls_fmt(err, errsz, "'%s' is not a number from %ld to %ld",
		    v, min, max);
		return -1;
	}
	return 0;
}

static int
parse_path(const char *v, const char **out, char *err, size_t errsz)
{
	if (v[0] != '/') {
		mtls_fmt(err, errsz, "'%s' is not an absolute path", v);
		return -1;
	}
	*out = v;
	return 0;
}

/* --- require_eku --- */

static int
add_eku(void *ctx, const char *item, char *err, size_t errsz)
{
	struct mtls_policy *p = ctx;
	ASN1_OBJECT *obj;
	int numeric = strspn(item, "0123456789.") == strlen(item);

	if (p->n_eku == MTLS_LIST_MAX) {
		mtls_fmt(err, errsz, "more than %d purposes", MTLS_LIST_MAX);
		return -1;
	}
	obj = OBJ_txt2obj(item, numeric ? 1 : 0);
	if (obj == NULL) {
		mtls_fmt(err, errsz,
		    "'%s' is not a known purpose name or dotted OID", item);
		return -1;
	}
	if (OBJ_obj2txt(p->eku[p->n_eku], MTLS_OID_MAX, obj, 1) <= 0) {
		ASN1_OBJECT_free(obj);
		mtls_fmt(err, errsz, "'%s': OID too long", item);
		return -1;
	}
	ASN1_OBJECT_free(obj);
	p->n_eku++;
	return 0;
}

static int
set_eku(struct mtls_policy *p, const char *v, char *err, size_t errsz)
{
	p->n_eku = 0;
	if (strcmp(v, "none") == 0)
		return 0;
	return for_each_item(v, add_eku, p, err, errsz);
}

/* --- require_key_usage --- */

static const struct {
	const char *name;
	unsigned long bit;
} ku_names[] = {
	{ "digitalSignature", KU_DIGITAL_SIGNATURE },
	{ "nonRepudiation", KU_NON_REPUDIATION },
	{ "contentCommitment", KU_NON_REPUDIATION },
	{ "keyEncipherment", KU_KEY_ENCIPHERMENT },
	{ "dataEncipherment", KU_DATA_ENCIPHERMENT },
	{ "keyAgreement", KU_KEY_AGREEMENT },
};

static int
add_ku(void *ctx, const char *item, char *err, size_t errsz)
{
	unsigned long *mask = ctx;
	size_t i;

	for (i = 0; i < sizeof(ku_names) / sizeof(ku_names[0]); i++) {
		if (strcmp(item, ku_names[i].name) == 0) {
			*mask |= ku_names[i].bit;
			return 0;
		}
	}
	mtls_fmt(err, errsz, "'%s' is not a key usage name", item);
	return -1;
}

static int
set_ku(struct mtls_policy *p, const char *v, char *err, size_t errsz)
{
	p->key_usage = 0;
	if (strcmp(v, "none") == 0)
		return 0;
	return for_each_item(v, add_ku, &p->key_usage, err, errsz);
}

/* --- allowed_curves --- */

static const struct {
	const char *name;
	unsigned bit;
} curve_names[] = {
	{ "P-256", MTLS_CURVE_P256 },
	{ "P-384", MTLS_CURVE_P384 },
	{ "P-521", MTLS_CURVE_P521 },
	{ "Ed25519", MTLS_CURVE_ED25519 },
	{ "Ed448", MTLS_CURVE_ED448 },
};

static int
add_curve(void *ctx, const char *item, char *err, size_t errsz)
{
	unsigned *mask = ctx;
	char names[128];
	size_t i;

	for (i = 0; i < sizeof(curve_names) / sizeof(curve_names[0]); i++) {
		if (strcmp(item, curve_names[i].name) == 0) {
			*mask |= curve_names[i].bit;
			return 0;
		}
	}
	names[0] = '\0';
	for (i = 0; i < sizeof(curve_names) / sizeof(curve_names[0]); i++)
		append_name(names, sizeof(names), curve_names[i].name);
	mtls_fmt(err, errsz, "'%s' is not one of %s", item, names);
	return -1;
}

static int
set_curves(struct mtls_policy *p, const char *v, char *err, size_t errsz)
{
	p->curves = 0;
	if (strcmp(v, "none") == 0)
		return 0;
	return for_each_item(v, add_curve, &p->curves, err, errsz);
}

/* --- map (list of rule names, resolved against the [map] sections) --- */

struct map_ctx {
	struct mtls_policy *p;
	const struct mtls_cfg *cfg;
};

static int
add_map(void *vctx, const char *item, char *err, size_t errsz)
{
	struct map_ctx *ctx = vctx;
	size_t i;

	if (ctx->p->n_maps == MTLS_LIST_MAX) {
		mtls_fmt(err, errsz, "more than %d map rules", MTLS_LIST_MAX);
		return -1;
	}
	for (i = 0; i < ctx->p->n_maps; i++) {
		if (strcmp(ctx->p->maps[i]->name, item) == 0) {
			mtls_fmt(err, errsz, "map '%s' listed twice", item);
			return -1;
		}
	}
	for (i = 0; i < ctx->cfg->n_maps; i++) {
		if (strcmp(ctx->cfg->maps[i].name, item) == 0) {
			ctx->p->maps[ctx->p->n_maps++] = &ctx->cfg->maps[i];
			return 0;
		}
	}
	mtls_fmt(err, errsz, "no [map %s] section", item);
	return -1;
}

static int
set_maps(struct mtls_policy *p, const struct mtls_cfg *cfg, const char *v,
    char *err, size_t errsz)
{
	struct map_ctx ctx = { p, cfg };

	p->n_maps = 0;
	return for_each_item(v, add_map, &ctx, err, errsz);
}

/* --- deny_users: account names no mapping may yield --- */

static int
check_user_item(void *ctx, const char *item, char *err, size_t errsz)
{
	(void)ctx;
	if (!mtls_valid_username(item)) {
		mtls_fmt(err, errsz, "'%s' is not a valid user name", item);
		return -1;
	}
	return 0;
}

static int
set_deny_users(struct mtls_policy *p, const char *v, char *err,
    size_t errsz)
{
	if (strcmp(v, "none") == 0) {
		p->deny_users = NULL;
		return 0;
	}
	if (for_each_item(v, check_user_item, NULL, err, errsz) != 0)
		return -1;
	p->deny_users = v;
	return 0;
}

/* --- revocation --- */

static int
add_method(void *ctx, const char *item, char *err, size_t errsz)
{
	struct mtls_policy *p = ctx;
	enum mtls_rev_method m;
	size_t i;

	if (strcmp(item, "crl") == 0)
		m = MTLS_REV_CRL;
	else if (strcmp(item, "ocsp") == 0)
		m = MTLS_REV_OCSP;
	else {
		mtls_fmt(err, errsz, "'%s' is not none, crl or ocsp", item);
		return -1;
	}
	for (i = 0; i < p->n_revocation; i++) {
		if (p->revocation[i] == m) {
			mtls_fmt(err, errsz, "'%s' listed twice", item);
			return -1;
		}
	}
	p->revocation[p->n_revocation++] = m;
	return 0;
}

static int
set_revocation(struct mtls_policy *p, const char *v, char *err, size_t errsz)
{
	p->n_revocation = 0;
	p->revocation_set = 1;
	if (strcmp(v, "none") == 0)
		return 0;
	return for_each_item(v, add_method, p, err, errsz);
}

static int
set_choice(const char *v, const char *a, const char *b, int *out, char *err,
    size_t errsz)
{
	if (strcmp(v, a) != 0 && strcmp(v, b) != 0) {
		mtls_fmt(err, errsz, "'%s' is not '%s' or '%s'", v, a, b);
		return -1;
	}
	*out = strcmp(v, b) == 0;
	return 0;
}

const char *const mtls_cfg_policy_keys[] = {
	"ca_file", "ca_dir", "intermediates_file", "max_depth", "clock_skew",
	"require_eku", "require_key_usage", "min_rsa_bits", "allowed_curves",
	"allow_sha1", "expiry_warning_days", "require_binding", "revocation",
	"revocation_fail", "crl_file", "crl_dir", "crl_max_age", "crl_check",
	"ocsp_responder", "ocsp_use_aia", "ocsp_timeout", "ocsp_nonce",
	"ocsp_cache_dir", "ldap_uri", "ldap_base", "ldap_starttls",
	"ldap_ca_file", "ldap_bind_dn", "ldap_bind_password_file",
	"ldap_network_timeout", "ldap_timeout", "ldap_offline", "cache_dir",
	"sync_user_base", "sync_group_base", "sync_user_filter",
	"sync_group_filter", "challenge_window", "ssh_cert_dir",
	"ssh_ldap_filter", "map", "ocsp_max_age", "min_uid", "min_gid",
	"deny_users", "crl_url", "crl_warning_hours", "ldap_plaintext",
	"crl_cache_dir", NULL
};

void
cfg_policy_defaults(struct mtls_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->max_depth = 4;
	p->clock_skew = 300;
	mtls_strlcpy(p->eku[0], "1.3.6.1.5.5.7.3.2", MTLS_OID_MAX);
	p->n_eku = 1;
	p->key_usage = KU_DIGITAL_SIGNATURE;
	p->min_rsa_bits = 2048;
	p->curves = MTLS_CURVE_P256 | MTLS_CURVE_P384 | MTLS_CURVE_P521 |
	    MTLS_CURVE_ED25519;
	p->allow_sha1 = 0;
	p->expiry_warning_days = 14;
	p->require_strong = 0;
	p->crl_check_chain = 1;
	p->ocsp_use_aia = 1;
	p->ocsp_timeout = 3;
	p->ocsp_nonce = 1;
	p->ocsp_max_age = 300;
	p->ldap_network_timeout = 5;
	p->ldap_timeout = 5;
	p->cache_dir = "/var/lib/mtls";
	p->sync_user_filter = "(objectClass=posixAccount)";
	p->sync_group_filter = "(objectClass=posixGroup)";
	p->challenge_window = 120;
	p->min_uid = 1000;
	p->min_gid = 1000;
	p->deny_users = "root";
	p->crl_warning_hours = 24;
	p->crl_cache_dir = MTLS_CRLIDX_DIR;
	p->ldap_plaintext = 0;
}

static int
parse_text(const char *v, const char **out, char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	*out = v;
	return 0;
}

static int
parse_filter(const char *v, const char **out, char *err, size_t errsz)
{
	if (mtls_ldap_template_check(v, err, errsz) != 0)
		return -1;
	*out = v;
	return 0;
}

static int
parse_uris(const char *v, const char **out, char *err, size_t errsz)
{
	char copy[1024], *save = NULL, *u;

	if (mtls_strlcpy(copy, v, sizeof(copy)) != 0) {
		mtls_fmt(err, errsz, "URI list too long");
		return -1;
	}
	for (u = strtok_r(copy, " \t", &save); u != NULL;
	    u = strtok_r(NULL, " \t", &save)) {
		if (strncmp(u, "ldap://", 7) != 0 &&
		    strncmp(u, "ldaps://", 8) != 0) {
			mtls_fmt(err, errsz, "'%s' is not an ldap:// or "
			    "ldaps:// URI", u);
			return -1;
		}
	}
	*out = v;
	return 0;
}

/* Keys of the LDAP connection and of mtls-sync. */
static int
set_ldap_key(struct mtls_policy *p, const char *key, const char *v,
    char *err, size_t errsz)
{
	if (strcmp(key, "ldap_uri") == 0)
		return parse_uris(v, &p->ldap_uri, err, errsz);
	if (strcmp(key, "ldap_base") == 0)
		return parse_text(v, &p->ldap_base, err, errsz);
	if (strcmp(key, "ldap_starttls") == 0)
		return parse_bool(v, &p->ldap_starttls, err, errsz);
	if (strcmp(key, "ldap_plaintext") == 0)
		return parse_bool(v, &p->ldap_plaintext, err, errsz);
	if (strcmp(key, "ldap_ca_file") == 0)
		return parse_path(v, &p->ldap_ca_file, err, errsz);
	if (strcmp(key, "ldap_bind_dn") == 0)
		return parse_text(v, &p->ldap_bind_dn, err, errsz);
	if (strcmp(key, "ldap_bind_password_file") == 0)
		return parse_path(v, &p->ldap_bind_password_file, err, errsz);
	if (strcmp(key, "ldap_network_timeout") == 0)
		return parse_num(v, 1, 60, &p->ldap_network_timeout, err,
		    errsz);
	if (strcmp(key, "ldap_timeout") == 0)
		return parse_num(v, 1, 300, &p->ldap_timeout, err, errsz);
	if (strcmp(key, "ldap_offline") == 0)
		return set_choice(v, "fail", "cache", &p->ldap_offline_cache,
		    err, errsz);
	if (strcmp(key, "cache_dir") == 0)
		return parse_path(v, &p->cache_dir, err, errsz);
	if (strcmp(key, "sync_user_base") == 0)
		return parse_text(v, &p->sync_user_base, err, errsz);
	if (strcmp(key, "sync_group_base") == 0)
		return parse_text(v, &p->sync_group_base, err, errsz);
	if (strcmp(key, "sync_user_filter") == 0)
		return parse_filter(v, &p->sync_user_filter, err, errsz);
	if (strcmp(key, "sync_group_filter") == 0)
		return parse_filter(v, &p->sync_group_filter, err, errsz);
	if (strcmp(key, "challenge_window") == 0)
		return parse_num(v, 10, 3600, &p->challenge_window, err, errsz);
	if (strcmp(key, "ssh_cert_dir") == 0)
		return parse_path(v, &p->ssh_cert_dir, err, errsz);
	if (strcmp(key, "ssh_ldap_filter") == 0) {
		const char *b;

		/* Only the user name is known when sshd asks: {key}. */
		for (b = strchr(v, '{'); b != NULL; b = strchr(b + 1, '{'))
			if (strncmp(b, "{key}", 5) != 0) {
				mtls_fmt(err, errsz, "only {key} (the user name) "
				    "can be used here");
				return -1;
			}
		return parse_filter(v, &p->ssh_ldap_filter, err, errsz);
	}
	return -2;
}

int
cfg_set_policy(struct mtls_policy *p, const struct mtls_cfg *cfg,
    const char *key, const char *v, char *err, size_t errsz)
{
	if (strcmp(key, "ca_file") == 0)
		return parse_path(v, &p->ca_file, err, errsz);
	if (strcmp(key, "ca_dir") == 0)
		return parse_path(v, &p->ca_dir, err, errsz);
	if (strcmp(key, "intermediates_file") == 0)
		return parse_path(v, &p->intermediates_file, err, errsz);
	if (strcmp(key, "max_depth") == 0)
		return parse_num(v, 0, 16, &p->max_depth, err, errsz);
	if (strcmp(key, "clock_skew") == 0)
		return parse_num(v, 0, 86400, &p->clock_skew, err, errsz);
	if (strcmp(key, "require_eku") == 0)
		return set_eku(p, v, err, errsz);
	if (strcmp(key, "require_key_usage") == 0)
		return set_ku(p, v, err, errsz);
	if (strcmp(key, "min_rsa_bits") == 0)
		return parse_num(v, 1024, 16384, &p->min_rsa_bits, err,
		    errsz);
	if (strcmp(key, "allowed_curves") == 0)
		return set_curves(p, v, err, errsz);
	if (strcmp(key, "allow_sha1") == 0)
		return parse_bool(v, &p->allow_sha1, err, errsz);
	if (strcmp(key, "expiry_warning_days") == 0)
		return parse_num(v, 0, 3650, &p->expiry_warning_days, err,
		    errsz);
	if (strcmp(key, "require_binding") == 0)
		return set_choice(v, "any", "strong", &p->require_strong, err,
		    errsz);
	if (strcmp(key, "revocation") == 0)
		return set_revocation(p, v, err, errsz);
	if (strcmp(key, "revocation_fail") == 0)
		return set_choice(v, "closed", "soft", &p->revocation_soft,
		    err, errsz);
	if (strcmp(key, "crl_file") == 0)
		return parse_path(v, &p->crl_file, err, errsz);
	if (strcmp(key, "crl_dir") == 0)
		return parse_path(v, &p->crl_dir, err, errsz);
	if (strcmp(key, "crl_max_age") == 0)
		return parse_num(v, 0, 30L * 86400, &p->crl_max_age, err,
		    errsz);
	if (strcmp(key, "crl_check") == 0)
		return set_choice(v, "leaf", "chain", &p->crl_check_chain,
		    err, errsz);
	if (strcmp(key, "ocsp_responder") == 0) {
		if (strncmp(v, "http://", 7) != 0) {
			mtls_fmt(err, errsz, "'%s' is not an http:// URL", v);
			return -1;
		}
		p->ocsp_responder = v;
		return 0;
	}
	if (strcmp(key, "ocsp_use_aia") == 0)
		return parse_bool(v, &p->ocsp_use_aia, err, errsz);
	if (strcmp(key, "ocsp_timeout") == 0)
		return parse_num(v, 1, 60, &p->ocsp_timeout, err, errsz);
	if (strcmp(key, "ocsp_nonce") == 0)
		return parse_bool(v, &p->ocsp_nonce, err, errsz);
	if (strcmp(key, "ocsp_cache_dir") == 0)
		return parse_path(v, &p->ocsp_cache_dir, err, errsz);
	if (strcmp(key, "ocsp_max_age") == 0)
		return parse_num(v, 0, 86400, &p->ocsp_max_age, err, errsz);
	if (strcmp(key, "map") == 0)
		return set_maps(p, cfg, v, err, errsz);
	if (strcmp(key, "min_uid") == 0)
		return parse_num(v, 0, 4294967294L, &p->min_uid, err, errsz);
	if (strcmp(key, "min_gid") == 0)
		return parse_num(v, 0, 4294967294L, &p->min_gid, err, errsz);
	if (strcmp(key, "deny_users") == 0)
		return set_deny_users(p, v, err, errsz);
	if (strcmp(key, "crl_url") == 0) {
		if (mtls_crl_url_check(v, err, errsz) != 0)
			return -1;
		p->crl_url = v;
		return 0;
	}
	if (strcmp(key, "crl_cache_dir") == 0) {
		if (strcmp(v, "none") == 0) {
			p->crl_cache_dir = NULL;
			return 0;
		}
		return parse_path(v, &p->crl_cache_dir, err, errsz);
	}
	if (strcmp(key, "crl_warning_hours") == 0)
		return parse_num(v, 0, 8760, &p->crl_warning_hours, err,
		    errsz);
	return set_ldap_key(p, key, v, err, errsz);
}

/* --- [map NAME] keys --- */

static const char *const source_names[] = {
	[MTLS_SRC_CN] = "cn",
	[MTLS_SRC_SUBJECT] = "subject",
	[MTLS_SRC_EMAIL] = "email",
	[MTLS_SRC_UPN] = "upn",
	[MTLS_SRC_DNS] = "dns",
	[MTLS_SRC_URI] = "uri",
	[MTLS_SRC_FINGERPRINT] = "fingerprint",
	[MTLS_SRC_ISSUER_SERIAL] = "issuer_serial",
};

const char *
mtls_source_name(enum mtls_source s)
{
	if ((size_t)s >= sizeof(source_names) / sizeof(source_names[0]))
		return "?";
	return source_names[s];
}

static int
source_is_strong(enum mtls_source s)
{
	return s == MTLS_SRC_FINGERPRINT || s == MTLS_SRC_ISSUER_SERIAL;
}

static int
set_source(struct mtls_map *m, const char *v, char *err, size_t errsz)
{
	char names[128];
	size_t i;

	for (i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++) {
		if (strcmp(v, source_names[i]) == 0) {
			m->source = (enum mtls_source)i;
			m->has_source = 1;
			m->strong = source_is_strong(m->source);
			return 0;
		}
	}
	names[0] = '\0';
	for (i = 0; i < sizeof(source_names) / sizeof(source_names[0]); i++)
		append_name(names, sizeof(names), source_names[i]);
	mtls_fmt(err, errsz, "'%s' is not one of %s", v, names);
	return -1;
}

static int
set_match(struct mtls_map *m, const char *v, char *err, size_t errsz)
{
	char buf[128];
	int rc;

	if (mtls_regex_cost_ok(v) != 0) {
		mtls_fmt(err, errsz, "regular expression too costly to "
		    "compile: a repetition of a repetition, or over %d "
		    "elements once repetitions are spelled out",
		    MTLS_REGEX_COST_MAX);
		return -1;
	}
	if ((rc = regcomp(&m->match, v, REG_EXTENDED)) != 0) {
		regerror(rc, &m->match, buf, sizeof(buf));
		mtls_fmt(err, errsz, "bad regular expression: %s", buf);
		return -1;
	}
	m->has_match = 1;
	if (m->match.re_nsub != 1) {
		mtls_fmt(err, errsz,
		    "match must have exactly one capture group (has %zu)",
		    m->match.re_nsub);
		return -1;
	}
	return 0;
}

static int
set_lookup(struct mtls_map *m, const char *v, char *err, size_t errsz)
{
	if (strcmp(v, "local") == 0) {
		m->lookup = MTLS_LOOKUP_LOCAL;
	} else if (strncmp(v, "file:", 5) == 0) {
		m->lookup = MTLS_LOOKUP_FILE;
		if (mapfile_load(&m->file, v + 5, err, errsz) != 0)
			return -1;
	} else if (strcmp(v, "ldap") == 0) {
		m->lookup = MTLS_LOOKUP_LDAP;
	} else {
		mtls_fmt(err, errsz,
		    "'%s' is not 'local', 'file:/PATH' or 'ldap'", v);
		return -1;
	}
	m->has_lookup = 1;
	return 0;
}

static int
set_binding(struct mtls_map *m, const char *v, char *err, size_t errsz)
{
	if (strcmp(v, "weak") == 0) {
		m->strong = 0;
		return 0;
	}
	if (strcmp(v, "strong") != 0) {
		mtls_fmt(err, errsz, "'%s' is not 'strong' or 'weak'", v);
		return -1;
	}
	/* Strength is a property of the source; a name cannot be promoted. */
	if (!m->has_source || !source_is_strong(m->source)) {
		mtls_fmt(err, errsz, "binding = strong needs source = "
		    "fingerprint or issuer_serial");
		return -1;
	}
	m->strong = 1;
	return 0;
}

const char *const mtls_cfg_map_keys[] = {
	"source", "match", "strip_suffix", "lowercase", "lookup", "binding",
	"ldap_filter", "ldap_base", "ldap_scope", "ldap_user_attr", NULL
};

static int
set_scope(struct mtls_map *m, const char *v, char *err, size_t errsz)
{
	if (strcmp(v, "sub") == 0)
		m->ldap_scope = LDAP_SCOPE_SUBTREE;
	else if (strcmp(v, "one") == 0)
		m->ldap_scope = LDAP_SCOPE_ONELEVEL;
	else if (strcmp(v, "base") == 0)
		m->ldap_scope = LDAP_SCOPE_BASE;
	else {
		mtls_fmt(err, errsz, "'%s' is not sub, one or base", v);
		return -1;
	}
	return 0;
}

static int
set_user_attr(struct mtls_map *m, const char *v, char *err, size_t errsz)
{
	size_t i;

	for (i = 0; v[i] != '\0'; i++) {
		if (!isalnum((unsigned char)v[i]) && v[i] != '-') {
			mtls_fmt(err, errsz, "'%s' is not an attribute name",
			    v);
			return -1;
		}
	}
	m->ldap_user_attr = v;
	return 0;
}

int
cfg_set_map(struct mtls_map *m, const char *key, const char *v, char *err,
    size_t errsz)
{
	if (strcmp(key, "source") == 0)
		return set_source(m, v, err, errsz);
	if (strcmp(key, "match") == 0)
		return set_match(m, v, err, errsz);
	if (strcmp(key, "strip_suffix") == 0) {
		m->strip_suffix = v;
		return 0;
	}
	if (strcmp(key, "lowercase") == 0)
		return parse_bool(v, &m->lowercase, err, errsz);
	if (strcmp(key, "lookup") == 0)
		return set_lookup(m, v, err, errsz);
	if (strcmp(key, "binding") == 0)
		return set_binding(m, v, err, errsz);
	if (strcmp(key, "ldap_filter") == 0) {
		if (mtls_ldap_template_check(v, err, errsz) != 0)
			return -1;
		m->ldap_filter = v;
		/* A rule that finds the certificate itself is a strong
		 * binding: the stored DER is compared too. */
		if (mtls_ldap_template_is_cert(v))
			m->strong = 1;
		return 0;
	}
	if (strcmp(key, "ldap_base") == 0) {
		m->ldap_base = v;
		return 0;
	}
	if (strcmp(key, "ldap_scope") == 0)
		return set_scope(m, v, err, errsz);
	if (strcmp(key, "ldap_user_attr") == 0)
		return set_user_attr(m, v, err, errsz);
	return -2;
}
