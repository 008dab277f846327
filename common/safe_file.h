/* The one place where files we trust are opened: configuration, CA bundles,
 * map files.  Modelled on pam-u2f's open_safely. */
#ifndef MTLS_SAFE_FILE_H
#define MTLS_SAFE_FILE_H

#include <stddef.h>

enum {
	/* Owner must be root (or the caller's euid) and the file not
	 * writable by group or others: it steers authentication. */
	MTLS_FILE_TRUSTED = 1 << 0,
	/* Refuse NUL bytes: the content is text. */
	MTLS_FILE_TEXT = 1 << 1,
	/* A secret (LDAP password): trusted, and not readable by others. */
	MTLS_FILE_SECRET = 1 << 2,
};

/* Reads at most max bytes of a regular file, without following a final
 * symlink.  On success *buf is NUL-terminated and owned by the caller.
 * On failure returns -1 and writes a sentence into err. */
int mtls_read_file(const char *path, size_t max, int flags, char **buf,
    size_t *len, char *err, size_t errsz);

#endif
