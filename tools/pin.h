/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Keeps the shared objects a PAM transaction loaded mapped for the rest of
 * a long-running application's life (the OpenVPN plugin's helper,
 * mtls-fastcgi).  libpam dlopen()s every module its service file and
 * /etc/pam.d/other name at each pam_start and dlclose()s them at pam_end;
 * on Debian `other` pulls pam_unix (with libcrypt, libselinux, libpcre2),
 * pam_systemd, pam_cap, ..., so every transaction mapped, relocated and
 * unmapped them again.  Pinned, libpam's dlopen finds them loaded (a
 * reference count) and its dlclose leaves them.  libpam still reads the
 * service files at every pam_start: what the stack is, and every module's
 * decision, stay per transaction.  A module file replaced on disk is used
 * from the application's next start. */
#ifndef MTLS_TOOLS_PIN_H
#define MTLS_TOOLS_PIN_H

#include <pthread.h>

/* What has been pinned so far: the loader's count of objects ever added
 * when it last looked, under lock (threads share one state). */
struct pin_state {
	pthread_mutex_t lock;
	unsigned long long adds;
};

#define PIN_STATE_INIT { PTHREAD_MUTEX_INITIALIZER, 0 }

/* Call inside a transaction (after pam_start): when objects were loaded
 * since the last call, marks every loaded object RTLD_NODELETE.  Nothing
 * is loaded that was not; a failure only leaves an object unpinned.
 * Thread-safe. */
void pin_loaded(struct pin_state *st);

#endif
