/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-check: runs the exact decision a login would run and explains it,
 * check by check.  Exit 0 accept, 1 refuse, 2 error. */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cert_input.h"
#include "decision.h"
#include "identity.h"
#include "health.h"
#include "ldap_mod.h"
#include "lint_targets.h"
#include "read_input.h"
#include "mapfile.h"
#include "pem_bundle.h"
#include "util.h"
#include "verify.h"

struct opts {
	const char *config;
	const char *profile;
	const char *service;
	const char *user;
	const char *chain;
	const char *cert;
	time_t at;
	int json;
	int lint;
	int health;
	int list_keys;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mtls-check [--config FILE] [--profile NAME] "
	    "[--service NAME]\n"
	    "                  [--user NAME] [--chain FILE] [--at TIME] "
	    "[--json] CERT|-\n"
	    "       mtls-check [--config FILE] --lint\n"
	    "       mtls-check [--config FILE] --health [--json]\n"
	    "       mtls-check --list-keys\n"
	    "TIME is unix seconds or YYYY-MM-DDTHH:MM:SSZ.\n"
	    "Exit status: 0 accept, 1 refuse, 2 error.\n");
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "profile", required_argument, NULL, 'p' },
		{ "service", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "chain", required_argument, NULL, 'C' },
		{ "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "lint", no_argument, NULL, 'l' },
		{ "health", no_argument, NULL, 'H' },
		{ "list-keys", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->config = MTLS_DEFAULT_CONFIG;
	o->service = "mtls-check";
	while ((c = getopt_long(argc, argv, "c:p:s:u:C:a:jlHKh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'p': o->profile = optarg; break;
		case 's': o->service = optarg; break;
		case 'u': o->user = optarg; break;
		case 'C': o->chain = optarg; break;
		case 'j': o->json = 1; break;
		case 'l': o->lint = 1; break;
		case 'H': o->health = 1; break;
		case 'K': o->list_keys = 1; return 0;
		case 'a':
			if (mtls_parse_time(optarg, &o->at) != 0) {
				fprintf(stderr, "mtls-check: bad --at '%s'\n",
				    optarg);
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (o->lint || o->health ? optind != argc : optind != argc - 1) {
		usage(stderr);
		return -1;
	}
	o->cert = o->lint || o->health ? NULL : argv[optind];
	return 0;
}

static void
print_human(const struct mtls_decision *d)
{
	size_t i;

	if (d->subject[0] != '\0')
		printf("subject    %s\nissuer     %s\nserial     %s\n"
		    "sha256     %s\nnot after  %s\nprofile    %s\n",
		    d->subject, d->issuer, d->serial, d->sha256, d->not_after,
		    d->profile[0] ? d->profile : "(global)");
	for (i = 0; i < d->nchecks; i++)
		printf("  [%-4s] %-15s %s\n",
		    mtls_check_status_name(d->checks[i].status),
		    d->checks[i].name, d->checks[i].detail);
	if (d->result == MTLS_RESULT_ACCEPT)
		printf("accept  user=%s rule=%s\n", d->user, d->rule);
	else
		printf("%s  %s  %s\n", mtls_result_name(d->result),
		    mtls_reason_name(d->reason), d->message);
}

static void
report(const struct opts *o, const struct mtls_decision *d)
{
	static char json[32768];

	if (o->json) {
		mtls_decision_json(d, json, sizeof(json));
		puts(json);
	} else
		print_human(d);
}

/* Every key the parser accepts: "global KEY" (global and [profile]) and
 * "map KEY" ([map]). */
static int
list_keys(void)
{
	size_t i;

	for (i = 0; mtls_cfg_policy_keys[i] != NULL; i++)
		printf("global %s\n", mtls_cfg_policy_keys[i]);
	for (i = 0; mtls_cfg_map_keys[i] != NULL; i++)
		printf("map %s\n", mtls_cfg_map_keys[i]);
	return 0;
}

/* The revocation a policy will apply, after profile inheritance: what the
 * admin reads is what a login does. */
static void
print_revocation(const struct mtls_policy *p)
{
	size_t i;

	if (p->name[0])
		printf("revocation [profile %s]: ", p->name);
	else
		printf("revocation global: ");
	if (p->n_revocation == 0) {
		printf("none\n");
		return;
	}
	for (i = 0; i < p->n_revocation; i++) {
		if (i > 0)
			printf(", then ");
		if (p->revocation[i] == MTLS_REV_CRL)
			printf("crl (%s%s%s%s)", p->crl_file ? "crl_file " : "",
			    p->crl_file ? p->crl_file : "",
			    p->crl_file && p->crl_dir ? ", crl_dir " :
			    p->crl_dir ? "crl_dir " : "",
			    p->crl_dir ? p->crl_dir : "");
		else
			printf("ocsp (%s)", p->ocsp_responder ?
			    p->ocsp_responder : "the certificate's AIA");
	}
	printf("; %s; fail %s\n", p->crl_check_chain ? "chain" : "leaf",
	    p->revocation_soft ? "soft" : "closed");
}

/* One trust anchor against the policy's key and signature minimums:
 * a weak anchor weakens every chain below it.  1 when it is a finding. */
static int
weak_anchor(const struct mtls_policy *p, X509 *x, const char *from)
{
	char desc[160], subj[256];

	if (mtls_cert_strength(p, x, desc, sizeof(desc)) == MTLS_OK)
		return 0;
	mtls_dn_string(X509_get_subject_name(x), subj, sizeof(subj));
	printf("warning: %s: trust anchor '%s'%s%s: %s is below the policy's "
	    "minimums\n", p->name[0] ? p->name : "(global)", subj,
	    from ? " in " : "", from ? from : "", desc);
	return 1;
}

/* The certificates of one file in ca_dir (OpenSSL loads them only on
 * demand, so the store cannot list them). */
static int
lint_anchor_file(const struct mtls_policy *p, const char *path)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char err[512];
	int i, n = 0;

	if (sk == NULL || mtls_pem_bundle_load(path, MTLS_FILE_TRUSTED, 0, sk,
	    err, sizeof(err)) != 0) {
		printf("warning: %s: %s\n", p->name[0] ? p->name : "(global)",
		    sk == NULL ? "out of memory" : err);
		sk_X509_free(sk);
		return 1;
	}
	for (i = 0; i < sk_X509_num(sk); i++)
		n += weak_anchor(p, sk_X509_value(sk, i), path);
	sk_X509_pop_free(sk, X509_free);
	return n;
}

/* Trust anchors from ca_file (in the store) and from ca_dir, checked
 * against the policy.  Returns the number of findings. */
static int
lint_anchors(const struct mtls_policy *p)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(p->store);
	char path[4096];
	struct dirent *de;
	int i, n = 0;
	DIR *d;

	for (i = 0; objs != NULL && i < sk_X509_OBJECT_num(objs); i++) {
		X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));

		if (x != NULL)
			n += weak_anchor(p, x, NULL);
	}
	if (p->ca_dir == NULL || (d = opendir(p->ca_dir)) == NULL)
		return n;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		mtls_fmt(path, sizeof(path), "%s/%s", p->ca_dir, de->d_name);
		n += lint_anchor_file(p, path);
	}
	closedir(d);
	return n;
}

/* Map-file lines that read differently from how they look: exit 1. */
static size_t
lint_mapfiles(const struct mtls_cfg *cfg)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->n_maps; i++)
		if (cfg->maps[i].lookup == MTLS_LOOKUP_FILE)
			n += mtls_mapfile_lint(&cfg->maps[i], stdout);
	return n;
}

/* A rule with lookup = ldap needs the LDAP module: a login would refuse
 * every such certificate if it cannot be loaded.  Returns 1 then. */
static int
lint_ldap_module(const struct mtls_cfg *cfg)
{
	char err[1024];
	size_t i;

	for (i = 0; i < cfg->n_maps; i++)
		if (cfg->maps[i].lookup == MTLS_LOOKUP_LDAP) {
			if (mtls_ldap_ops(err, sizeof(err)) != NULL)
				return 0;
			fprintf(stderr, "%s:%d: [map %s]: lookup = ldap: %s\n",
			    cfg->path, cfg->maps[i].line, cfg->maps[i].name,
			    err);
			return 1;
		}
	return 0;
}

static int
lint(const char *config)
{
	size_t findings;
	char err[1024];
	struct mtls_cfg *cfg = mtls_cfg_load(config, err, sizeof(err));
	size_t i;
	int warnings;

	if (cfg == NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	/* What the config points at: CRL files, each CA's CRL, the LDAP
	 * module. */
	if (lint_targets(cfg) != 0 || lint_ldap_module(cfg) != 0) {
		mtls_cfg_free(cfg);
		return 2;
	}
	printf("%s: OK (%zu profile(s), %zu map rule(s))\n", config,
	    cfg->n_profiles, cfg->n_maps);
	print_revocation(&cfg->global);
	for (i = 0; i < cfg->n_profiles; i++)
		print_revocation(&cfg->profiles[i]);
	warnings = lint_anchors(&cfg->global);
	for (i = 0; i < cfg->n_profiles; i++)
		warnings += lint_anchors(&cfg->profiles[i]);
	findings = lint_mapfiles(cfg);
	mtls_cfg_free(cfg);
	return warnings > 0 || findings > 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct mtls_request req;
	struct mtls_decision d;
	struct mtls_cfg *cfg;
	struct opts o;
	char err[1024], *cert = NULL, *chain = NULL, cfgpath[PATH_MAX];
	size_t cert_len = 0, chain_len = 0;

	if (parse_args(argc, argv, &o) != 0)
		return 2;
	if (o.list_keys)
		return list_keys();
	if (tool_config_path(o.config, cfgpath, sizeof(cfgpath), err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "mtls-check: %s\n", err);
		return 2;
	}
	o.config = cfgpath;
	if (o.lint)
		return lint(o.config);
	if (o.health)
		return mtls_health(o.config, o.json);
	if ((cfg = mtls_cfg_load(o.config, err, sizeof(err))) == NULL) {
		mtls_decision_fail(&d, o.service, MTLS_E_CONFIG, err);
		report(&o, &d);
		return 2;
	}
	if (tool_read(o.cert, MTLS_INPUT_MAX, &cert, &cert_len, err,
	    sizeof(err)) != 0 || (o.chain != NULL && tool_read(o.chain,
	    MTLS_INPUT_MAX, &chain, &chain_len, err, sizeof(err)) != 0)) {
		mtls_decision_fail(&d, o.service, MTLS_E_BAD_INPUT, err);
		report(&o, &d);
		free(cert);
		mtls_cfg_free(cfg);
		return 1;
	}
	memset(&req, 0, sizeof(req));
	req.service = o.service;
	req.profile = o.profile;
	req.cert = cert;
	req.cert_len = cert_len;
	req.chain = chain;
	req.chain_len = chain_len;
	req.user = o.user;
	req.at = o.at;
	mtls_decide(cfg, &req, &d);
	report(&o, &d);
	free(cert);
	free(chain);
	mtls_cfg_free(cfg);
	return d.result == MTLS_RESULT_ACCEPT ? 0 :
	    d.result == MTLS_RESULT_REFUSE ? 1 : 2;
}
