/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* Whether a directory may hold trusted entries: owned by root (or the
 * caller), and writable by no one else -- except a root-owned sticky
 * directory such as /tmp, where others may add entries but can neither
 * rename nor remove ours (every entry we pass is checked for its owner). */
static int
check_dir_mode(const char *path, const struct stat *st, char *err,
    size_t errsz)
{
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		mtls_fmt(err, errsz, "%s: directory must be owned by root",
		    path);
		return -1;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
	    !((st->st_mode & S_ISVTX) && st->st_uid == 0)) {
		mtls_fmt(err, errsz, "%s: directory must not be writable by "
		    "group or others", path);
		return -1;
	}
	return 0;
}

struct walk {
	char cur[PATH_MAX];	/* resolved and checked so far */
	char rest[2 * PATH_MAX];	/* still to resolve, from pos */
	char tmp[2 * PATH_MAX];
	size_t pos;
	char via[PATH_MAX];	/* the last symlink followed, for errors */
	int links;
};

/* Takes the next component of the rest into comp; 0 when none is left, -1
 * when it is too long (never truncated into another name). */
static int
next_component(struct walk *w, char *comp, size_t compsz)
{
	const char *r = w->rest + w->pos;
	size_t s = strspn(r, "/"), n = strcspn(r + s, "/");

	if (n == 0)
		return 0;
	if (n >= compsz)
		return -1;
	memcpy(comp, r + s, n);
	comp[n] = '\0';
	w->pos += s + n;
	return 1;
}

/* rest = target "/" rest, for a symlink just read. */
static int
splice_link(struct walk *w, const char *target)
{
	const char *r = w->rest + w->pos;
	size_t t = strlen(target), n = strlen(r);

	if (t + 1 + n + 1 > sizeof(w->tmp))
		return -1;
	memcpy(w->tmp, target, t);
	w->tmp[t] = '/';
	memcpy(w->tmp + t + 1, r, n + 1);
	memcpy(w->rest, w->tmp, t + 1 + n + 1);
	w->pos = 0;
	return 0;
}

/* Follows the symlink at w->cur + "/" + comp: the link must belong to root
 * (its directory, w->cur, is already checked). */
static int
follow(struct walk *w, const char *next, const struct stat *st, char *err,
    size_t errsz)
{
	char target[PATH_MAX];
	ssize_t n;

	if (++w->links > 32) {
		mtls_fmt(err, errsz, "%s: too many symlinks", next);
		return -1;
	}
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		mtls_fmt(err, errsz, "%s: symlink not owned by root: not "
		    "followed", next);
		return -1;
	}
	n = readlink(next, target, sizeof(target) - 1);
	if (n <= 0) {
		mtls_fmt(err, errsz, "%s: %s", next, strerror(errno));
		return -1;
	}
	target[n] = '\0';
	mtls_strlcpy(w->via, next, sizeof(w->via));
	if (target[0] == '/')
		w->cur[0] = '\0';
	if (splice_link(w, target) != 0) {
		mtls_fmt(err, errsz, "%s: symlink target too long", next);
		return -1;
	}
	return 0;
}

/* One step of the walk; 1 when the path is fully resolved into w->cur. */
static int
step(struct walk *w, struct stat *st, char *err, size_t errsz)
{
	char comp[NAME_MAX + 1], next[PATH_MAX], *p;
	int more = next_component(w, comp, sizeof(comp));

	if (more == 0)
		return 1;
	if (more < 0 || strlen(w->cur) + 1 + strlen(comp) >= sizeof(next)) {
		mtls_fmt(err, errsz, "name too long");
		return -1;
	}
	if (strcmp(comp, ".") == 0)
		return 0;
	if (strcmp(comp, "..") == 0) {
		/* cur holds no symlink: its parent is a checked prefix. */
		if ((p = strrchr(w->cur, '/')) != NULL)
			*p = '\0';
		return 0;
	}
	mtls_fmt(next, sizeof(next), "%s/%s", w->cur, comp);
	if (lstat(next, st) != 0) {
		mtls_fmt(err, errsz, "%s", strerror(errno));
		return -1;
	}
	if (S_ISLNK(st->st_mode))
		return follow(w, next, st, err, errsz);
	mtls_strlcpy(w->cur, next, sizeof(w->cur));
	if (w->rest[w->pos + strspn(w->rest + w->pos, "/")] == '\0')
		return 0;
	if (!S_ISDIR(st->st_mode)) {
		mtls_fmt(err, errsz, "%s: not a directory", next);
		return -1;
	}
	return check_dir_mode(next, st, err, errsz);
}

static int
walk(struct walk *w, const char *path, char *err, size_t errsz)
{
	struct stat st;
	int rc;

	if (lstat("/", &st) != 0 || check_dir_mode("/", &st, err, errsz))
		return -1;
	w->cur[0] = '\0';
	w->via[0] = '\0';
	w->links = 0;
	w->pos = 0;
	if (mtls_strlcpy(w->rest, path, sizeof(w->rest)) != 0) {
		mtls_fmt(err, errsz, "path too long");
		return -1;
	}
	while ((rc = step(w, &st, err, errsz)) == 0)
		;
	return rc == 1 ? 0 : -1;
}

int
mtls_safe_path(const char *path, int kind, char *resolved, size_t rsz,
    struct stat *st, char *err, size_t errsz)
{
	struct walk *w;
	char why[PATH_MAX + 128];
	int rc = -1;

	if (path == NULL || path[0] != '/') {
		mtls_fmt(err, errsz, "%s: path must be absolute",
		    path ? path : "(null)");
		return -1;
	}
	if ((w = malloc(sizeof(*w))) == NULL) {
		mtls_fmt(err, errsz, "%s: out of memory", path);
		return -1;
	}
	if (walk(w, path, why, sizeof(why)) != 0)
		goto out;
	if (w->cur[0] == '\0')
		mtls_strlcpy(w->cur, "/", sizeof(w->cur));
	if (lstat(w->cur, st) != 0) {
		mtls_fmt(why, sizeof(why), "%s: %s", w->cur, strerror(errno));
		goto out;
	}
	if (kind == MTLS_SAFE_DIR ? !S_ISDIR(st->st_mode) :
	    !S_ISREG(st->st_mode)) {
		mtls_fmt(why, sizeof(why), "%s: not a %s", w->cur,
		    kind == MTLS_SAFE_DIR ? "directory" : "regular file");
		goto out;
	}
	if (kind == MTLS_SAFE_DIR ? check_dir_mode(w->cur, st, why,
	    sizeof(why)) : check_owner(w->cur, st, why, sizeof(why)))
		goto out;
	if (mtls_strlcpy(resolved, w->cur, rsz) != 0) {
		mtls_fmt(why, sizeof(why), "%s: path too long", w->cur);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && w->via[0] != '\0')
		mtls_fmt(err, errsz, "%s: %s (symlink %s followed: link and "
		    "target must both pass)", path, why, w->via);
	else if (rc != 0 && strncmp(why, path, strlen(path)) != 0)
		mtls_fmt(err, errsz, "%s: %s", path, why);
	else if (rc != 0)
		mtls_strlcpy(err, why, errsz);
	free(w);
	return rc;
}

int
mtls_safe_dir(const char *dir, size_t max, mtls_entry_fn *fn, void *arg,
    char *err, size_t errsz)
{
	char resolved[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	size_t n = 0;
	DIR *d;
	int rc = 0;

	if (mtls_safe_path(dir, MTLS_SAFE_DIR, resolved, sizeof(resolved),
	    &st, err, errsz) != 0)
		return -1;
	if ((d = opendir(resolved)) == NULL) {
		mtls_fmt(err, errsz, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (++n > max) {
			mtls_fmt(err, errsz, "%s: more than %zu entries", dir,
			    max);
			rc = -1;
			break;
		}
		mtls_fmt(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (fn != NULL)
			rc = fn(path, de->d_name, arg, err, errsz);
		else
			rc = mtls_safe_path(path, MTLS_SAFE_FILE, resolved,
			    sizeof(resolved), &st, err, errsz);
	}
	closedir(d);
	return rc;
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
	struct stat st, checked;
	char resolved[PATH_MAX], *data = NULL;
	const char *at = path;
	size_t size;
	int fd;

	*buf = NULL;
	*len = 0;
	if (path == NULL || path[0] != '/') {
		mtls_fmt(err, errsz, "%s: path must be absolute",
		    path ? path : "(null)");
		return -1;
	}
	/* A trusted file is opened where the checked walk ended, so the
	 * symlinks followed are the ones that were checked. */
	if ((flags & (MTLS_FILE_TRUSTED | MTLS_FILE_SECRET)) &&
	    mtls_safe_path(path, MTLS_SAFE_FILE, resolved, sizeof(resolved),
	    &checked, err, errsz) != 0)
		return -1;
	if (flags & (MTLS_FILE_TRUSTED | MTLS_FILE_SECRET))
		at = resolved;
	/* O_NONBLOCK: a FIFO must not hang us before fstat refuses it. */
	fd = open(at, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (fd < 0) {
		mtls_fmt(err, errsz, "%s: %s%s", path, strerror(errno),
		    errno == ELOOP ? " (a symlink is not followed here)" : "");
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		mtls_fmt(err, errsz, "%s: not a regular file", path);
		goto fail;
	}
	if ((flags & (MTLS_FILE_TRUSTED | MTLS_FILE_SECRET)) &&
	    (st.st_dev != checked.st_dev || st.st_ino != checked.st_ino)) {
		mtls_fmt(err, errsz, "%s: replaced while being opened", path);
		goto fail;
	}
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
