/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-auth: the PAM application frontends call (OpenVPN, FreeRADIUS,
 * web gateways).  It hands the certificate to PAM through the PAM
 * environment, runs auth + account + setcred, and prints the mapped user.
 * Exit 0 accept, 1 refuse, 2 error. */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <security/pam_appl.h>

#include "cert_input.h"
#include "cgi.h"
#include "fastcgi_exec.h"
#include "mapfile.h"
#include "pam_noconv.h"
#include "read_input.h"
#include "util.h"

struct opts {
	const char *service;
	const char *user;
	const char *cert_file;
	const char *cert_env;
	int cert_stdin;
	const char *chain_file;
	int quiet;
	int refusal_stdout;
	int cgi;
	const char *cgi_header;
	const char *cgi_chain_header;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mtls-auth --service NAME [--user NAME] [--quiet] "
	    "[--refusal-stdout]\n"
	    "                 (--cert-file FILE | --cert-env VAR | "
	    "--cert-stdin)\n"
	    "                 [--chain-file FILE]\n"
	    "       mtls-auth --cgi --service NAME [--cgi-header NAME] "
	    "[--cgi-chain-header NAME]\n"
	    "       mtls-auth --fastcgi --service NAME [mtls-fastcgi options]\n"
	    "Prints the mapped user on success.  Exit status: 0 accept, "
	    "1 refuse, 2 error.\n"
	    "With --cgi, answers a web server's auth subrequest: 200 with "
	    "X-Mtls-User, 401 without a\ncertificate, 403 on refusal; the "
	    "certificate is read only from the named request header\n"
	    "(default X-SSL-Client-Cert), as the server sets it.\n"
	    "With --fastcgi, runs mtls-fastcgi(8), the long-running FastCGI "
	    "responder.\n");
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "cert-file", required_argument, NULL, 'f' },
		{ "cert-env", required_argument, NULL, 'e' },
		{ "cert-stdin", no_argument, NULL, 'i' },
		{ "chain-file", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "refusal-stdout", no_argument, NULL, 'R' },
		{ "cgi", no_argument, NULL, 'g' },
		{ "cgi-header", required_argument, NULL, 'H' },
		{ "cgi-chain-header", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, sources;

	memset(o, 0, sizeof(*o));
	o->cgi_header = "X-SSL-Client-Cert";
	while ((c = getopt_long(argc, argv, "s:u:f:e:ic:qgH:C:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 's': o->service = optarg; break;
		case 'u': o->user = optarg; break;
		case 'f': o->cert_file = optarg; break;
		case 'e': o->cert_env = optarg; break;
		case 'i': o->cert_stdin = 1; break;
		case 'c': o->chain_file = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'R': o->refusal_stdout = 1; break;
		case 'g': o->cgi = 1; break;
		case 'H': o->cgi_header = optarg; break;
		case 'C': o->cgi_chain_header = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	sources = (o->cert_file != NULL) + (o->cert_env != NULL) +
	    o->cert_stdin;
	if (o->user != NULL && o->user[0] == '\0') {
		/* FreeRADIUS expands a missing User-Name to "". */
		fprintf(stderr, "mtls-auth: --user is empty: the frontend "
		    "passed no user name\n");
		return -1;
	}
	if (optind != argc || o->service == NULL ||
	    (o->cgi ? sources != 0 || o->user != NULL || o->refusal_stdout :
	    sources != 1)) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Non-interactive: there is nobody to answer a prompt. */
static int
conv(int n, const struct pam_message **msg, struct pam_response **resp,
    void *data)
{
	int i;

	(void)data;
	*resp = NULL;
	for (i = 0; i < n; i++) {
		if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF ||
		    msg[i]->msg_style == PAM_PROMPT_ECHO_ON)
			return PAM_CONV_ERR;
		fprintf(stderr, "mtls-auth: %s\n", msg[i]->msg);
	}
	return PAM_SUCCESS;
}

static int
put_path(pam_handle_t *pamh, const char *name, const char *path)
{
	char abs[PATH_MAX];

	if (tool_abspath(path, abs, sizeof(abs)) != 0) {
		fprintf(stderr, "mtls-auth: %s: cannot resolve\n", path);
		return PAM_BUF_ERR;
	}
	return mtls_putenv_kv(pamh, name, abs);
}

/* Binary DER from stdin travels as base64; text goes as it is. */
static int
put_stdin(pam_handle_t *pamh)
{
	char err[256], *buf = NULL, *b64 = NULL;
	size_t len = 0;
	int rc;

	if (tool_read("-", MTLS_INPUT_MAX, &buf, &len, err, sizeof(err))) {
		fprintf(stderr, "mtls-auth: %s\n", err);
		return PAM_BUF_ERR;
	}
	if (memchr(buf, '\0', len) != NULL) {
		if ((b64 = malloc(4 * ((len + 2) / 3) + 1)) == NULL) {
			free(buf);
			return PAM_BUF_ERR;
		}
		EVP_EncodeBlock((unsigned char *)b64, (unsigned char *)buf,
		    (int)len);
	}
	rc = mtls_putenv_kv(pamh, "MTLS_CERT", b64 ? b64 : buf);
	free(buf);
	free(b64);
	return rc;
}

static int
put_inputs(pam_handle_t *pamh, const struct opts *o)
{
	int rc = PAM_SUCCESS;

	if (o->cert_file != NULL)
		rc = put_path(pamh, "MTLS_CERT_FILE", o->cert_file);
	else if (o->cert_env != NULL) {
		const char *v = getenv(o->cert_env);

		if (v == NULL || *v == '\0') {
			fprintf(stderr, "mtls-auth: $%s is empty\n",
			    o->cert_env);
			return PAM_BUF_ERR;
		}
		rc = mtls_putenv_kv(pamh, "MTLS_CERT", v);
	} else
		rc = put_stdin(pamh);
	if (rc == PAM_SUCCESS && o->chain_file != NULL)
		rc = put_path(pamh, "MTLS_CHAIN_FILE", o->chain_file);
	return rc;
}

static int
exit_code(int rc)
{
	if (rc == PAM_SUCCESS)
		return 0;
	return mtls_pam_broken(rc) ? 2 : 1;
}

/* The web server's header values; an absent or empty header is no
 * certificate at all (the module then says MTLS_E_NO_CERT). */
static int
put_cgi_inputs(pam_handle_t *pamh, const struct opts *o)
{
	char var[128];
	const char *v, *addr = getenv("REMOTE_ADDR");
	int rc = PAM_SUCCESS;

	if (cgi_header_var(o->cgi_header, var, sizeof(var)) != 0)
		return PAM_BUF_ERR;
	if ((v = getenv(var)) != NULL && v[0] != '\0')
		rc = mtls_putenv_kv(pamh, "MTLS_CERT", v);
	if (rc == PAM_SUCCESS && o->cgi_chain_header != NULL) {
		if (cgi_header_var(o->cgi_chain_header, var, sizeof(var)) != 0)
			return PAM_BUF_ERR;
		if ((v = getenv(var)) != NULL && v[0] != '\0')
			rc = mtls_putenv_kv(pamh, "MTLS_CHAIN", v);
	}
	if (rc == PAM_SUCCESS && addr != NULL && addr[0] != '\0' &&
	    strspn(addr, "0123456789abcdefABCDEF:.") == strlen(addr) &&
	    strlen(addr) < 64)
		rc = pam_set_item(pamh, PAM_RHOST, addr);
	return rc;
}

/* The inputs the options name: the web server's header or the files. */
static int
fill(pam_handle_t *pamh, void *arg)
{
	const struct opts *o = arg;

	return o->cgi ? put_cgi_inputs(pamh, o) : put_inputs(pamh, o);
}

/* auth + account + setcred; the outcome says what happened. */
static void
run_pam(const struct opts *o, struct mtls_login *out)
{
	struct pam_conv pc = { conv, NULL };

	mtls_pam_login(o->service, o->user, &pc, fill, (void *)(uintptr_t)o,
	    MTLS_LOGIN_SETCRED, out);
}

/* The subrequest answer: only the status and two headers matter. */
static int
cgi_reply(const struct mtls_login *out)
{
	char buf[1024];

	cgi_format(out->rc, exit_code(out->rc) == 2, out->reason, out->user,
	    buf, sizeof(buf));
	fputs(buf, stdout);
	return 0;
}

/* PAM quietly runs its "other" stack for a service without a file: say
 * which file is missing.  1 when neither place has one. */
static int
service_missing(const char *service)
{
	static const char *const dirs[] = { "/etc/pam.d", "/usr/lib/pam.d" };
	char path[PATH_MAX];
	size_t i;

	if (strchr(service, '/') != NULL || service[0] == '.')
		return 1;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		mtls_fmt(path, sizeof(path), "%s/%s", dirs[i], service);
		if (access(path, F_OK) == 0)
			return 0;
	}
	return 1;
}

/* One line on stderr for every refusal: OpenVPN and fcgiwrap log a
 * script's stderr, so the reason reaches the frontend's own log even where
 * there is no syslog daemon.  FreeRADIUS drops a program's stderr unless
 * debugging but logs its stdout: --refusal-stdout.  Returns the exit
 * status. */
static int
report_refusal(const struct opts *o, const struct mtls_login *out)
{
	char line[1200];
	int code = exit_code(out->rc);

	if (strcmp(out->reason, "-") != 0)
		mtls_fmt(line, sizeof(line), "refused: %s (%s): %s",
		    out->reason, out->pam_text, out->message);
	else if (service_missing(o->service)) {
		mtls_fmt(line, sizeof(line), "refused: no PAM service file "
		    "/etc/pam.d/%s (nor /usr/lib/pam.d/%s), so PAM ran its "
		    "'other' stack: install one, e.g. "
		    "/usr/share/doc/pam_mtls/examples/mtls-auth, as "
		    "/etc/pam.d/%s", o->service, o->service, o->service);
		code = 2;
	} else
		mtls_fmt(line, sizeof(line), "refused: - (%s): pam_mtls did "
		    "not decide: is pam_mtls.so in the auth stack of "
		    "/etc/pam.d/%s?", out->pam_text, o->service);
	if (!o->quiet || code == 2)
		fprintf(stderr, "mtls-auth: %s\n", line);
	if (o->refusal_stdout)
		printf("mtls-auth: %s\n", line);
	return code;
}

int
main(int argc, char **argv)
{
	struct mtls_login out;
	struct opts o;
	int code;

	if (fastcgi_exec(argc, argv) != 0)
		return 2;
	if (parse_args(argc, argv, &o) != 0)
		return 2;
	run_pam(&o, &out);
	code = out.rc == PAM_SUCCESS ? 0 : report_refusal(&o, &out);
	if (o.cgi)
		return cgi_reply(&out);
	if (code == 0)
		printf("%s\n", out.user);
	return code;
}
