/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The decision core: every front end builds a request, calls mtls_decide()
 * and gets the same record, so mtls-check explains exactly what a login
 * would do. */
#ifndef MTLS_DECISION_H
#define MTLS_DECISION_H

#include <stddef.h>
#include <time.h>

#include "cfg.h"
#include "reason.h"

enum mtls_check_status {
	MTLS_CHECK_PASS,
	MTLS_CHECK_FAIL,
	MTLS_CHECK_SKIP,
	MTLS_CHECK_WARN,
};

struct mtls_check {
	const char *name;
	enum mtls_check_status status;
	char detail[384];
};

#define MTLS_CHECKS_MAX 16

struct mtls_decision {
	enum mtls_result result;
	enum mtls_reason reason;
	char message[768];	/* reason sentence plus what exactly failed */
	char service[64];
	char profile[MTLS_NAME_MAX];
	char user[256];		/* the mapped account, on accept */
	char rule[MTLS_NAME_MAX];
	char subject[1024];
	char issuer[1024];
	char serial[128];	/* upper-case hex, as `openssl x509 -serial` */
	char sha256[65];	/* lower-case hex of the DER */
	char not_after[32];	/* YYYY-MM-DDTHH:MM:SSZ */
	long days_left;
	unsigned long uid;	/* the mapped account's uid, on accept */
	size_t nchecks;
	struct mtls_check checks[MTLS_CHECKS_MAX];
};

struct mtls_request {
	const char *service;	/* PAM service or tool name */
	const char *profile;	/* explicit profile, or NULL */
	const char *cert;	/* leaf, any accepted encoding */
	size_t cert_len;
	const char *chain;	/* optional intermediates */
	size_t chain_len;
	const char *user;	/* account the caller asks for, or NULL */
	time_t at;		/* evaluation time; 0 means now */
	/* When set, an accepted decision hands over the verified path (leaf
	 * first, anchor last) for the account phase's re-check; the caller
	 * frees it.  Left NULL otherwise. */
	STACK_OF(X509) **chain_out;
};

void mtls_decide(const struct mtls_cfg *cfg, const struct mtls_request *req,
    struct mtls_decision *d);

/* The policy a request uses: the explicit profile (NULL when it does not
 * exist), else a profile named after the service, else global. */
const struct mtls_policy *mtls_request_policy(const struct mtls_cfg *cfg,
    const char *service, const char *profile);

/* Fills a record that ends before any certificate is looked at (config
 * unreadable, no certificate presented). */
void mtls_decision_fail(struct mtls_decision *d, const char *service,
    enum mtls_reason r, const char *detail);

/* Sets the outcome of a record whose checks are in: reason, result, the
 * message from the first failing check; a refusal clears user. */
void mtls_decision_finish(struct mtls_decision *d, enum mtls_reason r);

/* One log line of key="value" pairs; values are escaped. */
void mtls_decision_kv(const struct mtls_decision *d, char *buf, size_t sz);
/* One JSON object with every field and the checks. */
void mtls_decision_json(const struct mtls_decision *d, char *buf, size_t sz);

const char *mtls_check_status_name(enum mtls_check_status st);

/* Used by the steps of mtls_decide to report their outcome. */
void mtls_check_add(struct mtls_decision *d, const char *name,
    enum mtls_check_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
