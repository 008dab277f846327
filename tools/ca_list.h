/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Every CA a configuration trusts or chains through (ca_file, ca_dir,
 * intermediates_file of the global policy and of each profile), once per
 * set of CRL sources, for the tools that fetch, lint and watch CRLs. */
#ifndef MTLS_CA_LIST_H
#define MTLS_CA_LIST_H

#include <stddef.h>

#include <openssl/x509.h>

#include "cfg.h"
#include "crl_url.h"

struct ca_ent {
	X509 *cert;
	const struct mtls_policy *p;	/* the first policy naming it */
	const char *key;		/* ca_file, ca_dir, intermediates_file */
	char subject[256];
	char hash[9];			/* subject name hash, as crl_url uses */
	char stem[32];			/* HASH-KEYID: the CRL's file name */
};

struct ca_list {
	struct ca_ent *v;
	size_t n;
};

/* 0, or -1 with a sentence in err (an unreadable CA directory entry). */
int ca_list_load(const struct mtls_cfg *cfg, struct ca_list *l, char *err,
    size_t errsz);
void ca_list_free(struct ca_list *l);

/* Where the CA's CRL is published: its crl_url, else the http:// URIs of
 * its CRL distribution points, at most max.  Returns how many. */
size_t ca_crl_urls(const struct ca_ent *ca, char urls[][MTLS_CRL_URL_MAX],
    size_t max);
/* 1 when the policy checks revocation with CRLs. */
int ca_policy_uses_crl(const struct mtls_policy *p);
/* "global" or the profile's name, for messages. */
const char *ca_policy_name(const struct mtls_policy *p);

#endif
