#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_file.h"
#include "util.h"

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
	*buf = data;
	*len = size;
	return 0;
fail:
	free(data);
	close(fd);
	return -1;
}
