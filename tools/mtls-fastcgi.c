/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-fastcgi: nginx's auth_request answered by a long-running FastCGI
 * responder (libfcgi) instead of one mtls-auth process per request.  It
 * accepts on the listening socket it gets as standard input (spawn-fcgi,
 * systemd StandardInput=socket) and answers like mtls-auth --cgi: the
 * certificate is read only from the parameter the nginx snippet sets.
 *
 * Model: a fixed pool of worker threads, each accepting and answering one
 * request at a time with its own PAM transaction; a slow LDAP lookup holds
 * one worker, the others go on.  The process stays warm: pam_mtls keeps
 * its configuration and CRL caches across requests.  On top, accepted
 * decisions are kept for --cache-ttl seconds (tools/cached_login.c): a
 * kept-alive connection asks again for every request. */
#include "config.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <security/pam_appl.h>

#include "cached_login.h"
#include "cgi.h"
#include "pam_noconv.h"
#include "pin.h"
#include "util.h"

#define THREADS_DEFAULT 8
#define THREADS_MAX 64
#define CACHE_TTL_DEFAULT 10

struct server {
	const char *service;
	char cert_var[128];
	char chain_var[128];	/* "" when no chain header */
	long cache_ttl;
	struct cached_login *cache;	/* NULL with --cache-ttl 0 */
	pthread_mutex_t accept_lock;
	struct pin_state *pins;		/* the PAM stack kept mapped */
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: mtls-fastcgi --service NAME [--threads N] "
	    "[--cache-ttl SECONDS]\n"
	    "                    [--cgi-header NAME] [--cgi-chain-header NAME]"
	    "\n"
	    "Answers nginx auth_request subrequests as a FastCGI responder on "
	    "the listening\nsocket given as standard input.\n");
}

static int
parse_args(int argc, char **argv, struct server *s, int *threads)
{
	static const struct option lo[] = {
		{ "service", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "cache-ttl", required_argument, NULL, 'T' },
		{ "cgi-header", required_argument, NULL, 'H' },
		{ "cgi-chain-header", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *header = "X-SSL-Client-Cert", *chain = NULL;
	long n = THREADS_DEFAULT;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's': s->service = optarg; break;
		case 't':
			if (mtls_parse_long(optarg, 1, THREADS_MAX, &n) != 0)
				return -1;
			break;
		case 'T':
			if (mtls_parse_long(optarg, 0, DCACHE_TTL_MAX,
			    &s->cache_ttl) != 0)
				return -1;
			break;
		case 'H': header = optarg; break;
		case 'C': chain = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	*threads = (int)n;
	if (optind != argc || s->service == NULL ||
	    cgi_header_var(header, s->cert_var, sizeof(s->cert_var)) != 0 ||
	    (chain != NULL && cgi_header_var(chain, s->chain_var,
	    sizeof(s->chain_var)) != 0))
		return -1;
	return 0;
}

static int
put_inputs(pam_handle_t *pamh, const struct server *s, FCGX_ParamArray env)
{
	const char *v, *addr = FCGX_GetParam("REMOTE_ADDR", env);
	int rc = PAM_SUCCESS;

	/* The module checks the size: an oversized value is
	 * MTLS_E_BAD_INPUT there. */
	if ((v = FCGX_GetParam(s->cert_var, env)) != NULL && v[0] != '\0')
		rc = mtls_putenv_kv(pamh, "MTLS_CERT", v);
	if (rc == PAM_SUCCESS && s->chain_var[0] != '\0' &&
	    (v = FCGX_GetParam(s->chain_var, env)) != NULL && v[0] != '\0')
		rc = mtls_putenv_kv(pamh, "MTLS_CHAIN", v);
	if (rc == PAM_SUCCESS && addr != NULL && addr[0] != '\0' &&
	    strlen(addr) < 64 &&
	    strspn(addr, "0123456789abcdefABCDEF:.") == strlen(addr))
		rc = pam_set_item(pamh, PAM_RHOST, addr);
	return rc;
}

struct fill_arg {
	const struct server *s;
	FCGX_ParamArray envp;
};

/* In a fresh handle (libpam has loaded the stack by now): keeps what it
 * loaded mapped, so a decision not kept costs the stack's decisions, not
 * loading pam_unix and the rest of `other` again (tools/pin.h). */
static int
fill(pam_handle_t *pamh, void *arg)
{
	const struct fill_arg *f = arg;

	pin_loaded(f->s->pins);
	return put_inputs(pamh, f->s, f->envp);
}

/* A kept decision, or auth + account + setcred. */
static void
decide(const struct server *s, FCGX_ParamArray env, struct mtls_login *out)
{
	struct pam_conv pc = { mtls_noconv, NULL };
	struct fill_arg f = { s, env };
	unsigned char key[DCACHE_KEY_LEN];
	const char *parts[3];
	const char *cert = FCGX_GetParam(s->cert_var, env);
	long age;
	int hit;

	parts[0] = cert;
	parts[1] = s->chain_var[0] != '\0' ?
	    FCGX_GetParam(s->chain_var, env) : NULL;
	/* PAM_RHOST: another module of the stack may decide by it. */
	parts[2] = FCGX_GetParam("REMOTE_ADDR", env);
	if (s->cache == NULL || cert == NULL || cert[0] == '\0' ||
	    cached_login_key(parts, 3, key) != 0) {
		mtls_pam_login(s->service, NULL, &pc, fill, &f,
		    MTLS_LOGIN_SETCRED, out);
		return;
	}
	cached_login(s->cache, key, &pc, fill, &f, out, &hit, &age);
	/* Every accept leaves a line, kept ones too (the module logs the
	 * others). */
	if (hit)
		fprintf(stderr, "mtls-fastcgi: accept user=%s reason=%s "
		    "(kept decision, %ld ms old, files unchanged)\n",
		    out->user, out->reason, age);
}

/* One subrequest: the decision, then the reply. */
static void
answer(const struct server *s, FCGX_Request *req)
{
	struct mtls_login out;
	char buf[1024];

	decide(s, req->envp, &out);
	cgi_format(out.rc, mtls_pam_broken(out.rc), out.reason, out.user, buf,
	    sizeof(buf));
	/* A client gone mid-request makes the write fail: nothing to do. */
	FCGX_PutS(buf, req->out);
}

static void *
worker(void *arg)
{
	struct server *s = arg;
	FCGX_Request req;
	int rc;

	if (FCGX_InitRequest(&req, 0, 0) != 0)
		return NULL;
	for (;;) {
		pthread_mutex_lock(&s->accept_lock);
		rc = FCGX_Accept_r(&req);
		pthread_mutex_unlock(&s->accept_lock);
		if (rc < 0)
			break;
		answer(s, &req);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct server s;
	struct pin_state pins = PIN_STATE_INIT;
	pthread_t tid[THREADS_MAX];
	int threads, i, started = 0;

	memset(&s, 0, sizeof(s));
	s.cache_ttl = CACHE_TTL_DEFAULT;
	s.pins = &pins;
	if (parse_args(argc, argv, &s, &threads) != 0) {
		usage(stderr);
		return 2;
	}
	if (FCGX_IsCGI()) {
		fprintf(stderr, "mtls-fastcgi: standard input is not a "
		    "listening socket (run it from a systemd socket unit or "
		    "spawn-fcgi)\n");
		return 2;
	}
	/* nginx may close its end at any time; that must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0 || pthread_mutex_init(&s.accept_lock, NULL) != 0)
		return 2;
	if (s.cache_ttl > 0 &&
	    (s.cache = cached_login_new(s.service, s.cache_ttl)) == NULL) {
		fprintf(stderr, "mtls-fastcgi: out of memory\n");
		return 2;
	}
	/* libfcgi catches SIGTERM to end its accept loop, which never returns
	 * while every worker waits in accept(): stop at once instead (nginx
	 * answers 500 for the requests under way; systemd restarts us). */
	signal(SIGTERM, SIG_DFL);
	for (i = 0; i < threads; i++)
		if (pthread_create(&tid[i], NULL, worker, &s) == 0)
			started++;
	if (started == 0) {
		fprintf(stderr, "mtls-fastcgi: cannot start a worker\n");
		return 2;
	}
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return 1;
}
