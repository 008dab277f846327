/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The helper process: request = (seq, leaf PEM, chain PEM or ""), answer =
 * (seq, "accept" | "refuse", reason code, account, message). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "helper.h"
#include "pam_noconv.h"
#include "pin.h"
#include "proto.h"
#include "reason.h"
#include "util.h"

#define HELPER_FD 3

struct answer {
	int accept;
	char reason[64];
	char user[256];
	char msg[256];
};

struct fill_arg {
	const char *leaf;
	const char *chain;
	struct pin_state *pins;
};

static int
fill(pam_handle_t *pamh, void *arg)
{
	const struct fill_arg *f = arg;
	int rc;

	/* pam_start has loaded the stack: keep it for the next one. */
	pin_loaded(f->pins);
	rc = mtls_putenv_kv(pamh, "MTLS_CERT", f->leaf);
	if (rc == PAM_SUCCESS && f->chain[0] != '\0')
		rc = mtls_putenv_kv(pamh, "MTLS_CHAIN", f->chain);
	return rc;
}

/* One whole transaction, as a login would run it (auth + account).  The
 * reason passes only if it is one of ours; the PAM code decides, the
 * reason only explains. */
static void
decide(const char *service, const char *leaf, const char *chain,
    struct pin_state *pins, struct answer *a)
{
	struct pam_conv pc = { mtls_noconv, NULL };
	struct fill_arg f = { leaf, chain, pins };
	struct mtls_login out;
	const char *reason = out.reason;

	mtls_pam_login(service, NULL, &pc, fill, &f, 0, &out);
	memset(a, 0, sizeof(*a));
	a->accept = out.rc == PAM_SUCCESS;
	if (mtls_reason_from_name(out.reason) == MTLS_REASON_COUNT)
		reason = a->accept ? "-" : "MTLS_E_INTERNAL";
	mtls_strlcpy(a->reason, reason, sizeof(a->reason));
	mtls_strlcpy(a->user, out.user, sizeof(a->user));
	mtls_strlcpy(a->msg, a->accept ? "accepted by the PAM stack" :
	    out.pam_text, sizeof(a->msg));
}

static int
serve_one(int fd, const char *service, struct pin_state *pins)
{
	const char *req[3], *rep[5];
	struct answer a;
	char *buf;
	size_t len;
	enum proto_status st;

	if ((st = proto_recv(fd, -1, &buf, &len)) != PROTO_OK)
		return -1;
	if (proto_fields(buf, len, req, 3) != 0) {
		/* The plugin is our only peer: garbage means it is broken. */
		free(buf);
		return -1;
	}
	decide(service, req[1], req[2], pins, &a);
	rep[0] = req[0];
	rep[1] = a.accept ? "accept" : "refuse";
	rep[2] = a.reason;
	rep[3] = a.user;
	rep[4] = a.msg;
	st = proto_send(fd, rep, 5);
	free(buf);
	return st == PROTO_OK ? 0 : -1;
}

/* OpenVPN's signal handlers and descriptors are not the helper's. */
static void
detach(int fd, pid_t parent)
{
	sigset_t none;
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Die with OpenVPN, even if it is killed before closing us. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
	if (fd != HELPER_FD && dup2(fd, HELPER_FD) != HELPER_FD)
		_exit(1);
	if (close_range(HELPER_FD + 1, ~0U, 0) != 0)
		_exit(1);
}

pid_t
helper_start(const char *service, int *fd, char *err, size_t errsz)
{
	int sv[2];
	pid_t parent = getpid(), pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		mtls_fmt(err, errsz, "socketpair: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		mtls_fmt(err, errsz, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		struct pin_state pins = PIN_STATE_INIT;

		detach(sv[1], parent);
		while (serve_one(HELPER_FD, service, &pins) == 0)
			;
		_exit(0);
	}
	close(sv[1]);
	*fd = sv[0];
	return pid;
}
