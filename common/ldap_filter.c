/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "ldap_filter.h"
#include "util.h"

static const char *const names[] = {
	"key", "cn", "subject", "issuer", "serial", "sha256", "email", "upn",
	"dns", "uri", "cert", "cert_assertion", NULL
};

int
mtls_ldap_escape(const unsigned char *in, size_t len, int binary, char *out,
    size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = in[i];
		int esc = binary || c == '*' || c == '(' || c == ')' ||
		    c == '\\' || c < 0x20 || c == 0x7f;

		if (o + (esc ? 3 : 1) >= outsz)
			return -1;
		if (esc) {
			out[o++] = '\\';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else
			out[o++] = (char)c;
	}
	if (o >= outsz)
		return -1;
	out[o] = '\0';
	return 0;
}

/* Length of a {name} at s, or 0 when s is not a known placeholder. */
static size_t
placeholder(const char *s, const char **name)
{
	size_t i, n;

	for (i = 0; names[i] != NULL; i++) {
		n = strlen(names[i]);
		if (s[0] == '{' && strncmp(s + 1, names[i], n) == 0 &&
		    s[n + 1] == '}') {
			*name = names[i];
			return n + 2;
		}
	}
	return 0;
}

int
mtls_ldap_template_check(const char *t, char *err, size_t errsz)
{
	const char *name;
	size_t len = strlen(t), n;
	int depth = 0;

	if (len < 2 || t[0] != '(' || t[len - 1] != ')') {
		mtls_fmt(err, errsz, "filter must be enclosed in parentheses");
		return -1;
	}
	for (; *t != '\0'; t++) {
		if (*t == '{') {
			if ((n = placeholder(t, &name)) == 0) {
				mtls_fmt(err, errsz, "unknown placeholder at "
				    "'%.20s'", t);
				return -1;
			}
			t += n - 1;
		} else if (*t == '(')
			depth++;
		else if (*t == ')' && --depth < 0)
			break;
	}
	if (depth != 0) {
		mtls_fmt(err, errsz, "unbalanced parentheses");
		return -1;
	}
	return 0;
}

int
mtls_ldap_template_is_cert(const char *t)
{
	return strstr(t, "{cert}") != NULL ||
	    strstr(t, "{cert_assertion}") != NULL;
}

int
mtls_ldap_template_uses_key(const char *t)
{
	return strstr(t, "{key}") != NULL;
}

/* certificateExactMatch assertion, as slapd matches it ("Facts" in
 * docs/design.md):
 * { serialNumber <decimal>, issuer rdnSequence:"<RFC 4514 DN>" }, with
 * '"' doubled inside the GSER string. */
static int
cert_assertion(X509 *x, char *out, size_t outsz)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *dec = bn ? BN_bn2dec(bn) : NULL, dn[1024], q[2100];
	size_t i, o = 0;
	int rc = -1;

	mtls_dn_string(X509_get_issuer_name(x), dn, sizeof(dn));
	for (i = 0; dn[i] != '\0' && o + 3 < sizeof(q); i++) {
		if (dn[i] == '"')
			q[o++] = '"';
		q[o++] = dn[i];
	}
	q[o] = '\0';
	if (dec != NULL && dn[0] != '\0') {
		mtls_fmt(out, outsz, "{ serialNumber %s, issuer "
		    "rdnSequence:\"%s\" }", dec, q);
		rc = 0;
	}
	OPENSSL_free(dec);
	BN_free(bn);
	return rc;
}

/* The raw value of one placeholder; *binary for the DER. */
static int
value_of(const char *name, X509 *leaf, const char *key, unsigned char **val,
    size_t *len, int *binary)
{
	static const struct { const char *n; enum mtls_source s; } first[] = {
		{ "cn", MTLS_SRC_CN }, { "subject", MTLS_SRC_SUBJECT },
		{ "email", MTLS_SRC_EMAIL }, { "upn", MTLS_SRC_UPN },
		{ "dns", MTLS_SRC_DNS }, { "uri", MTLS_SRC_URI },
		{ "sha256", MTLS_SRC_FINGERPRINT },
	};
	char buf[2200];
	size_t i;
	int n;

	*binary = 0;
	*val = NULL;
	if (strcmp(name, "key") == 0) {
		if (key == NULL ||
		    (*val = (unsigned char *)strdup(key)) == NULL)
			return -1;
		*len = strlen(key);
		return 0;
	}
	if (strcmp(name, "cert") == 0) {
		*binary = 1;
		n = i2d_X509(leaf, val);
		*len = n > 0 ? (size_t)n : 0;
		return n > 0 ? 0 : -1;
	}
	if (strcmp(name, "issuer") == 0)
		mtls_dn_string(X509_get_issuer_name(leaf), buf, sizeof(buf));
	else if (strcmp(name, "serial") == 0) {
		if (mtls_serial_hex(leaf, buf, sizeof(buf)) != 0)
			return -1;
	} else if (strcmp(name, "cert_assertion") == 0) {
		if (cert_assertion(leaf, buf, sizeof(buf)) != 0)
			return -1;
	} else {
		struct mtls_values v;

		for (i = 0; i < sizeof(first) / sizeof(first[0]); i++)
			if (strcmp(name, first[i].n) == 0)
				break;
		if (i == sizeof(first) / sizeof(first[0]) ||
		    mtls_identity_values(leaf, first[i].s, &v) != MTLS_OK)
			return -1;
		if (v.n == 0) {
			mtls_values_free(&v);
			return -1;	/* absent: the filter cannot be built */
		}
		mtls_strlcpy(buf, v.v[0], sizeof(buf));
		mtls_values_free(&v);
	}
	*len = strlen(buf);
	return (*val = (unsigned char *)strdup(buf)) ? 0 : -1;
}

int
mtls_ldap_expand(const char *t, X509 *leaf, const char *key, char *out,
    size_t outsz)
{
	size_t o = 0, n, len;
	const char *name;
	unsigned char *val;
	int binary, rc;

	for (; *t != '\0'; t++) {
		if (*t == '{' && (n = placeholder(t, &name)) != 0) {
			if (value_of(name, leaf, key, &val, &len, &binary))
				return -1;
			rc = mtls_ldap_escape(val, len, binary, out + o,
			    outsz - o);
			if (binary)
				OPENSSL_free(val);
			else
				free(val);
			if (rc != 0)
				return -1;
			o += strlen(out + o);
			t += n - 1;
			continue;
		}
		if (o + 1 >= outsz)
			return -1;
		out[o++] = *t;
	}
	out[o] = '\0';
	return 0;
}
