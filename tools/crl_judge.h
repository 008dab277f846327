/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* What the CRL tools ask of one CRL and its CA, and where the configured
 * CRL of a CA is: mtls-crl-fetch before installing, mtls-check --lint and
 * --health when reporting. */
#ifndef MTLS_CRL_JUDGE_H
#define MTLS_CRL_JUDGE_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "cfg.h"

/* One CRL, DER or PEM, nothing else in the buffer; NULL when not. */
X509_CRL *crl_parse(const char *buf, size_t len);
/* NULL when crl names ca as issuer and ca's key signed it, else why not. */
const char *crl_judge_sig(X509_CRL *crl, X509 *ca);
/* NULL when crl is in force at now: thisUpdate not beyond now + skew,
 * nextUpdate set and not before now - grace.  Else why not. */
const char *crl_judge_time(X509_CRL *crl, long skew, long grace, time_t now);
/* Whole hours from now to nextUpdate (negative once past); 0 if unset. */
long crl_hours_left(X509_CRL *crl, time_t now);
/* How many certificates the CRL lists. */
int crl_entries(X509_CRL *crl);
/* The cRLNumber in decimal, or "none". */
void crl_number_string(X509_CRL *crl, char *out, size_t outsz);
/* The cRLNumber, or NULL when the CRL has none; BN_free it. */
BIGNUM *crl_number(X509_CRL *crl);
/* 1 when next's cRLNumber is lower than the installed CRL's number (a
 * replay); a CRL without a number never replaces one that has one. */
int crl_number_older(X509_CRL *next, const BIGNUM *installed);

/* The CRL a login would use for ca under policy p (crl_file, then every
 * file of crl_dir): the newest one ca's key signed. */
struct crl_found {
	X509_CRL *crl;		/* NULL when none; owned, free it */
	char path[4200];
	time_t mtime;
	int badly_signed;	/* CRLs in ca's name ca's key did not sign */
	char err[512];		/* a source that could not be read */
	int dir_unreadable;	/* crl_dir could not be opened */
};

void crl_find(const struct mtls_policy *p, X509 *ca, struct crl_found *f);
void crl_found_free(struct crl_found *f);

#endif
