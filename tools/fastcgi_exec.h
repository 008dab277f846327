/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-auth --fastcgi: becomes mtls-fastcgi, so that the cold mtls-auth
 * --cgi process never loads libfcgi. */
#ifndef MTLS_TOOLS_FASTCGI_EXEC_H
#define MTLS_TOOLS_FASTCGI_EXEC_H

/* When argv holds --fastcgi, execs the mtls-fastcgi installed next to this
 * program (else the one in the compiled-in sbindir) with the other
 * arguments; returns only when there is no --fastcgi (0) or the exec
 * failed (-1, after saying why on stderr). */
int fastcgi_exec(int argc, char **argv);

#endif
