/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "crl_install.h"
#include "util.h"

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The PEM text of crl in a memory BIO. */
static BIO *
pem_of(X509_CRL *crl)
{
	BIO *bio = BIO_new(BIO_s_mem());

	if (bio != NULL && !PEM_write_bio_X509_CRL(bio, crl)) {
		BIO_free(bio);
		bio = NULL;
	}
	return bio;
}

int
crl_install(const char *dir, const char *name, X509_CRL *crl, char *err,
    size_t errsz)
{
	char tmp[4200], path[4200], *data;
	BIO *bio = pem_of(crl);
	long len;
	int fd, dfd, rc;

	mtls_fmt(path, sizeof(path), "%s/%s", dir, name);
	/* A hidden name: a login reading crl_dir skips it. */
	mtls_fmt(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name);
	if (bio == NULL || (len = BIO_get_mem_data(bio, &data)) <= 0) {
		mtls_fmt(err, errsz, "cannot encode the CRL");
		BIO_free(bio);
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		mtls_fmt(err, errsz, "%s: %s", dir, strerror(errno));
		BIO_free(bio);
		return -1;
	}
	rc = write_all(fd, data, (size_t)len) == 0 && fchmod(fd, 0644) == 0 &&
	    (geteuid() != 0 || fchown(fd, 0, 0) == 0) && fsync(fd) == 0 ?
	    0 : -1;
	if (close(fd) != 0)
		rc = -1;
	if (rc != 0 || rename(tmp, path) != 0) {
		mtls_fmt(err, errsz, "%s: %s", path, strerror(errno));
		unlink(tmp);
		BIO_free(bio);
		return -1;
	}
	BIO_free(bio);
	/* The rename itself must reach the disk. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}
