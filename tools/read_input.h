/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Reading a certificate or chain named on a tool's command line. */
#ifndef MTLS_TOOLS_READ_INPUT_H
#define MTLS_TOOLS_READ_INPUT_H

#include <stddef.h>

/* "-" reads standard input; other paths are resolved (symlinks are fine on
 * the command line) and read with the library's size-capped reader, which
 * opens without blocking and refuses anything but a regular file. */
int tool_read(const char *path, size_t max, char **buf, size_t *len,
    char *err, size_t errsz);
/* Resolves a path for handing to the PAM module. */
int tool_abspath(const char *path, char *out, size_t outsz);
/* --config FILE: an absolute path as given, a relative one resolved against
 * the current directory (the loader, shared with the PAM module, takes
 * absolute paths only).  -1 with the reason in err. */
int tool_config_path(const char *path, char *out, size_t outsz, char *err,
    size_t errsz);

#endif
