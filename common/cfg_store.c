/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Trust anchors and configured intermediates, read through the safe file
 * reader (root-owned, not writable by others) and parsed by OpenSSL. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cfg_int.h"
#include "safe_file.h"
#include "util.h"

#define MTLS_CA_FILE_MAX (8 * 1024 * 1024)

/* Parses every certificate of a PEM file into sk; an empty file is an
 * error, since it would silently trust nothing or chain nothing. */
static int
load_pem_certs(const char *path, STACK_OF(X509) *sk, char *err,
    size_t errsz)
{
	char *text;
	size_t len;
	BIO *bio;
	X509 *x;
	int rc = -1;

	if (mtls_read_file(path, MTLS_CA_FILE_MAX,
	    MTLS_FILE_TRUSTED | MTLS_FILE_TEXT, &text, &len, err, errsz) != 0)
		return -1;
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL)
		goto out;
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			goto out;
		}
	}
	/* The loop ends on "no start line" at EOF; anything else is a
	 * damaged file. */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
		mtls_fmt(err, errsz, "%s: cannot parse certificate: %s", path,
		    ERR_reason_error_string(ERR_peek_last_error()));
		goto out;
	}
	if (sk_X509_num(sk) == 0) {
		mtls_fmt(err, errsz, "%s: no certificates", path);
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	BIO_free(bio);
	free(text);
	return rc;
}

static int
check_dir(const char *path, char *err, size_t errsz)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		mtls_fmt(err, errsz, "%s: not a directory", path);
		return -1;
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		mtls_fmt(err, errsz, "%s: must be owned by root and not "
		    "writable by group or others", path);
		return -1;
	}
	return 0;
}

static int
add_anchors(X509_STORE *store, const char *ca_file, char *err, size_t errsz)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	int i, rc = -1;

	if (sk == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		return -1;
	}
	if (load_pem_certs(ca_file, sk, err, errsz) != 0)
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

int
cfg_build_store(struct mtls_policy *p, char *err, size_t errsz)
{
	X509_LOOKUP *lu;

	if ((p->store = X509_STORE_new()) == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		return -1;
	}
	if (p->ca_file != NULL && add_anchors(p->store, p->ca_file, err,
	    errsz) != 0)
		return -1;
	if (p->ca_dir != NULL) {
		if (check_dir(p->ca_dir, err, errsz) != 0)
			return -1;
		mtls_file_ids_add(p->ca_dir);	/* files added or removed */
		lu = X509_STORE_add_lookup(p->store, X509_LOOKUP_hash_dir());
		if (lu == NULL || !X509_LOOKUP_add_dir(lu, p->ca_dir,
		    X509_FILETYPE_PEM)) {
			mtls_fmt(err, errsz, "%s: cannot use as ca_dir",
			    p->ca_dir);
			return -1;
		}
	}
	if (p->intermediates_file != NULL) {
		if ((p->intermediates = sk_X509_new_null()) == NULL) {
			mtls_fmt(err, errsz, "out of memory");
			return -1;
		}
		if (load_pem_certs(p->intermediates_file, p->intermediates,
		    err, errsz) != 0)
			return -1;
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
	p->store = NULL;
	p->intermediates = NULL;
}
