/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* openvpn-plugin-mtls.so: OpenVPN's side.  Decides at TLS_VERIFY for the
 * client's own certificate (depth 0) by asking the helper, which runs the
 * admin's PAM stack; the intermediates OpenVPN verified (depth > 0, called
 * before depth 0 in the same handshake) travel along as MTLS_CHAIN. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <openvpn/openvpn-plugin.h>

#include "cert_input.h"
#include "helper.h"
#include "proto.h"
#include "reason.h"
#include "util.h"

#define MTLS_EXPORT __attribute__((visibility("default")))
#define PLUGIN_NAME "mtls"
#define TIMEOUT_DEFAULT 10
#define CHAIN_BYTES_MAX (64 * 1024)

struct plugin {
	plugin_log_t log;
	char service[64];
	int timeout_ms;
	int fd;		/* -1 once the helper is gone */
	pid_t pid;
	unsigned long seq;
};

/* One per client instance: the chain of the handshake under way and the
 * account the last decision mapped it to. */
struct client {
	char *chain;
	size_t chain_len;
	int ncerts;
	int last_depth;
	char user[256];
};

static void
plog(const struct plugin *p, openvpn_plugin_log_flags_t f, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
plog(const struct plugin *p, openvpn_plugin_log_flags_t f, const char *fmt,
    ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	mtls_vfmt(line, sizeof(line), fmt, ap);
	va_end(ap);
	p->log(f, PLUGIN_NAME, "%s", line);
}

static int
parse_args(struct plugin *p, const char **argv, char *err, size_t errsz)
{
	long t;
	int i;

	if (argv[0] == NULL || argv[1] == NULL || argv[1][0] == '\0' ||
	    strchr(argv[1], '=') != NULL ||
	    mtls_strlcpy(p->service, argv[1], sizeof(p->service)) != 0) {
		mtls_fmt(err, errsz, "usage: plugin %s SERVICE [timeout=N]",
		    argv[0] ? argv[0] : "openvpn-plugin-mtls.so");
		return -1;
	}
	p->timeout_ms = TIMEOUT_DEFAULT * 1000;
	for (i = 2; argv[i] != NULL; i++) {
		if (strncmp(argv[i], "timeout=", 8) == 0 &&
		    mtls_parse_long(argv[i] + 8, 1, 300, &t) == 0) {
			p->timeout_ms = (int)t * 1000;
			continue;
		}
		mtls_fmt(err, errsz, "unknown or invalid argument \"%.64s\"",
		    argv[i]);
		return -1;
	}
	return 0;
}

MTLS_EXPORT int
openvpn_plugin_open_v3(const int version,
    struct openvpn_plugin_args_open_in const *in,
    struct openvpn_plugin_args_open_return *out)
{
	struct plugin *p;
	char err[256];

	if (version < 3 || in->callbacks == NULL ||
	    (p = calloc(1, sizeof(*p))) == NULL)
		return OPENVPN_PLUGIN_FUNC_ERROR;
	p->log = in->callbacks->plugin_log;
	if (parse_args(p, (const char **)in->argv, err, sizeof(err)) != 0 ||
	    (p->pid = helper_start(p->service, &p->fd, err,
	    sizeof(err))) < 0) {
		plog(p, PLOG_ERR, "%s", err);
		free(p);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	plog(p, PLOG_NOTE, "helper pid=%ld started for PAM service %s, "
	    "timeout=%ds", (long)p->pid, p->service, p->timeout_ms / 1000);
	out->type_mask = OPENVPN_PLUGIN_MASK(OPENVPN_PLUGIN_TLS_VERIFY) |
	    OPENVPN_PLUGIN_MASK(OPENVPN_PLUGIN_CLIENT_CONNECT_V2);
	out->handle = p;
	return OPENVPN_PLUGIN_FUNC_SUCCESS;
}

/* Closing our end is the helper's signal to exit; do not hang OpenVPN's
 * shutdown on a helper stuck in PAM (it dies with us anyway). */
static void
helper_stop(struct plugin *p)
{
	int i;

	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	for (i = 0; p->pid > 0 && i < 100; i++) {
		if (waitpid(p->pid, NULL, WNOHANG) != 0)
			break;
		usleep(20000);
	}
	p->pid = 0;
}

MTLS_EXPORT void
openvpn_plugin_close_v1(openvpn_plugin_handle_t handle)
{
	struct plugin *p = handle;

	helper_stop(p);
	free(p);
}

MTLS_EXPORT void *
openvpn_plugin_client_constructor_v1(openvpn_plugin_handle_t handle)
{
	struct client *c = calloc(1, sizeof(*c));

	(void)handle;
	if (c != NULL)
		c->last_depth = -1;
	return c;
}

static void
chain_reset(struct client *c)
{
	free(c->chain);
	c->chain = NULL;
	c->chain_len = 0;
	c->ncerts = 0;
	c->last_depth = -1;
}

MTLS_EXPORT void
openvpn_plugin_client_destructor_v1(openvpn_plugin_handle_t handle,
    void *ctx)
{
	(void)handle;
	if (ctx != NULL)
		chain_reset(ctx);
	free(ctx);
}

/* x in PEM as a malloc'd C string. */
static char *
pem_of(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *s = NULL;
	long n;

	if (b != NULL && PEM_write_bio_X509(b, x) == 1 &&
	    (n = BIO_get_mem_data(b, &data)) > 0 &&
	    (s = malloc((size_t)n + 1)) != NULL) {
		memcpy(s, data, (size_t)n);
		s[n] = '\0';
	}
	BIO_free(b);
	return s;
}

/* Depth N..1 of one handshake arrive in that order before depth 0; a depth
 * that does not descend starts a new handshake (renegotiation, or one that
 * failed half-way).  A self-signed certificate (the root OpenVPN's --ca
 * trusts) is not passed on: only the module's ca_file can make it a trust
 * anchor, and OpenSSL looks issuers up there first, so as an untrusted
 * intermediate it would only cost the helper a parse per connection. */
static int
chain_add(struct client *c, int depth, X509 *x)
{
	char *pem, *n;
	size_t l;

	if (c->last_depth < 0 || depth >= c->last_depth)
		chain_reset(c);
	c->last_depth = depth;
	if (X509_self_signed(x, 0) == 1)
		return 0;
	if (++c->ncerts > MTLS_CHAIN_MAX)
		return 0;	/* the module refuses a chain too long */
	if ((pem = pem_of(x)) == NULL)
		return -1;
	l = strlen(pem);
	if (c->chain_len + l >= CHAIN_BYTES_MAX ||
	    (n = realloc(c->chain, c->chain_len + l + 1)) == NULL) {
		free(pem);
		return -1;
	}
	memcpy(n + c->chain_len, pem, l + 1);
	c->chain = n;
	c->chain_len += l;
	free(pem);
	return 0;
}

static void
subject_of(X509 *x, char *out, size_t outsz)
{
	char raw[512];
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n = 0;

	raw[0] = '\0';
	if (b != NULL && X509_NAME_print_ex(b, X509_get_subject_name(x), 0,
	    XN_FLAG_RFC2253) >= 0 && (n = BIO_get_mem_data(b, &data)) > 0)
		mtls_fmt(raw, sizeof(raw), "%.*s", (int)n, data);
	BIO_free(b);
	mtls_escape_log(raw, out, outsz);
}

static void
helper_gone(struct plugin *p, const char *why)
{
	plog(p, PLOG_ERR, "helper pid=%ld is gone (%s): every client is "
	    "refused until OpenVPN restarts", (long)p->pid, why);
	helper_stop(p);
}

/* Sends the request and waits for its answer; an answer to an earlier
 * request that timed out is skipped by its sequence number. */
static enum mtls_reason
ask(struct plugin *p, const char *leaf, const char *chain, char *user,
    size_t usersz, char *msg, size_t msgsz)
{
	char seq[32], *buf = NULL;
	const char *req[3], *rep[5];
	size_t len;
	enum proto_status st;
	enum mtls_reason r;

	if (p->fd < 0) {
		mtls_fmt(msg, msgsz, "the helper is gone: restart OpenVPN");
		return MTLS_E_INTERNAL;
	}
	mtls_fmt(seq, sizeof(seq), "%lu", ++p->seq);
	req[0] = seq;
	req[1] = leaf;
	req[2] = chain;
	if ((st = proto_send(p->fd, req, 3)) != PROTO_OK) {
		helper_gone(p, st == PROTO_EOF ? "connection closed" :
		    "cannot write to it");
		mtls_fmt(msg, msgsz, "the helper is gone: restart OpenVPN");
		return MTLS_E_INTERNAL;
	}
	for (;;) {
		free(buf);
		st = proto_recv(p->fd, p->timeout_ms, &buf, &len);
		if (st == PROTO_TIMEOUT) {
			mtls_fmt(msg, msgsz, "no answer from the helper "
			    "within %d s", p->timeout_ms / 1000);
			return MTLS_E_BACKEND_DOWN;
		}
		if (st != PROTO_OK || proto_fields(buf, len, rep, 5) != 0) {
			free(buf);
			helper_gone(p, st == PROTO_EOF ? "connection closed" :
			    "malformed answer");
			mtls_fmt(msg, msgsz, "the helper is gone: restart "
			    "OpenVPN");
			return MTLS_E_INTERNAL;
		}
		if (strcmp(rep[0], seq) == 0)
			break;
	}
	r = mtls_reason_from_name(rep[2]);
	mtls_strlcpy(msg, rep[4], msgsz);
	if (strcmp(rep[1], "accept") == 0 && rep[3][0] != '\0' &&
	    mtls_strlcpy(user, rep[3], usersz) == 0)
		r = MTLS_OK;
	else if (r == MTLS_OK || r == MTLS_REASON_COUNT)
		r = MTLS_E_INTERNAL;	/* refused without one of our codes */
	free(buf);
	return r;
}

/* The value of NAME in OpenVPN's environment list, "" when absent. */
static const char *
env_get(const char **envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return "";
}

/* The client's address: OpenVPN does not prefix plugin log lines with it
 * while the handshake is under way. */
static void
peer_of(const char **envp, char *out, size_t outsz)
{
	char raw[128];

	mtls_fmt(raw, sizeof(raw), "%.64s:%.8s", env_get(envp, "untrusted_ip"),
	    env_get(envp, "untrusted_port"));
	mtls_escape_log(raw, out, outsz);
}

static int
verify_leaf(struct plugin *p, struct client *c, X509 *x, const char **envp)
{
	char subject[600], peer[160], user[256], msg[256], *leaf;
	char euser[600], emsg[600];
	enum mtls_reason r;

	subject_of(x, subject, sizeof(subject));
	peer_of(envp, peer, sizeof(peer));
	user[0] = '\0';
	if ((leaf = pem_of(x)) == NULL) {
		mtls_strlcpy(msg, "cannot encode the certificate", sizeof(msg));
		r = MTLS_E_INTERNAL;
	} else
		r = ask(p, leaf, c && c->chain ? c->chain : "", user,
		    sizeof(user), msg, sizeof(msg));
	free(leaf);
	if (c != NULL) {
		chain_reset(c);
		mtls_strlcpy(c->user, r == MTLS_OK ? user : "",
		    sizeof(c->user));
	}
	mtls_escape_log(user, euser, sizeof(euser));
	mtls_escape_log(msg, emsg, sizeof(emsg));
	if (r == MTLS_OK) {
		plog(p, PLOG_NOTE, "result=accept reason=MTLS_OK user=\"%s\" "
		    "subject=\"%s\" peer=%s", euser, subject, peer);
		return OPENVPN_PLUGIN_FUNC_SUCCESS;
	}
	plog(p, PLOG_WARN, "result=refuse reason=%s subject=\"%s\" peer=%s "
	    "msg=\"%s\"", mtls_reason_name(r), subject, peer, emsg);
	return OPENVPN_PLUGIN_FUNC_ERROR;
}

static int
tls_verify(struct plugin *p, const struct openvpn_plugin_args_func_in *in)
{
	struct client *c = in->per_client_context;

	if (in->current_cert == NULL) {
		plog(p, PLOG_ERR, "result=refuse reason=MTLS_E_NO_CERT "
		    "msg=\"no certificate at depth %d\"",
		    in->current_cert_depth);
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	if (in->current_cert_depth > 0) {
		if (c != NULL && chain_add(c, in->current_cert_depth,
		    in->current_cert) != 0) {
			plog(p, PLOG_ERR, "result=refuse "
			    "reason=MTLS_E_INTERNAL msg=\"cannot keep the "
			    "chain\"");
			return OPENVPN_PLUGIN_FUNC_ERROR;
		}
		return OPENVPN_PLUGIN_FUNC_SUCCESS;
	}
	return verify_leaf(p, c, in->current_cert, (const char **)in->envp);
}

/* The account TLS_VERIFY mapped the client to, for the connect hook; a
 * client that reached here without our decision is refused. */
static int
client_connect(struct plugin *p, const struct client *c)
{
	if (c == NULL || c->user[0] == '\0') {
		plog(p, PLOG_ERR, "client-connect without an accepted "
		    "certificate: refused");
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
	plog(p, PLOG_NOTE, "client-connect user=\"%s\"", c->user);
	return OPENVPN_PLUGIN_FUNC_SUCCESS;
}

MTLS_EXPORT int
openvpn_plugin_func_v3(const int version,
    struct openvpn_plugin_args_func_in const *in,
    struct openvpn_plugin_args_func_return *out)
{
	struct plugin *p = in->handle;

	(void)version;
	(void)out;
	switch (in->type) {
	case OPENVPN_PLUGIN_TLS_VERIFY:
		return tls_verify(p, in);
	case OPENVPN_PLUGIN_CLIENT_CONNECT_V2:
		return client_connect(p, in->per_client_context);
	default:
		return OPENVPN_PLUGIN_FUNC_ERROR;
	}
}
