/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read_input.h"
#include "safe_file.h"
#include "util.h"

static int
read_stdin(size_t max, char **buf, size_t *len, char *err, size_t errsz)
{
	char *data = malloc(max + 2);
	size_t got = 0;
	ssize_t n;

	if (data == NULL) {
		mtls_fmt(err, errsz, "out of memory");
		return -1;
	}
	while (got <= max && (n = read(STDIN_FILENO, data + got,
	    max + 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			mtls_fmt(err, errsz, "stdin: %s", strerror(errno));
			free(data);
			return -1;
		}
		got += (size_t)n;
	}
	if (got > max) {
		mtls_fmt(err, errsz, "stdin: larger than %zu bytes", max);
		free(data);
		return -1;
	}
	data[got] = '\0';
	*buf = data;
	*len = got;
	return 0;
}

int
tool_abspath(const char *path, char *out, size_t outsz)
{
	char resolved[PATH_MAX];

	if (realpath(path, resolved) == NULL)
		return -1;
	return mtls_strlcpy(out, resolved, outsz);
}

int
tool_config_path(const char *path, char *out, size_t outsz, char *err,
    size_t errsz)
{
	if (path[0] == '/' ? mtls_strlcpy(out, path, outsz) != 0 :
	    tool_abspath(path, out, outsz) != 0) {
		mtls_fmt(err, errsz, "%s: %s", path, path[0] == '/' ?
		    "path too long" : strerror(errno));
		return -1;
	}
	return 0;
}

int
tool_read(const char *path, size_t max, char **buf, size_t *len, char *err,
    size_t errsz)
{
	char abs[PATH_MAX];

	if (strcmp(path, "-") == 0)
		return read_stdin(max, buf, len, err, errsz);
	if (tool_abspath(path, abs, sizeof(abs)) != 0) {
		mtls_fmt(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	return mtls_read_file(abs, max, 0, buf, len, err, errsz);
}
