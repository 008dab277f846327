/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crl_warn.h"
#include "identity.h"
#include "revocation.h"
#include "util.h"

/* Files in crl_dir: a documented limit, never a silent one (mtls.conf(5)). */
#define CRL_DIR_MAX 256
/* CRLs that decided, remembered for the index and nextUpdate notes. */
#define USED_MAX 8

struct sources {
	struct mtls_crl_set *set[CRL_DIR_MAX + 1];
	int n;
	/* The first file that could not be used, and why: it may have held
	 * the newest CRL of any issuer, so while it stands no CRL answer
	 * other than "revoked" can be trusted. */
	char err[320];
	enum mtls_reason err_reason;
	const char *index_dir;		/* crl_cache_dir, or NULL */
	struct {
		struct mtls_crl_set *set;
		const ASN1_TIME *next;
	} used[USED_MAX];
	int n_used;
};

static void
src_fail(struct sources *src, enum mtls_reason r, const char *msg)
{
	if (src->err[0] != '\0')
		return;
	mtls_strlcpy(src->err, msg, sizeof(src->err));
	src->err_reason = r;
}

static void
add_file(struct sources *src, const char *path)
{
	char err[320];
	struct mtls_crl_set *s;

	if (src->n == CRL_DIR_MAX + 1)
		return;
	if ((s = mtls_crl_set_get_indexed(path, src->index_dir, err,
	    sizeof(err))) == NULL) {
		src_fail(src, MTLS_E_REVOCATION_UNKNOWN, err);
		return;
	}
	src->set[src->n++] = s;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The non-hidden names of the directory, sorted; -1 with src->err set when
 * it cannot be read whole or holds more than CRL_DIR_MAX. */
static int
list_dir(struct sources *src, const char *dir, char **names)
{
	struct dirent *de;
	char msg[320];
	int n = 0;
	DIR *d = opendir(dir);

	if (d == NULL) {
		mtls_fmt(msg, sizeof(msg), "crl_dir %s: cannot open", dir);
		src_fail(src, MTLS_E_REVOCATION_UNKNOWN, msg);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == CRL_DIR_MAX) {
			mtls_fmt(msg, sizeof(msg), "crl_dir %s holds more than "
			    "%d files (the limit)", dir, CRL_DIR_MAX);
			src_fail(src, MTLS_E_CONFIG, msg);
			break;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			src_fail(src, MTLS_E_INTERNAL, "out of memory");
			break;
		}
		n++;
	}
	closedir(d);
	if (src->err[0] != '\0') {
		while (n > 0)
			free(names[--n]);
		return -1;
	}
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	return n;
}

/* Every non-hidden file of the directory, in name order. */
static void
add_dir(struct sources *src, const char *dir)
{
	char *names[CRL_DIR_MAX], path[4096];
	int n, i;

	if ((n = list_dir(src, dir, names)) < 0)
		return;
	for (i = 0; i < n; i++) {
		mtls_fmt(path, sizeof(path), "%s/%s", dir, names[i]);
		add_file(src, path);
		free(names[i]);
	}
}

void
mtls_rev_answer_set(struct mtls_rev_answer *a, enum mtls_rev_status st,
    enum mtls_reason r, const char *fmt, ...)
{
	va_list ap;

	a->status = st;
	a->reason = r;
	va_start(ap, fmt);
	mtls_vfmt(a->detail, sizeof(a->detail), fmt, ap);
	va_end(ap);
}

static void
note_used(struct sources *src, struct mtls_crl_set *set,
    const ASN1_TIME *next)
{
	int i;

	for (i = 0; i < src->n_used; i++)
		if (src->used[i].set == set)
			return;
	if (src->n_used == USED_MAX)
		return;
	src->used[src->n_used].set = set;
	src->used[src->n_used++].next = next;
}

static void
crl_status(const struct mtls_policy *p, struct sources *src, X509 *cert,
    X509 *issuer, time_t at, struct mtls_rev_answer *a)
{
	mtls_crl_status(p, src->set, src->n, cert, issuer, at, a);
	if (a->crl != NULL)
		note_used(src, a->crl, a->crl_next);
	/* A file we could not use may have held this issuer's newest CRL:
	 * only a revocation found elsewhere still stands. */
	if (a->status != MTLS_REV_REVOKED && src->err[0] != '\0')
		mtls_rev_answer_set(a, MTLS_REV_UNKNOWN, src->err_reason,
		    "%s (so no CRL from here can prove good status)",
		    src->err);
}

/* The methods in the configured order; the first definite answer (good or
 * revoked) stands, else every method's reason is kept. */
static void
status_of(const struct mtls_policy *p, struct sources *src,
    STACK_OF(X509) *chain, int i, time_t at, struct mtls_rev_answer *a)
{
	X509 *cert = sk_X509_value(chain, i), *issuer = sk_X509_value(chain,
	    i + 1);
	char tried[sizeof(a->detail)] = "";
	size_t m;

	for (m = 0; m < p->n_revocation; m++) {
		if (p->revocation[m] == MTLS_REV_CRL)
			crl_status(p, src, cert, issuer, at, a);
		else
			mtls_ocsp_status(p, cert, issuer, chain, a);
		if (a->status != MTLS_REV_UNKNOWN)
			return;
		if (tried[0] != '\0')
			mtls_fmt(tried + strlen(tried), sizeof(tried) -
			    strlen(tried), "; then ");
		mtls_fmt(tried + strlen(tried), sizeof(tried) - strlen(tried),
		    "%s", a->detail);
	}
	mtls_strlcpy(a->detail, tried, sizeof(a->detail));
}

/* Seconds from at until t, or -1 when it cannot be told. */
static long
seconds_until(const ASN1_TIME *t, time_t at)
{
	ASN1_TIME *now = ASN1_TIME_set(NULL, at);
	int days = 0, secs = 0, ok;

	ok = now != NULL && ASN1_TIME_diff(&days, &secs, now, t);
	ASN1_TIME_free(now);
	return ok ? (long)days * 86400 + secs : -1;
}

/* Which deciding CRLs came from an index (a check the tests read, logged
 * at debug level), and the early warning for those within
 * crl_warning_hours of their nextUpdate: in every decision's record, but
 * as a warning check (which pam_mtls logs at LOG_WARNING) at most once
 * per file per MTLS_CRL_WARN_EVERY seconds in this process.  One check
 * each, however many CRLs: the record has room for MTLS_CHECKS_MAX. */
static void
note_crls(const struct mtls_policy *p, struct sources *src, time_t at,
    struct mtls_decision *d)
{
	char hits[384] = "", warn[384] = "", next[32];
	const char *path;
	long left;
	int i;

	for (i = 0; i < src->n_used; i++) {
		path = mtls_crl_set_path(src->used[i].set);
		if (mtls_crl_set_indexed(src->used[i].set))
			mtls_fmt(hits + strlen(hits), sizeof(hits) -
			    strlen(hits), "%s%s", hits[0] ? " " : "", path);
		if (src->used[i].next == NULL ||
		    (left = seconds_until(src->used[i].next, at)) <= 0 ||
		    left > p->crl_warning_hours * 3600 ||
		    !mtls_crl_warn_due(path, time(NULL)))
			continue;
		mtls_asn1_time_string(src->used[i].next, next, sizeof(next));
		mtls_fmt(warn + strlen(warn), sizeof(warn) - strlen(warn),
		    "%s%s passes its nextUpdate %s in %ld minutes",
		    warn[0] ? "; " : "", path, next, left / 60);
	}
	if (warn[0] != '\0')
		mtls_check_add(d, "crl_warning", MTLS_CHECK_WARN, "%s "
		    "(crl_warning_hours = %ld): fetch a new CRL", warn,
		    p->crl_warning_hours);
	if (hits[0] != '\0')
		mtls_check_add(d, "crl_index", MTLS_CHECK_PASS, "index hit %s",
		    hits);
}

enum mtls_reason
mtls_revocation_check(const struct mtls_policy *p, STACK_OF(X509) *chain,
    time_t at, struct mtls_decision *d)
{
	struct sources src;
	struct mtls_rev_answer a, worst = { MTLS_REV_GOOD, MTLS_OK, "", NULL,
	    NULL };
	int i, last, n = sk_X509_num(chain);
	char subj[256];

	if (p->n_revocation == 0) {
		mtls_check_add(d, "revocation", MTLS_CHECK_SKIP,
		    "revocation = none");
		return MTLS_OK;
	}
	memset(&src, 0, sizeof(src));
	src.index_dir = p->crl_cache_dir;
	if (p->crl_file != NULL)
		add_file(&src, p->crl_file);
	if (p->crl_dir != NULL)
		add_dir(&src, p->crl_dir);
	a.detail[0] = '\0';
	a.crl = NULL;
	/* Every certificate below the trust anchor, or only the leaf. */
	last = p->crl_check_chain ? n - 2 : 0;
	for (i = 0; i <= last && i + 1 < n; i++) {
		status_of(p, &src, chain, i, at, &a);
		if (a.status == MTLS_REV_GOOD)
			continue;
		mtls_dn_string(X509_get_subject_name(sk_X509_value(chain, i)),
		    subj, sizeof(subj));
		if (worst.status != MTLS_REV_REVOKED) {
			worst = a;
			mtls_fmt(worst.detail, sizeof(worst.detail),
			    "depth %d '%s': %s", i, subj, a.detail);
		}
	}
	note_crls(p, &src, at, d);
	for (i = 0; i < src.n; i++)
		mtls_crl_set_put(src.set[i]);
	if (worst.status == MTLS_REV_GOOD) {
		mtls_check_add(d, "revocation", MTLS_CHECK_PASS, "%s: not "
		    "revoked; %s", p->crl_check_chain ? "chain" : "leaf",
		    a.detail[0] ? a.detail : "checked");
		return MTLS_OK;
	}
	/* Soft failure covers an unknown or stale status, never a broken
	 * setup (too many files in crl_dir) nor a revocation. */
	if (worst.status == MTLS_REV_UNKNOWN && p->revocation_soft &&
	    (worst.reason == MTLS_E_REVOCATION_UNKNOWN ||
	    worst.reason == MTLS_E_CRL_STALE)) {
		mtls_check_add(d, "revocation", MTLS_CHECK_WARN,
		    "revocation_fail = soft, accepting despite: %s (%s)",
		    worst.detail, mtls_reason_name(worst.reason));
		return MTLS_OK;
	}
	mtls_check_add(d, "revocation", MTLS_CHECK_FAIL, "%s", worst.detail);
	return worst.reason;
}
