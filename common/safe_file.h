/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The one place where files we trust are opened: configuration, CA bundles,
 * map files.  Modelled on pam-u2f's open_safely. */
#ifndef MTLS_SAFE_FILE_H
#define MTLS_SAFE_FILE_H

#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

enum {
	/* Owner must be root (or the caller's euid) and the file not
	 * writable by group or others: it steers authentication. */
	MTLS_FILE_TRUSTED = 1 << 0,
	/* Refuse NUL bytes: the content is text. */
	MTLS_FILE_TEXT = 1 << 1,
	/* A secret (LDAP password): trusted, and not readable by others. */
	MTLS_FILE_SECRET = 1 << 2,
};

/* Which version of a file was read: a cache of anything derived from the
 * file is valid while these still match. */
struct mtls_file_id {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct mtls_file_ids {
	struct mtls_file_id *v;
	size_t n;
	int failed;		/* a record could not be kept: never reuse */
};

/* Keeps which version of a file st describes (device, inode, size and
 * modification time; the path is left to the caller), and tells whether st
 * still describes that version.  Every cache keyed on a file uses these. */
void mtls_file_id_set(struct mtls_file_id *id, const struct stat *st);
int mtls_file_id_same(const struct mtls_file_id *id, const struct stat *st);

/* While ids is set (this thread only), every file mtls_read_file reads
 * successfully is recorded in it, with the fstat of the descriptor read.
 * NULL stops recording. */
void mtls_read_file_record(struct mtls_file_ids *ids);
/* Records a path read by someone else (OpenSSL's hashed CA directory). */
void mtls_file_ids_add(const char *path);
/* 1 when every recorded file still has the same device, inode, size and
 * modification time. */
int mtls_file_ids_unchanged(const struct mtls_file_ids *ids);
void mtls_file_ids_free(struct mtls_file_ids *ids);

enum { MTLS_SAFE_FILE, MTLS_SAFE_DIR };

/* Walks path from / as OpenSSH's safe_path does: every directory passed
 * through is owned by root (or the caller) and writable by no one else,
 * except a root-owned sticky directory (/tmp) whose next entry is ours;
 * a symlink is followed only when it belongs to root, and its target is
 * walked the same way.  The end is a regular file (MTLS_SAFE_FILE, owned
 * by root or the caller, not group/other-writable) or such a directory.
 * On success resolved holds the path without symlinks and st its lstat;
 * on failure err names the path, the part that failed and any symlink. */
int mtls_safe_path(const char *path, int kind, char *resolved, size_t rsz,
    struct stat *st, char *err, size_t errsz);

/* Called for each entry of a trusted directory with its path and name;
 * nonzero stops the walk (err says why). */
typedef int mtls_entry_fn(const char *path, const char *name, void *arg,
    char *err, size_t errsz);
/* Checks dir with mtls_safe_path, then calls fn for each entry except
 * hidden ones (more than max is an error); a NULL fn checks each entry as
 * a trusted file.  0, or -1 with err naming the directory or entry. */
int mtls_safe_dir(const char *dir, size_t max, mtls_entry_fn *fn, void *arg,
    char *err, size_t errsz);

/* Reads at most max bytes of a regular file, opened without blocking.
 * MTLS_FILE_TRUSTED and MTLS_FILE_SECRET files pass mtls_safe_path (safe
 * symlinks followed); others are opened without following a final
 * symlink.  On success *buf is NUL-terminated and owned by the caller.
 * On failure returns -1 and writes a sentence into err. */
int mtls_read_file(const char *path, size_t max, int flags, char **buf,
    size_t *len, char *err, size_t errsz);

#endif
