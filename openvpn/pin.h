/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Keeps the shared objects a PAM transaction loaded mapped for the rest of
 * the helper's life.  libpam dlopen()s every module its service file and
 * /etc/pam.d/other name at each pam_start and dlclose()s them at pam_end;
 * on Debian `other` pulls pam_unix (with libcrypt, libselinux, libpcre2),
 * pam_systemd, pam_cap, ..., so every connection mapped, relocated and
 * unmapped them again.  Pinned, libpam's dlopen finds them loaded (a
 * reference count) and its dlclose leaves them.  libpam still reads the
 * service files at every pam_start: what the stack is, and every module's
 * decision, stay per transaction. */
#ifndef MTLS_OVPN_PIN_H
#define MTLS_OVPN_PIN_H

/* What the helper has pinned so far: the loader's count of objects ever
 * added when it last looked. */
struct pin_state {
	unsigned long long adds;
};

/* Call inside a transaction (after pam_start): when objects were loaded
 * since the last call, marks every loaded object RTLD_NODELETE.  Nothing
 * is loaded that was not; a failure only leaves an object unpinned. */
void pin_loaded(struct pin_state *st);

#endif
