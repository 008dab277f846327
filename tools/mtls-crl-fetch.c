/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-crl-fetch: downloads the CRL of every configured CA (trust anchors
 * and intermediates) from its distribution point or crl_url, checks it
 * against the CA (issuer, signature, validity, CRL number not going back)
 * and installs it into crl_dir.  A failure keeps the old CRL.
 * Exit 0 all current, 1 some CA failed, 2 usage or configuration. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "ca_list.h"
#include "cfg.h"
#include "crl_cache.h"
#include "crl_http.h"
#include "crl_install.h"
#include "crl_judge.h"
#include "safe_file.h"
#include "util.h"

#define URLS_MAX 8

struct run {
	int verbose;
	int index_only;		/* --index-only: index what is installed */
	size_t indexed;
	int timeout;
	time_t now;
	size_t installed, unchanged, failed, skipped;
};

struct target {
	const struct ca_ent *ca;
	char name[64];		/* STEM.crl.pem in crl_dir */
	/* The installed CRL, when the CA signed it: only what is needed of
	 * it, so that a large one is not in memory beside the new one. */
	int have_old;
	BIGNUM *old_number;	/* NULL: none */
	char old_number_str[64];
	const char *old_unusable; /* why it is not in force, or NULL */
	time_t since;		/* its mtime: the last good fetch */
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: mtls-crl-fetch [--config FILE] [--timeout SECONDS] "
	    "[--verbose] [--index-only]\n"
	    "Exit status: 0 every CRL current, 1 a CA's CRL could not be "
	    "fetched (or indexed), 2 usage or configuration.\n");
}

/* The CRL installed by an earlier run, if its CA signed it. */
static void
load_old(struct run *r, struct target *t)
{
	char path[4200], err[512], *buf;
	X509_CRL *crl;
	struct stat st;
	size_t len;

	mtls_fmt(path, sizeof(path), "%s/%s", t->ca->p->crl_dir, t->name);
	if (mtls_read_file(path, MTLS_CRL_FILE_MAX, MTLS_FILE_TRUSTED, &buf,
	    &len, err, sizeof(err)) != 0)
		return;
	crl = crl_parse(buf, len);
	free(buf);
	if (crl != NULL && crl_judge_sig(crl, t->ca->cert) == NULL &&
	    stat(path, &st) == 0) {
		t->have_old = 1;
		t->since = st.st_mtime;
		t->old_number = crl_number(crl);
		crl_number_string(crl, t->old_number_str,
		    sizeof(t->old_number_str));
		t->old_unusable = crl_judge_time(crl, t->ca->p->clock_skew, 0,
		    r->now);
	}
	X509_CRL_free(crl);
}

static void
fail(const struct target *t, const char *url, const char *why)
{
	fprintf(stderr, "mtls-crl-fetch: CA '%s': %s: %s; %s\n",
	    t->ca->subject, url, why, t->have_old ? "keeping the installed CRL" :
	    "no CRL installed");
}

/* Indexes crl_dir/name for ca in crl_cache_dir (when set), so that no
 * login has to parse the CRL; a failure is reported but keeps the CRL
 * (logins then parse it).  Returns 0 indexed, 1 not, -1 error. */
static int
index_file(struct run *r, const struct ca_ent *ca, const char *name)
{
	char path[4200], why[600];
	int rc;

	if (ca->p->crl_cache_dir == NULL)
		return 1;
	/* The default directory exists once installed; without it logins
	 * parse, which is no failure of the fetch. */
	if (!r->index_only && access(ca->p->crl_cache_dir, F_OK) != 0 &&
	    errno == ENOENT)
		return 1;
	mtls_fmt(path, sizeof(path), "%s/%s", ca->p->crl_dir, name);
	rc = mtls_crl_set_index(path, ca->p->crl_cache_dir, ca->cert, why,
	    sizeof(why));
	if (rc == 0) {
		r->indexed++;
		if (r->verbose)
			printf("%s: indexed %s in %s\n", ca->subject, path,
			    ca->p->crl_cache_dir);
	} else if (rc != 2 && (rc < 0 || r->index_only))
		fprintf(stderr, "mtls-crl-fetch: CA '%s': cannot index %s: "
		    "%s\n", ca->subject, path, why);
	return rc == 2 ? 1 : rc;
}

/* --index-only: every file of the CA's crl_dir that it issued. */
static void
index_ca(struct run *r, const struct ca_ent *ca)
{
	struct dirent *de;
	DIR *d;
	int bad = 0;

	if (!ca_policy_uses_crl(ca->p) || ca->p->crl_dir == NULL ||
	    ca->p->crl_cache_dir == NULL) {
		r->skipped++;
		return;
	}
	if ((d = opendir(ca->p->crl_dir)) == NULL) {
		fprintf(stderr, "mtls-crl-fetch: %s: cannot open\n",
		    ca->p->crl_dir);
		r->failed++;
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && index_file(r, ca, de->d_name) < 0)
			bad = 1;
	closedir(d);
	if (bad)
		r->failed++;
}

/* A 200 answer: checked like a login would, then installed. */
static int
take(struct run *r, struct target *t, const char *url, const char *body,
    size_t len)
{
	char why[512], num[64];
	const char *bad;
	X509_CRL *crl = crl_parse(body, len);
	int rc = -1;

	if (crl == NULL)
		bad = "the answer is not a CRL";
	else if ((bad = crl_judge_sig(crl, t->ca->cert)) == NULL &&
	    (bad = crl_judge_time(crl, t->ca->p->clock_skew, 0,
	    r->now)) == NULL && t->have_old &&
	    crl_number_older(crl, t->old_number)) {
		crl_number_string(crl, num, sizeof(num));
		mtls_fmt(why, sizeof(why), "CRL number %s is lower than the "
		    "installed %s (a replayed CRL)", num, t->old_number_str);
		bad = why;
	}
	if (bad == NULL && crl_install(t->ca->p->crl_dir, t->name, crl, why,
	    sizeof(why)) != 0)
		bad = why;
	if (bad != NULL)
		fail(t, url, bad);
	else {
		crl_number_string(crl, num, sizeof(num));
		if (r->verbose)
			printf("%s: installed %s/%s (%d entries, CRL number "
			    "%s, nextUpdate in %ld hours)\n", t->ca->subject,
			    t->ca->p->crl_dir, t->name,
			    crl_entries(crl),
			    num, crl_hours_left(crl, r->now));
		r->installed++;
		rc = 0;
		index_file(r, t->ca, t->name);
	}
	X509_CRL_free(crl);
	return rc;
}

static int
try_url(struct run *r, struct target *t, const char *url)
{
	char err[512], *body = NULL;
	const char *bad;
	size_t len;
	int rc = -1;

	if (r->verbose)
		printf("%s: fetching %s\n", t->ca->subject, url);
	switch (crl_http_get(url, t->since, r->timeout, MTLS_CRL_FILE_MAX,
	    &body, &len, err, sizeof(err))) {
	case CRL_HTTP_BODY:
		rc = take(r, t, url, body, len);
		break;
	case CRL_HTTP_NOT_MODIFIED:
		/* Unchanged on the server is no excuse for a stale CRL. */
		if (!t->have_old) {
			/* We asked unconditionally: a 304 is nonsense. */
			fail(t, url, "304 Not Modified to an unconditional "
			    "request");
			break;
		}
		if ((bad = t->old_unusable) != NULL) {
			mtls_fmt(err, sizeof(err), "not modified, and the "
			    "installed CRL is unusable (%s)", bad);
			fail(t, url, err);
			break;
		}
		if (r->verbose)
			printf("%s: not modified\n", t->ca->subject);
		r->unchanged++;
		rc = 0;
		break;
	case CRL_HTTP_FAILED:
		fail(t, url, err);
		break;
	}
	free(body);
	return rc;
}

static void
fetch_ca(struct run *r, const struct ca_ent *ca)
{
	char urls[URLS_MAX][MTLS_CRL_URL_MAX];
	struct target t;
	size_t n, i;

	memset(&t, 0, sizeof(t));
	t.ca = ca;
	if (!ca_policy_uses_crl(ca->p)) {
		r->skipped++;
		return;
	}
	if (ca->p->crl_dir == NULL) {
		fprintf(stderr, "mtls-crl-fetch: CA '%s': %s: crl_dir is not "
		    "set: nowhere to install its CRL\n", ca->subject,
		    ca_policy_name(ca->p));
		r->failed++;
		return;
	}
	mtls_fmt(t.name, sizeof(t.name), "%s.crl.pem", ca->stem);
	if ((n = ca_crl_urls(ca, urls, URLS_MAX)) == 0) {
		fprintf(stderr, "mtls-crl-fetch: CA '%s': no http:// CRL "
		    "distribution point; add 'crl_url = %s http://...'\n",
		    ca->subject, ca->hash);
		r->failed++;
		return;
	}
	load_old(r, &t);
	for (i = 0; i < n; i++)
		if (try_url(r, &t, urls[i]) == 0)
			break;
	if (i == n)
		r->failed++;
	BN_free(t.old_number);
}

static int
parse_args(int argc, char **argv, const char **config, struct run *r)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "index-only", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "c:t:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': *config = optarg; break;
		case 'v': r->verbose = 1; break;
		case 'i': r->index_only = 1; break;
		case 't':
			if (mtls_parse_long(optarg, 1, 600, &v) != 0) {
				fprintf(stderr, "mtls-crl-fetch: --timeout "
				    "must be 1 to 600 seconds\n");
				return -1;
			}
			r->timeout = (int)v;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *config = MTLS_DEFAULT_CONFIG;
	struct run r;
	struct mtls_cfg *cfg;
	struct ca_list l;
	char err[1024];
	size_t i;

	memset(&r, 0, sizeof(r));
	r.timeout = 30;
	/* Progress on a terminal; a timer's journal gets failures only. */
	r.verbose = isatty(STDOUT_FILENO);
	if (parse_args(argc, argv, &config, &r) != 0)
		return 2;
	if ((cfg = mtls_cfg_load(config, err, sizeof(err))) == NULL) {
		fprintf(stderr, "mtls-crl-fetch: %s\n", err);
		return 2;
	}
	if (ca_list_load(cfg, &l, err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-crl-fetch: %s\n", err);
		mtls_cfg_free(cfg);
		return 2;
	}
	r.now = time(NULL);
	for (i = 0; i < l.n; i++)
		if (r.index_only)
			index_ca(&r, &l.v[i]);
		else
			fetch_ca(&r, &l.v[i]);
	if (r.verbose && r.index_only)
		printf("%zu CA(s): %zu CRL file(s) indexed, %zu failed, %zu "
		    "without CRL checking or crl_cache_dir\n", l.n, r.indexed,
		    r.failed, r.skipped);
	else if (r.verbose)
		printf("%zu CA(s): %zu installed, %zu not modified, %zu "
		    "failed, %zu without CRL checking\n", l.n, r.installed,
		    r.unchanged, r.failed, r.skipped);
	ca_list_free(&l);
	mtls_cfg_free(cfg);
	return r.failed ? 1 : 0;
}
