/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Shared by the libFuzzer targets: a private file that each input is
 * written to, for the parsers that read files (config, account cache). */
#ifndef MTLS_FUZZ_H
#define MTLS_FUZZ_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Rewrites one file per process with the input; returns its path. */
static inline const char *
fuzz_file(const uint8_t *data, size_t size)
{
	static char path[64];
	int fd;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/mtls-fuzz.%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	return path;
}

#endif
