/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_file.h"
#include "util.h"

/* The recorder of this thread (a config load in progress), or NULL. */
static __thread struct mtls_file_ids *recorder;

void
mtls_read_file_record(struct mtls_file_ids *ids)
{
	recorder = ids;
}

void
mtls_file_id_set(struct mtls_file_id *id, const struct stat *st)
{
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtime = st->st_mtim;
}

int
mtls_file_id_same(const struct mtls_file_id *id, const struct stat *st)
{
	return st->st_dev == id->dev && st->st_ino == id->ino &&
	    st->st_size == id->size &&
	    st->st_mtim.tv_sec == id->mtime.tv_sec &&
	    st->st_mtim.tv_nsec == id->mtime.tv_nsec;
}

static void
record(const char *path, const struct stat *st)
{
	struct mtls_file_id *v;

	if (recorder == NULL || recorder->failed)
		return;
	v = reallocarray(recorder->v, recorder->n + 1, sizeof(*v));
	if (v == NULL || (v[recorder->n].path = strdup(path)) == NULL) {
		if (v != NULL)
			recorder->v = v;
		recorder->failed = 1;
		return;
	}
	recorder->v = v;
	mtls_file_id_set(&v[recorder->n], st);
	recorder->n++;
}

void
mtls_file_ids_add(const char *path)
{
	struct stat st;

	if (recorder == NULL)
		return;
	if (stat(path, &st) != 0)
		recorder->failed = 1;
	else
		record(path, &st);
}

int
mtls_file_ids_unchanged(const struct mtls_file_ids *ids)
{
	struct stat st;
	size_t i;

	if (ids->failed)
		return 0;
	for (i = 0; i < ids->n; i++) {
		const struct mtls_file_id *f = &ids->v[i];

		if (stat(f->path, &st) != 0 || !mtls_file_id_same(f, &st))
			return 0;
	}
	return 1;
}

void
mtls_file_ids_free(struct mtls_file_ids *ids)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		free(ids->v[i].path);
	free(ids->v);
	memset(ids, 0, sizeof(*ids));
}

static int
check_owner(const char *path, const struct stat *st, char *err, size_t errsz)
{
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		mtls_fmt(err, errsz, "%s: must be owned by root", path);
		return -1;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		mtls_fmt(err, errsz,
		    "%s: must not be writable by group or others", path);
		return -1;
	}
	return 0;
}

static int
read_all(int fd, const char *path, size_t size, char *buf, char *err,
    size_t errsz)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			mtls_fmt(err, errsz, "%s: short read", path);
			return -1;
		}
		got += (size_t)n;
	}
	return 0;
}

int
mtls_read_file(const char *path, size_t max, int flags, char **buf,
    size_t *len, char *err, size_t errsz)
{
	struct stat st;
	char *data = NULL;
	size_t size;
	int fd;

	*buf = NULL;
	*len = 0;
	if (path == NULL || path[0] != '/') {
		mtls_fmt(err, errsz, "%s: path must be absolute",
		    path ? path : "(null)");
		return -1;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		mtls_fmt(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		mtls_fmt(err, errsz, "%s: not a regular file", path);
		goto fail;
	}
	if ((flags & (MTLS_FILE_TRUSTED | MTLS_FILE_SECRET)) &&
	    check_owner(path, &st, err, errsz))
		goto fail;
	if ((flags & MTLS_FILE_SECRET) && (st.st_mode & S_IROTH)) {
		mtls_fmt(err, errsz, "%s: a secret must not be readable by "
		    "others", path);
		goto fail;
	}
	if (st.st_size < 0 || (size_t)st.st_size > max) {
		mtls_fmt(err, errsz, "%s: larger than %zu bytes", path, max);
		goto fail;
	}
	size = (size_t)st.st_size;
	if ((data = malloc(size + 1)) == NULL) {
		mtls_fmt(err, errsz, "%s: out of memory", path);
		goto fail;
	}
	if (read_all(fd, path, size, data, err, errsz) != 0)
		goto fail;
	data[size] = '\0';
	if ((flags & MTLS_FILE_TEXT) && memchr(data, '\0', size) != NULL) {
		mtls_fmt(err, errsz, "%s: contains a NUL byte", path);
		goto fail;
	}
	close(fd);
	record(path, &st);
	*buf = data;
	*len = size;
	return 0;
fail:
	free(data);
	close(fd);
	return -1;
}
