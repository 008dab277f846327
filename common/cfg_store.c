/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Trust anchors (ca_file and every file of ca_dir) and configured
 * intermediates, read through the safe file reader (the whole path
 * root-owned, not writable by others) and parsed by OpenSSL. */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cert_input.h"
#include "cfg_int.h"
#include "pem_bundle.h"
#include "safe_file.h"
#include "util.h"

/* Debian's /etc/ssl/certs holds about 300 certificates and their hash
 * links; a directory far beyond that is a mistake, not a trust store. */
#define MTLS_CA_DIR_MAX 4096

static int
add_anchors(X509_STORE *store, const char *ca_file, char *err, size_t errsz)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	int i, rc = -1;

	if (sk == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		return -1;
	}
	/* An empty file is an error (pem_bundle.c): it would silently trust
	 * nothing. */
	if (mtls_pem_bundle_load(ca_file, MTLS_FILE_TRUSTED, 0, sk, err,
	    errsz) != 0)
		goto out;
	for (i = 0; i < sk_X509_num(sk); i++) {
		if (!X509_STORE_add_cert(store, sk_X509_value(sk, i))) {
			mtls_fmt(err, errsz, "%s: cannot add certificate %d",
			    ca_file, i + 1);
			goto out;
		}
	}
	rc = 0;
out:
	ERR_clear_error();
	sk_X509_pop_free(sk, X509_free);
	return rc;
}

/* The names OpenSSL's hashed directory lookup reads: 8 hex digits, a dot
 * and a sequence number (c_rehash, openssl rehash). */
static int
is_hash_name(const char *n)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (!isxdigit((unsigned char)n[i]))
			return 0;
	return n[8] == '.' && n[9] != '\0' &&
	    strspn(n + 9, "0123456789") == strlen(n + 9);
}

/* A hashed name is read as anchors; any other entry is checked only. */
static int
ca_dir_entry(const char *path, const char *name, void *arg, char *err,
    size_t errsz)
{
	char resolved[PATH_MAX];
	struct stat st;

	if (is_hash_name(name))
		return add_anchors(arg, path, err, errsz);
	return mtls_safe_path(path, MTLS_SAFE_FILE, resolved,
	    sizeof(resolved), &st, err, errsz);
}

/* Every entry of ca_dir must pass the same checks as ca_file, and the
 * certificates are read now through the checked reader, not later by
 * OpenSSL's lookup behind our back. */
static int
add_ca_dir(X509_STORE *store, const char *dir, char *err, size_t errsz)
{
	mtls_file_ids_add(dir);		/* files added or removed */
	return mtls_safe_dir(dir, MTLS_CA_DIR_MAX, ca_dir_entry, store, err,
	    errsz);
}

int
cfg_build_store(struct mtls_policy *p, const char **key, char *err,
    size_t errsz)
{
	*key = "ca_file";
	if ((p->store = X509_STORE_new()) == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		return -1;
	}
	if (p->ca_file != NULL && add_anchors(p->store, p->ca_file, err,
	    errsz) != 0)
		return -1;
	*key = "ca_dir";
	if (p->ca_dir != NULL && add_ca_dir(p->store, p->ca_dir, err,
	    errsz) != 0)
		return -1;
	*key = "intermediates_file";
	if (p->intermediates_file != NULL) {
		if ((p->intermediates = sk_X509_new_null()) == NULL) {
			mtls_fmt(err, errsz, "out of memory");
			return -1;
		}
		if (mtls_pem_bundle_load(p->intermediates_file,
		    MTLS_FILE_TRUSTED, 0, p->intermediates, err, errsz) != 0)
			return -1;
		/* Their DER, so that a login presenting one does not parse
		 * it again (cert_input.c). */
		if ((p->known_intermediates =
		    mtls_known_new(p->intermediates)) == NULL) {
			mtls_fmt(err, errsz, "out of memory");
			return -1;
		}
	}
	return 0;
}

void
cfg_free_store(struct mtls_policy *p)
{
	if (p->ldap_bind_password != NULL) {
		explicit_bzero(p->ldap_bind_password,
		    strlen(p->ldap_bind_password));
		free(p->ldap_bind_password);
		p->ldap_bind_password = NULL;
	}
	X509_STORE_free(p->store);
	sk_X509_pop_free(p->intermediates, X509_free);
	mtls_known_free(p->known_intermediates);
	p->store = NULL;
	p->intermediates = NULL;
	p->known_intermediates = NULL;
}
