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

#endif
