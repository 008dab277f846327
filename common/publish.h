/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Publishing a file whole: readers see the old version or the new one,
 * never a part (the account cache, the CRL index). */
#ifndef MTLS_PUBLISH_H
#define MTLS_PUBLISH_H

#include <stddef.h>
#include <sys/types.h>

/* Writes dir/name through a hidden temp file in dir, fsync and rename,
 * then fsyncs dir so the rename itself reaches the disk.  0, or -1 with a
 * sentence in err (the temp file is removed). */
int mtls_publish(const char *dir, const char *name, const void *data,
    size_t len, mode_t mode, char *err, size_t errsz);

#endif
