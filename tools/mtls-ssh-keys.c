/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-ssh-keys: sshd's AuthorizedKeysCommand.  Prints an OpenSSH key line
 * for each certificate bound to USER (ssh_cert_dir/USER.pem, and LDAP
 * userCertificate;binary through ssh_ldap_filter) that passes the whole
 * decision now: chain, revocation, EKU, key, and a mapping that yields
 * exactly USER.  Everything else is omitted with a log line.  Runs as
 * sshd's AuthorizedKeysCommandUser; output is only key types, base64 and
 * hex.  Exit 0 (even with no keys), 1 on bad usage or configuration. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <ldap.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "decision.h"
#include "ldap_conn.h"
#include "ldap_filter.h"
#include "map.h"
#include "mapfile.h"
#include "pem_bundle.h"
#include "read_input.h"
#include "safe_file.h"
#include "sshkey.h"
#include "util.h"

#define MAX_CERTS 32

struct found {
	STACK_OF(X509) *certs;
};

/* USER.pem in ssh_cert_dir: trust material like a CA file.  No file is no
 * keys; a damaged file or more than MAX_CERTS certificates is said on
 * stderr (sshd logs it) and gives no keys from it. */
static void
from_file(const struct mtls_policy *p, const char *user, struct found *f)
{
	char path[4200], err[512];

	if (p->ssh_cert_dir == NULL)
		return;
	mtls_fmt(path, sizeof(path), "%s/%s.pem", p->ssh_cert_dir, user);
	if (access(path, F_OK) != 0)
		return;
	if (mtls_pem_bundle_load(path, MTLS_FILE_TRUSTED, MAX_CERTS, f->certs,
	    err, sizeof(err)) != 0)
		fprintf(stderr, "mtls-ssh-keys: %s\n", err);
}

static void
from_ldap(const struct mtls_policy *p, const char *user, struct found *f)
{
	char filter[2048], err[512], attr[] = "userCertificate;binary";
	char *attrs[] = { attr, NULL };
	struct timeval tv = { p->ldap_timeout, 0 };
	LDAPMessage *res = NULL, *e;
	LDAP *ld = NULL;
	X509 *x;

	if (p->ssh_ldap_filter == NULL || p->ldap_uri == NULL ||
	    mtls_ldap_expand(p->ssh_ldap_filter, NULL, user, filter,
	    sizeof(filter)) != 0)
		return;
	if (mtls_ldap_connect(p, &ld, err, sizeof(err)) != 0) {
		syslog(LOG_WARNING, "LDAP unavailable, keys from files only: "
		    "%s", err);
		return;
	}
	if (ldap_search_ext_s(ld, p->ldap_base, LDAP_SCOPE_SUBTREE, filter,
	    attrs, 0, NULL, NULL, &tv, 2, &res) == LDAP_SUCCESS) {
		for (e = ldap_first_entry(ld, res); e != NULL;
		    e = ldap_next_entry(ld, e)) {
			struct berval **v = ldap_get_values_len(ld, e, attr);
			int i;

			for (i = 0; v != NULL && v[i] != NULL &&
			    sk_X509_num(f->certs) < MAX_CERTS; i++) {
				const unsigned char *q =
				    (const unsigned char *)v[i]->bv_val;

				x = d2i_X509(NULL, &q, (long)v[i]->bv_len);
				if (x != NULL && !sk_X509_push(f->certs, x))
					X509_free(x);
			}
			ldap_value_free_len(v);
		}
	}
	ldap_msgfree(res);
	mtls_ldap_close(ld);
}

/* The same decision a login makes, with PAM_USER preset to this user. */
static void
judge(const struct mtls_cfg *cfg, const char *service, const char *user,
    X509 *x)
{
	struct mtls_request req;
	struct mtls_decision d;
	unsigned char *der = NULL;
	char line[3000], kv[4096];
	int len = i2d_X509(x, &der);

	if (len <= 0)
		return;
	memset(&req, 0, sizeof(req));
	req.service = service;
	req.cert = (const char *)der;
	req.cert_len = (size_t)len;
	req.user = user;
	mtls_decide(cfg, &req, &d);
	OPENSSL_free(der);
	mtls_decision_kv(&d, kv, sizeof(kv));
	if (d.result != MTLS_RESULT_ACCEPT) {
		syslog(LOG_NOTICE, "omitted: %s", kv);
		fprintf(stderr, "mtls-ssh-keys: omitted: %s\n", kv);
		return;
	}
	if (mtls_ssh_pubkey(x, line, sizeof(line)) != 0) {
		syslog(LOG_NOTICE, "omitted (key type unusable by OpenSSH): "
		    "%s", kv);
		return;
	}
	syslog(LOG_INFO, "key: %s", kv);
	printf("%s mtls:%.16s\n", line, d.sha256);
}

/* sshd asks for any name it is given: a denied or low-uid account gets no
 * keys at all, before any certificate is read. */
static int
account_allowed(const struct mtls_policy *p, const char *user)
{
	char canon[256], why[512];
	unsigned long uid = 0;
	int rc = mtls_account_lookup(user, canon, sizeof(canon), &uid);

	if (rc <= 0)
		mtls_fmt(why, sizeof(why), "%s: %s", user, rc < 0 ?
		    "NSS lookup failed" : "no such account");
	if (rc > 0 && mtls_account_allowed(p, canon, uid, why,
	    sizeof(why)) == 0 && mtls_account_allowed(p, user, uid, why,
	    sizeof(why)) == 0)
		return 1;
	syslog(LOG_NOTICE, "no keys: %s", why);
	fprintf(stderr, "mtls-ssh-keys: no keys: %s\n", why);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "service", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = MTLS_DEFAULT_CONFIG, *service = "sshd", *user;
	const struct mtls_policy *p;
	struct found f = { NULL };
	struct mtls_cfg *cfg;
	char err[1024], cfgpath[PATH_MAX];
	int c, i;

	while ((c = getopt_long(argc, argv, "c:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 's': service = optarg; break;
		default:
			fprintf(c == 'h' ? stdout : stderr, "usage: mtls-ssh-keys "
			    "[--config FILE] [--service NAME] USER\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (optind != argc - 1 || !mtls_valid_username(argv[optind])) {
		fprintf(stderr, "mtls-ssh-keys: one valid user name expected\n");
		return 1;
	}
	user = argv[optind];
	openlog("mtls-ssh-keys", LOG_PID, LOG_AUTHPRIV);
	if (tool_config_path(config, cfgpath, sizeof(cfgpath), err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "mtls-ssh-keys: %s\n", err);
		return 1;
	}
	if ((cfg = mtls_cfg_load(cfgpath, err, sizeof(err))) == NULL ||
	    (p = mtls_request_policy(cfg, service, NULL)) == NULL) {
		syslog(LOG_ERR, "%s", err);
		fprintf(stderr, "mtls-ssh-keys: %s\n", err);
		mtls_cfg_free(cfg);
		return 1;
	}
	if (!account_allowed(p, user)) {
		mtls_cfg_free(cfg);
		closelog();
		return 0;
	}
	f.certs = sk_X509_new_null();
	from_file(p, user, &f);
	from_ldap(p, user, &f);
	for (i = 0; f.certs != NULL && i < sk_X509_num(f.certs); i++)
		judge(cfg, service, user, sk_X509_value(f.certs, i));
	sk_X509_pop_free(f.certs, X509_free);
	mtls_cfg_free(cfg);
	closelog();
	return 0;
}
