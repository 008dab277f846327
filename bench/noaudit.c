/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* An ablation for bench/run, never for a real login: preloaded, it tells
 * libpam that the kernel has no audit support, as on a kernel built
 * without it, so libpam skips the netlink socket it opens, writes, reads
 * and closes for every phase.  The difference it makes is libpam's
 * audit cost, which pam_mtls cannot change. */
#include <errno.h>

int audit_open(void);

int
audit_open(void)
{
	errno = EPROTONOSUPPORT;
	return -1;
}
