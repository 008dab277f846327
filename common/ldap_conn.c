/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <string.h>
#include <sys/time.h>

#include "ldap_conn.h"
#include "util.h"

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
