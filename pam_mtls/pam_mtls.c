/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* pam_mtls.so: the PAM entry points.  Thin on purpose: gather the input the
 * calling application put into the PAM environment, ask the decision core,
 * log the record, translate the reason into a PAM code. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "args.h"
#include "challenge_conv.h"
#include "cert_input.h"
#include "decision.h"
#include "deps.h"
#include "pam_result.h"
#include "recheck.h"
#include "safe_file.h"
#include "util.h"

#define MTLS_EXPORT __attribute__((visibility("default")))
#define STATE_KEY "pam_mtls_state"

/* What auth leaves for setcred and account in the same handle. */
struct state {
	char *cert;
	size_t cert_len;
	char *chain;
	size_t chain_len;
	int challenged;		/* cert proven by the challenge, not the env */
	struct mtls_decision d;	/* the last decision */
	/* Kept from the last accepting decision, so that account can
	 * re-check it rather than decide anew (see can_recheck): the
	 * configuration it used (a reference: the same object stands for
	 * the same version of every file it read), its policy, the digest
	 * of the account cache (read behind the configuration's back), the
	 * verified path and when it is valid. */
	struct mtls_cfg *cfg;
	const struct mtls_policy *policy;
	unsigned char deps[MTLS_DEPS_LEN];
	STACK_OF(X509) *verified;
	struct mtls_window window;
};

static void
forget(struct state *s)
{
	mtls_cfg_release(s->cfg);
	s->cfg = NULL;
	s->policy = NULL;
	sk_X509_pop_free(s->verified, X509_free);
	s->verified = NULL;
}

static void
state_free(struct state *s)
{
	if (s == NULL)
		return;
	forget(s);
	free(s->cert);
	free(s->chain);
	free(s);
}

static void
state_cleanup(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	state_free(data);
}

/* One of NAME (the value) or NAME_FILE (a path the application wrote);
 * both set is refused rather than guessed. 0 = found, 1 = absent. */
static enum mtls_reason
get_input(pam_handle_t *pamh, const char *name, char **out, size_t *len,
    char *msg, size_t msgsz)
{
	char fname[32];
	const char *val, *path;

	mtls_fmt(fname, sizeof(fname), "%s_FILE", name);
	val = pam_getenv(pamh, name);
	path = pam_getenv(pamh, fname);
	*out = NULL;
	*len = 0;
	if (val != NULL && path != NULL) {
		mtls_fmt(msg, msgsz, "both %s and %s are set", name, fname);
		return MTLS_E_BAD_INPUT;
	}
	if (val != NULL) {
		*len = strlen(val);
		if (*len > MTLS_INPUT_MAX) {
			mtls_fmt(msg, msgsz, "%s larger than %d bytes", name,
			    MTLS_INPUT_MAX);
			return MTLS_E_BAD_INPUT;
		}
		if ((*out = strdup(val)) == NULL)
			return MTLS_E_INTERNAL;
		return MTLS_OK;
	}
	if (path != NULL && mtls_read_file(path, MTLS_INPUT_MAX, 0, out, len,
	    msg, msgsz) != 0)
		return MTLS_E_BAD_INPUT;
	return MTLS_OK;
}

/* how: NULL, or for account "fast" (re-checked auth's decision) or "full"
 * (decided anew), so that every account line says which it was.  An
 * account phase that re-checked auth's accept in the same handle says
 * nothing auth's line did not: it is logged only with debug, so a login
 * is one line (a syslog send is a few percent of a warm login). */
static void
log_decision(pam_handle_t *pamh, const char *phase, const char *how,
    const struct mtls_decision *d, int debug)
{
	char line[4096];
	size_t i;
	int prio = d->result == MTLS_RESULT_ACCEPT ? LOG_INFO :
	    d->result == MTLS_RESULT_REFUSE ? LOG_NOTICE : LOG_ERR;
	int confirm = how != NULL && strcmp(how, "fast") == 0 &&
	    d->result == MTLS_RESULT_ACCEPT;

	if (!confirm || debug) {
		mtls_decision_kv(d, line, sizeof(line));
		pam_syslog(pamh, confirm ? LOG_DEBUG : prio, "%s %s%s%s",
		    phase, line, how ? " recheck=" : "", how ? how : "");
	}
	/* The CRL early warning (rate-limited where it is made, in
	 * revocation.c) is for the administrator, debug or not. */
	for (i = 0; i < d->nchecks; i++)
		if (strcmp(d->checks[i].name, "crl_warning") == 0)
			pam_syslog(pamh, LOG_WARNING, "%s crl_warning %s",
			    phase, d->checks[i].detail);
	for (i = 0; debug && i < d->nchecks; i++)
		pam_syslog(pamh, LOG_DEBUG, "%s check %s=%s %s", phase,
		    d->checks[i].name,
		    mtls_check_status_name(d->checks[i].status),
		    d->checks[i].detail);
}

static int
finish_how(pam_handle_t *pamh, const char *phase, const char *how,
    const struct mtls_decision *d, int debug)
{
	char env[64], msg[sizeof(d->message) + 16];
	size_t i;

	log_decision(pamh, phase, how, d, debug);
	/* The reason and its sentence reach the application (mtls-auth
	 * prints them where the frontend logs them; syslog may not exist),
	 * never the remote user through the conversation. */
	mtls_fmt(env, sizeof(env), "MTLS_REASON=%s",
	    mtls_reason_name(d->reason));
	pam_putenv(pamh, env);
	mtls_fmt(msg, sizeof(msg), "MTLS_MESSAGE=%s", d->message);
	for (i = 0; msg[i] != '\0'; i++)	/* one line, whatever it quotes */
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	pam_putenv(pamh, msg);
	return mtls_pam_code(d->reason);
}

static int
finish(pam_handle_t *pamh, const char *phase, const struct mtls_decision *d,
    int debug)
{
	return finish_how(pamh, phase, NULL, d, debug);
}

static const char *
pam_item_str(pam_handle_t *pamh, int item)
{
	const void *v = NULL;

	if (pam_get_item(pamh, item, &v) != PAM_SUCCESS)
		return NULL;
	return v;
}

/* Runs the decision for state s (inputs already gathered) and takes over
 * the reference to cfg: an accepted decision keeps it for account.  The
 * digest is taken before deciding, so a file replaced meanwhile shows. */
static void
decide_cfg(pam_handle_t *pamh, const struct pam_args *a,
    struct mtls_cfg *cfg, struct state *s)
{
	struct mtls_request req;
	const char *service = pam_item_str(pamh, PAM_SERVICE);
	int digest;

	forget(s);
	digest = mtls_deps_cache_fingerprint(cfg, s->deps);
	memset(&req, 0, sizeof(req));
	req.chain_out = &s->verified;
	req.service = service;
	req.profile = a->profile;
	req.cert = s->cert;
	req.cert_len = s->cert_len;
	req.chain = s->chain;
	req.chain_len = s->chain_len;
	req.user = pam_item_str(pamh, PAM_USER);
	mtls_decide(cfg, &req, &s->d);
	s->cfg = cfg;
	s->policy = mtls_request_policy(cfg, service, a->profile);
	if (digest != 0 || s->d.result != MTLS_RESULT_ACCEPT ||
	    mtls_path_window(s->verified, &s->window) != 0)
		forget(s);
}

static struct mtls_cfg *
load_cfg(pam_handle_t *pamh, const struct pam_args *a, struct state *s)
{
	struct mtls_cfg *cfg;
	char err[1024];

	if ((cfg = mtls_cfg_acquire(a->config, err, sizeof(err))) == NULL)
		mtls_decision_fail(&s->d, pam_item_str(pamh, PAM_SERVICE),
		    MTLS_E_CONFIG, err);
	return cfg;
}

/* The certificate the application put in the PAM environment. */
static enum mtls_reason
env_input(pam_handle_t *pamh, struct state *s, char *msg, size_t msgsz)
{
	enum mtls_reason r;

	r = get_input(pamh, "MTLS_CERT", &s->cert, &s->cert_len, msg, msgsz);
	if (r == MTLS_OK)
		r = get_input(pamh, "MTLS_CHAIN", &s->chain, &s->chain_len,
		    msg, msgsz);
	if (r == MTLS_OK && s->cert == NULL) {
		r = MTLS_E_NO_CERT;
		mtls_strlcpy(msg, "neither MTLS_CERT nor MTLS_CERT_FILE is "
		    "set in the PAM environment", msgsz);
	}
	return r;
}

/* The certificate proven by a signature over a fresh challenge. */
static enum mtls_reason
challenge_input(pam_handle_t *pamh, const struct pam_args *a,
    const struct mtls_cfg *cfg, struct state *s, char *msg, size_t msgsz)
{
	const char *service = pam_item_str(pamh, PAM_SERVICE);
	const struct mtls_policy *p = mtls_request_policy(cfg, service,
	    a->profile);

	return pam_challenge_input(pamh, service, p ? p->challenge_window :
	    cfg->global.challenge_window, &s->cert, &s->cert_len, &s->chain,
	    &s->chain_len, msg, msgsz);
}

static int export_env(pam_handle_t *, const char *, const char *);

/* Which configuration and profile decided: a caching application (the
 * FastCGI responder) fingerprints that configuration's files to know when a
 * decision it keeps goes stale.  Two pam_mtls lines of one transaction
 * that disagree leave MTLS_CONFIG empty: nothing is kept then. */
static void
export_source(pam_handle_t *pamh, const struct pam_args *a)
{
	const char *prof = a->profile != NULL ? a->profile : "";
	const char *c = pam_getenv(pamh, "MTLS_CONFIG");
	const char *p = pam_getenv(pamh, "MTLS_PROFILE");

	if (c == NULL) {
		export_env(pamh, "MTLS_CONFIG", a->config);
		export_env(pamh, "MTLS_PROFILE", prof);
	} else if (strcmp(c, a->config) != 0 || p == NULL ||
	    strcmp(p, prof) != 0)
		export_env(pamh, "MTLS_CONFIG", "");
}

static int
authenticate(pam_handle_t *pamh, const struct pam_args *a)
{
	struct state *s = calloc(1, sizeof(*s));
	const char *service = pam_item_str(pamh, PAM_SERVICE);
	struct mtls_cfg *cfg;
	enum mtls_reason r;
	char msg[512] = "";
	int rc;

	if (s == NULL)
		return PAM_BUF_ERR;
	/* An earlier auth's decision in this handle is over: whatever this
	 * one decides, account must not find the old one. */
	if (pam_set_data(pamh, STATE_KEY, NULL, NULL) != PAM_SUCCESS) {
		state_free(s);
		return PAM_SYSTEM_ERR;
	}
	/* The configuration first: a broken one must not prompt anybody. */
	if ((cfg = load_cfg(pamh, a, s)) == NULL) {
		rc = finish(pamh, "auth", &s->d, a->debug);
		state_free(s);
		return rc;
	}
	r = a->challenge ? challenge_input(pamh, a, cfg, s, msg, sizeof(msg)) :
	    env_input(pamh, s, msg, sizeof(msg));
	if (r != MTLS_OK) {
		mtls_cfg_release(cfg);
		mtls_decision_fail(&s->d, service, r, msg);
		rc = finish(pamh, "auth", &s->d, a->debug);
		state_free(s);
		return r == MTLS_E_NO_CERT && a->no_cert_ignore ? PAM_IGNORE :
		    rc;
	}
	s->challenged = a->challenge;
	decide_cfg(pamh, a, cfg, s);
	rc = finish(pamh, "auth", &s->d, a->debug);
	if (rc == PAM_SUCCESS && pam_item_str(pamh, PAM_USER) == NULL &&
	    pam_set_item(pamh, PAM_USER, s->d.user) != PAM_SUCCESS)
		rc = PAM_SYSTEM_ERR;
	if (rc != PAM_SUCCESS) {
		state_free(s);
		return rc;
	}
	if (pam_set_data(pamh, STATE_KEY, s, state_cleanup) != PAM_SUCCESS) {
		state_free(s);
		return PAM_SYSTEM_ERR;
	}
	export_source(pamh, a);
	return PAM_SUCCESS;
}

MTLS_EXPORT int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	struct pam_args a;
	struct mtls_decision d;

	(void)flags;
	if (pam_args_parse(pamh, argc, argv, &a) != 0) {
		mtls_decision_fail(&d, pam_item_str(pamh, PAM_SERVICE),
		    MTLS_E_CONFIG, "bad module option (see previous line)");
		return finish(pamh, "auth", &d, 0);
	}
	return authenticate(pamh, &a);
}

static int
export_env(pam_handle_t *pamh, const char *name, const char *value)
{
	char buf[1400];

	mtls_fmt(buf, sizeof(buf), "%s=%s", name, value);
	return pam_putenv(pamh, buf);
}

MTLS_EXPORT int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const void *data = NULL;
	const struct state *s;
	struct pam_args a;
	int rc = PAM_SUCCESS;

	if (pam_args_parse(pamh, argc, argv, &a) != 0)
		return PAM_SERVICE_ERR;
	if ((unsigned)flags & PAM_DELETE_CRED)
		return PAM_SUCCESS;
	/* No state: another module authenticated, or auth ran in another
	 * process (OpenSSH runs pam_authenticate in a child and pam_setcred
	 * in the monitor, with its own handle).  setcred grants nothing --
	 * the application calls it only after auth succeeded -- and this
	 * module holds no credentials to establish, so succeed: PAM_IGNORE
	 * from the only module of a stack fails the whole stack. */
	if (pam_get_data(pamh, STATE_KEY, &data) != PAM_SUCCESS ||
	    data == NULL)
		return PAM_SUCCESS;
	s = data;
	rc |= export_env(pamh, "MTLS_USER", s->d.user);
	rc |= export_env(pamh, "MTLS_SUBJECT", s->d.subject);
	rc |= export_env(pamh, "MTLS_ISSUER", s->d.issuer);
	rc |= export_env(pamh, "MTLS_SERIAL", s->d.serial);
	rc |= export_env(pamh, "MTLS_FINGERPRINT", s->d.sha256);
	rc |= export_env(pamh, "MTLS_RULE", s->d.rule);
	rc |= export_env(pamh, "MTLS_NOT_AFTER", s->d.not_after);
	return rc == PAM_SUCCESS ? PAM_SUCCESS : PAM_CRED_ERR;
}

static int
same_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	if (a == NULL || b == NULL)
		return a == b;
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* The certificate account decides on: the one in the PAM environment now,
 * else the one auth used (an application that cleared the environment,
 * or a challenge login: there the environment is not what was proven).
 * A different one replaces auth's; *same says whether it did not. */
static enum mtls_reason
account_input(pam_handle_t *pamh, struct state *s, int *same, char *msg,
    size_t msgsz)
{
	char *cert = NULL, *chain = NULL;
	size_t cert_len = 0, chain_len = 0;
	enum mtls_reason r;

	*same = 1;
	if (s->challenged)
		return MTLS_OK;
	r = get_input(pamh, "MTLS_CERT", &cert, &cert_len, msg, msgsz);
	if (r == MTLS_OK)
		r = get_input(pamh, "MTLS_CHAIN", &chain, &chain_len, msg,
		    msgsz);
	if (r == MTLS_OK && cert != NULL &&
	    (!same_bytes(cert, cert_len, s->cert, s->cert_len) ||
	    !same_bytes(chain, chain_len, s->chain, s->chain_len))) {
		*same = 0;
		free(s->cert);
		free(s->chain);
		s->cert = cert;
		s->cert_len = cert_len;
		s->chain = chain;
		s->chain_len = chain_len;
		return r;
	}
	free(cert);
	free(chain);
	return r;
}

/* Auth's accepting decision still stands but for time, revocation and the
 * account when: same certificate, same configuration object (the cache
 * hands out another one once any file it read changed: config, CA,
 * intermediates, map and password files), same policy (service and
 * profile), the same digest of the account cache, and PAM_USER is still
 * the mapped account. */
static int
can_recheck(pam_handle_t *pamh, const struct pam_args *a,
    const struct mtls_cfg *cfg, const struct state *s)
{
	unsigned char now[MTLS_DEPS_LEN];
	const char *user = pam_item_str(pamh, PAM_USER);

	return s->d.result == MTLS_RESULT_ACCEPT && s->verified != NULL &&
	    s->cfg == cfg && s->policy == mtls_request_policy(cfg,
	    pam_item_str(pamh, PAM_SERVICE), a->profile) &&
	    user != NULL && strcmp(user, s->d.user) == 0 &&
	    mtls_deps_cache_fingerprint(cfg, now) == 0 &&
	    memcmp(now, s->deps, sizeof(now)) == 0;
}

/* The account phase, with a configuration in hand: the re-check when
 * nothing the decision read has changed, else the whole decision. */
static int
account(pam_handle_t *pamh, const struct pam_args *a, struct mtls_cfg *cfg,
    struct state *s)
{
	char msg[512] = "";
	enum mtls_reason r;
	int same;

	if ((r = account_input(pamh, s, &same, msg, sizeof(msg))) != MTLS_OK) {
		mtls_cfg_release(cfg);
		forget(s);
		mtls_decision_fail(&s->d, pam_item_str(pamh, PAM_SERVICE), r,
		    msg);
		return finish_how(pamh, "account", "full", &s->d, a->debug);
	}
	if (same && can_recheck(pamh, a, cfg, s)) {
		mtls_cfg_release(cfg);	/* s holds its own reference */
		mtls_recheck(s->policy, s->verified, &s->window, time(NULL),
		    &s->d);
		if (s->d.result != MTLS_RESULT_ACCEPT)
			forget(s);
		return finish_how(pamh, "account", "fast", &s->d, a->debug);
	}
	decide_cfg(pamh, a, cfg, s);
	return finish_how(pamh, "account", "full", &s->d, a->debug);
}

/* The account phase decides again, now: a long VPN session re-authorised
 * after expiry, revocation or a config change is refused.  Right after auth
 * in the same handle only what can have changed is checked again. */
MTLS_EXPORT int
pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const void *data = NULL;
	struct mtls_cfg *cfg;
	struct state *s;
	struct pam_args a;
	int rc;

	(void)flags;
	if (pam_args_parse(pamh, argc, argv, &a) != 0)
		return PAM_SERVICE_ERR;
	/* No certificate login in this handle: there is nothing to re-check,
	 * and success would vouch for a check that never ran here.  The
	 * stack's other account modules decide (a stack of only this module
	 * then fails).  OpenSSH runs account in the auth child, same handle. */
	if (pam_get_data(pamh, STATE_KEY, &data) != PAM_SUCCESS ||
	    data == NULL)
		return PAM_IGNORE;
	s = (struct state *)(uintptr_t)data;
	if ((cfg = load_cfg(pamh, &a, s)) == NULL) {
		forget(s);
		return finish_how(pamh, "account", "full", &s->d, a.debug);
	}
	if ((rc = account(pamh, &a, cfg, s)) == PAM_SUCCESS)
		export_source(pamh, &a);
	return rc;
}
