/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fastcgi_exec.h"
#include "util.h"

#define RESPONDER "mtls-fastcgi"

/* The responder beside this program: the build tree and the installed
 * tree alike, whatever the prefix. */
static int
sibling(char *out, size_t outsz)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return -1;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return -1;
	*slash = '\0';
	mtls_fmt(out, outsz, "%s/%s", self, RESPONDER);
	return access(out, X_OK);
}

int
fastcgi_exec(int argc, char **argv)
{
	char path[PATH_MAX], **av;
	int i, n = 1, found = 0, opts = 1;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		found |= strcmp(argv[i], "--fastcgi") == 0;
	if (!found)
		return 0;
	if ((av = calloc((size_t)argc + 1, sizeof(*av))) == NULL)
		return -1;
	av[0] = (char *)RESPONDER;
	/* Every argument but --fastcgi itself, in order; after "--" none
	 * is an option. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			opts = 0;
		if (!opts || strcmp(argv[i], "--fastcgi") != 0)
			av[n++] = argv[i];
	}
	if (sibling(path, sizeof(path)) != 0)
		mtls_fmt(path, sizeof(path), "%s/%s", MTLS_SBINDIR, RESPONDER);
	execv(path, av);
	fprintf(stderr, "mtls-auth: --fastcgi: cannot run %s: %s (Debian: "
	    "it is in mtls-tools, with libfcgi)\n", path, strerror(errno));
	free(av);
	return -1;
}
