/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* One row per CA (and set of CRL sources): how long the CA and its CRL
 * have left.  Warning: a CRL within crl_warning_hours of its nextUpdate,
 * a CA within 30 days of its notAfter.  Failing: a CRL missing, unreadable,
 * badly signed or stale (logins need it now), a CA expired. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ca_list.h"
#include "crl_index.h"
#include "crl_judge.h"
#include "health.h"
#include "util.h"

#define CA_WARNING_DAYS 30

enum { FINE, WARNING, FAILING };

static const char *const status_names[] = { "ok", "warning", "failing" };

struct row {
	int status;
	int ca_status, crl_status;
	long ca_days;
	int crl_checked;	/* the policy uses CRLs */
	int have_crl;
	long crl_hours;
	int entries;
	char number[64];
	char path[4200];
	char url[MTLS_CRL_URL_MAX];
	char fetched[32];
	char problem[600];
};

static long
days_left(const ASN1_TIME *t, time_t now)
{
	ASN1_TIME *at = ASN1_TIME_set(NULL, now);
	int days = 0, secs = 0;

	if (at == NULL || !ASN1_TIME_diff(&days, &secs, at, t))
		days = 0;
	ASN1_TIME_free(at);
	return days;
}

static void
assess_ca(const struct ca_ent *ca, time_t now, struct row *r)
{
	r->ca_days = days_left(X509_get0_notAfter(ca->cert), now);
	if (X509_cmp_time(X509_get0_notAfter(ca->cert), &now) < 0) {
		r->ca_status = FAILING;
		mtls_fmt(r->problem, sizeof(r->problem), "the CA has "
		    "expired");
	} else if (r->ca_days < CA_WARNING_DAYS) {
		r->ca_status = WARNING;
		mtls_fmt(r->problem, sizeof(r->problem), "the CA expires in "
		    "%ld days", r->ca_days);
	}
}

/* Which problem the row reports: the worst one, the CRL's on a tie. */
static void
crl_problem(struct row *r, int status, const char *what)
{
	r->crl_status = status;
	if (status >= r->ca_status)
		mtls_strlcpy(r->problem, what, sizeof(r->problem));
}

static void
assess_crl(const struct ca_ent *ca, time_t now, struct row *r)
{
	const struct mtls_policy *p = ca->p;
	struct crl_found f;
	const char *why;
	char msg[128], msg2[600];

	crl_find(p, ca->cert, &f);
	if (f.crl == NULL) {
		if (f.badly_signed)
			crl_problem(r, FAILING, "the CRL in its name is not "
			    "signed by the CA's key");
		else
			crl_problem(r, FAILING, f.err[0] ? f.err :
			    "no CRL in crl_file or crl_dir");
		crl_found_free(&f);
		return;
	}
	r->have_crl = 1;
	r->crl_hours = crl_hours_left(f.crl, now);
	r->entries = crl_entries(f.crl);
	crl_number_string(f.crl, r->number, sizeof(r->number));
	mtls_strlcpy(r->path, f.path, sizeof(r->path));
	mtls_format_time(f.mtime, r->fetched, sizeof(r->fetched));
	if ((why = crl_judge_time(f.crl, p->clock_skew, p->crl_max_age,
	    now)) != NULL) {
		mtls_fmt(msg, sizeof(msg), "the CRL is %s", why);
		crl_problem(r, FAILING, msg);
	} else if (f.err[0] != '\0')
		crl_problem(r, FAILING, f.err);
	else if (r->crl_hours < p->crl_warning_hours)
		crl_problem(r, WARNING, "the CRL reaches its nextUpdate within "
		    "crl_warning_hours");
	else if (p->crl_cache_dir != NULL && mtls_crl_index_audit(
	    p->crl_cache_dir, f.path, msg2, sizeof(msg2)) < 0)
		crl_problem(r, WARNING, msg2);
	crl_found_free(&f);
}

static void
assess(const struct ca_ent *ca, time_t now, struct row *r)
{
	char urls[1][MTLS_CRL_URL_MAX];

	memset(r, 0, sizeof(r[0]));
	mtls_strlcpy(r->number, "none", sizeof(r->number));
	mtls_strlcpy(r->url, ca_crl_urls(ca, urls, 1) ? urls[0] : "none",
	    sizeof(r->url));
	assess_ca(ca, now, r);
	r->crl_checked = ca_policy_uses_crl(ca->p);
	if (r->crl_checked)
		assess_crl(ca, now, r);
	r->status = r->ca_status > r->crl_status ? r->ca_status :
	    r->crl_status;
}

static void
print_human(const struct ca_ent *ca, const struct row *r)
{
	printf("%-8s CA %s (%s, %s): expires in %ld days\n",
	    status_names[r->ca_status], ca->subject, ca->hash,
	    ca_policy_name(ca->p), r->ca_days);
	if (!r->crl_checked)
		printf("%-8s  CRL not checked: revocation does not use CRLs\n",
		    "ok");
	else if (r->have_crl)
		printf("%-8s  CRL %s: nextUpdate in %ld hours, %d entries, "
		    "CRL number %s, source %s, fetched %s\n",
		    status_names[r->crl_status], r->path, r->crl_hours,
		    r->entries, r->number, r->url, r->fetched);
	else
		printf("%-8s  CRL none, source %s\n",
		    status_names[r->crl_status], r->url);
	if (r->problem[0] != '\0')
		printf("%-8s  %s\n", status_names[r->status], r->problem);
}

static void
print_json(const struct ca_ent *ca, const struct row *r, int first)
{
	char subj[1024], path[8400], url[2100], problem[1200];

	mtls_escape_json(ca->subject, subj, sizeof(subj));
	mtls_escape_json(r->path, path, sizeof(path));
	mtls_escape_json(r->url, url, sizeof(url));
	mtls_escape_json(r->problem, problem, sizeof(problem));
	printf("%s{\"subject\":\"%s\",\"hash\":\"%s\",\"policy\":\"%s\","
	    "\"status\":\"%s\",\"ca_days_left\":%ld,\"crl_checked\":%s,",
	    first ? "" : ",", subj, ca->hash, ca_policy_name(ca->p),
	    status_names[r->status], r->ca_days,
	    r->crl_checked ? "true" : "false");
	if (r->have_crl)
		printf("\"crl_path\":\"%s\",\"crl_hours_left\":%ld,"
		    "\"crl_entries\":%d,\"crl_number\":\"%s\","
		    "\"crl_fetched\":\"%s\",", path, r->crl_hours, r->entries,
		    r->number, r->fetched);
	printf("\"crl_url\":\"%s\",\"problem\":\"%s\"}", url, problem);
}

int
mtls_health(const char *config, int json)
{
	struct mtls_cfg *cfg;
	struct ca_list l;
	struct row r;
	char err[1024], esc[2100];
	time_t now = time(NULL);
	int worst = FINE;
	size_t i;

	if ((cfg = mtls_cfg_load(config, err, sizeof(err))) == NULL ||
	    ca_list_load(cfg, &l, err, sizeof(err)) != 0) {
		mtls_escape_json(err, esc, sizeof(esc));
		if (json)
			printf("{\"status\":\"failing\",\"error\":\"%s\","
			    "\"cas\":[]}\n", esc);
		else
			printf("failing  %s\n", err);
		mtls_cfg_free(cfg);
		return FAILING;
	}
	if (json)
		printf("{\"cas\":[");
	for (i = 0; i < l.n; i++) {
		assess(&l.v[i], now, &r);
		if (r.status > worst)
			worst = r.status;
		if (json)
			print_json(&l.v[i], &r, i == 0);
		else
			print_human(&l.v[i], &r);
	}
	if (json)
		printf("],\"status\":\"%s\"}\n", status_names[worst]);
	else
		printf("%s: %zu CA(s)\n", status_names[worst], l.n);
	ca_list_free(&l);
	mtls_cfg_free(cfg);
	return worst;
}
