/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* LDAP filters from templates: every substituted value is escaped per
 * RFC 4515, so a certificate cannot add filter syntax. */
#ifndef MTLS_LDAP_FILTER_H
#define MTLS_LDAP_FILTER_H

#include <stddef.h>

#include <openssl/x509.h>

/* Escapes len bytes; binary escapes every byte as \xx.  -1 when out is
 * too small. */
int mtls_ldap_escape(const unsigned char *in, size_t len, int binary,
    char *out, size_t outsz);

/* Checks a template at config load: balanced outer parentheses and only
 * known {names}. 0, or -1 with a sentence. */
int mtls_ldap_template_check(const char *tmpl, char *err, size_t errsz);
/* True when the template matches on the certificate itself ({cert} or
 * {cert_assertion}): such rules also compare the stored DER locally. */
int mtls_ldap_template_is_cert(const char *tmpl);
int mtls_ldap_template_uses_key(const char *tmpl);

/* Expands a template for leaf; key is the rule's transformed source value
 * (may be NULL when the template does not use {key}).  0, or -1. */
int mtls_ldap_expand(const char *tmpl, X509 *leaf, const char *key,
    char *out, size_t outsz);

#endif
