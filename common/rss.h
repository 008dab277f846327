/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Resident set size of this process, for the login benchmark and the load
 * test (which judge memory growth over many logins).  Header only: neither
 * links libmtls for it, and libmtls itself never measures itself. */
#ifndef MTLS_RSS_H
#define MTLS_RSS_H

#include <stdio.h>
#include <unistd.h>

/* KiB resident now, from /proc/self/statm; 0 when it cannot be read. */
static inline long
mtls_rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, resident = 0;

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

#endif
