/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The privileged helper: forked by the plugin before OpenVPN drops its
 * privileges, it runs one PAM transaction per client certificate and stays
 * alive (warm config and CRL caches) until OpenVPN closes the socket. */
#ifndef MTLS_OVPN_HELPER_H
#define MTLS_OVPN_HELPER_H

#include <stddef.h>
#include <sys/types.h>

/* Forks the helper for PAM service `service`; *fd is the plugin's end of
 * the socketpair.  Returns the pid, or -1 with a sentence in err. */
pid_t helper_start(const char *service, int *fd, char *err, size_t errsz);

#endif
