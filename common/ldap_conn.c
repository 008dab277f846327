/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>

#include "ldap_conn.h"
#include "util.h"

/*
 * libldap bounds connect() (LDAP_OPT_NETWORK_TIMEOUT) and waiting for a
 * result (LDAP_OPT_TIMEOUT), but not the TLS handshake of ldaps:// or
 * after StartTLS: a server that accepts TCP and never speaks TLS hangs it.
 * So every connection gets one more I/O layer, below TLS and above TCP,
 * that waits at most the operation timeout for the socket before each
 * read or write and fails with ETIMEDOUT after that.  Its only state, the
 * timeout in milliseconds, lives in the layer itself.
 */
static int
wait_fd(Sockbuf_IO_Desc *sbiod, short events)
{
	int ms = (int)(intptr_t)sbiod->sbiod_pvt, fd = -1, n;
	struct pollfd pfd;

	if (ber_sockbuf_ctrl(sbiod->sbiod_sb, LBER_SB_OPT_GET_FD, &fd) != 1 ||
	    fd < 0)
		return 0;	/* not ours to judge: the next layer fails */
	pfd.fd = fd;
	pfd.events = events;
	while ((n = poll(&pfd, 1, ms)) < 0 && errno == EINTR)
		;
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

static int
bounded_setup(Sockbuf_IO_Desc *sbiod, void *arg)
{
	sbiod->sbiod_pvt = arg;
	return 0;
}

static int
bounded_remove(Sockbuf_IO_Desc *sbiod)
{
	sbiod->sbiod_pvt = NULL;
	return 0;
}

static int
bounded_ctrl(Sockbuf_IO_Desc *sbiod, int opt, void *arg)
{
	return LBER_SBIOD_CTRL_NEXT(sbiod, opt, arg);
}

static ber_slen_t
bounded_read(Sockbuf_IO_Desc *sbiod, void *buf, ber_len_t len)
{
	if (wait_fd(sbiod, POLLIN) != 0)
		return -1;
	return LBER_SBIOD_READ_NEXT(sbiod, buf, len);
}

static ber_slen_t
bounded_write(Sockbuf_IO_Desc *sbiod, void *buf, ber_len_t len)
{
	if (wait_fd(sbiod, POLLOUT) != 0)
		return -1;
	return LBER_SBIOD_WRITE_NEXT(sbiod, buf, len);
}

static const Sockbuf_IO bounded_io = {
	bounded_setup, bounded_remove, bounded_ctrl, bounded_read,
	bounded_write, NULL
};

/* Called by libldap right after connect(), before any TLS. */
static int
add_bounded_io(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv,
    struct sockaddr *addr, struct ldap_conncb *ctx)
{
	struct timeval *op = NULL;
	intptr_t ms;

	(void)srv;
	(void)addr;
	(void)ctx;
	if (ldap_get_option(ld, LDAP_OPT_TIMEOUT, &op) != LDAP_OPT_SUCCESS ||
	    op == NULL)
		return -1;
	ms = (intptr_t)op->tv_sec * 1000 + op->tv_usec / 1000;
	ldap_memfree(op);
	/* liblber takes a non-const table but never writes it. */
	return ber_sockbuf_add_io(sb, (Sockbuf_IO *)(uintptr_t)&bounded_io,
	    LBER_SBIOD_LEVEL_TRANSPORT, (void *)ms) == 0 ? 0 : -1;
}

static void
del_bounded_io(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	(void)ld;
	(void)sb;
	(void)ctx;
}

static const struct ldap_conncb bounded_cb = {
	add_bounded_io, del_bounded_io, NULL
};

static int
set_options(LDAP *ld, const struct mtls_policy *p)
{
	struct timeval net = { p->ldap_network_timeout, 0 };
	struct timeval op = { p->ldap_timeout, 0 };
	int v3 = LDAP_VERSION3, demand = LDAP_OPT_X_TLS_DEMAND, zero = 0;

	if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3) ||
	    ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &net) ||
	    ldap_set_option(ld, LDAP_OPT_TIMEOUT, &op) ||
	    ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) ||
	    ldap_set_option(ld, LDAP_OPT_CONNECT_CB, &bounded_cb) ||
	    ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand))
		return -1;
	if (p->ldap_ca_file != NULL &&
	    ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, p->ldap_ca_file))
		return -1;
	/* Per-handle TLS settings take effect in a new context. */
	return ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero) ? -1 : 0;
}

static int
try_uri(const struct mtls_policy *p, const char *uri, LDAP **out,
    char *why, size_t whysz)
{
	struct berval cred = { 0, NULL };
	LDAP *ld = NULL;
	int rc;

	/* The configuration check already refused this; never by accident. */
	if (strncmp(uri, "ldap://", 7) == 0 && !p->ldap_starttls &&
	    !p->ldap_plaintext) {
		mtls_fmt(why, whysz, "plain ldap:// needs ldap_plaintext = "
		    "yes");
		return -1;
	}
	if ((rc = ldap_initialize(&ld, uri)) != LDAP_SUCCESS) {
		mtls_fmt(why, whysz, "%s", ldap_err2string(rc));
		return -1;
	}
	if (set_options(ld, p) != 0) {
		mtls_fmt(why, whysz, "cannot set connection options");
		goto fail;
	}
	if (p->ldap_starttls && strncmp(uri, "ldaps:", 6) != 0 &&
	    (rc = ldap_start_tls_s(ld, NULL, NULL)) != LDAP_SUCCESS) {
		mtls_fmt(why, whysz, "StartTLS: %s", ldap_err2string(rc));
		goto fail;
	}
	if (p->ldap_bind_dn != NULL) {
		cred.bv_val = (char *)(uintptr_t)p->ldap_bind_password;
		cred.bv_len = strlen(p->ldap_bind_password);
	}
	rc = ldap_sasl_bind_s(ld, p->ldap_bind_dn, LDAP_SASL_SIMPLE, &cred,
	    NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		mtls_fmt(why, whysz, "bind: %s", ldap_err2string(rc));
		goto fail;
	}
	*out = ld;
	return 0;
fail:
	ldap_unbind_ext_s(ld, NULL, NULL);
	return -1;
}

int
mtls_ldap_connect(const struct mtls_policy *p, LDAP **ld, char *err,
    size_t errsz)
{
	char uris[1024], why[256], *save = NULL, *uri;
	size_t off = 0;

	*ld = NULL;
	err[0] = '\0';
	if (p->ldap_uri == NULL || mtls_strlcpy(uris, p->ldap_uri,
	    sizeof(uris)) != 0) {
		mtls_fmt(err, errsz, "ldap_uri is not set");
		return -1;
	}
	for (uri = strtok_r(uris, " \t", &save); uri != NULL;
	    uri = strtok_r(NULL, " \t", &save)) {
		if (try_uri(p, uri, ld, why, sizeof(why)) == 0)
			return 0;
		mtls_fmt(err + off, errsz - off, "%s%s: %s", off ? "; " : "",
		    uri, why);
		off = strlen(err);
	}
	return -1;
}

void
mtls_ldap_close(LDAP *ld)
{
	if (ld != NULL)
		ldap_unbind_ext_s(ld, NULL, NULL);
}
