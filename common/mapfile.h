/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#ifndef MTLS_MAPFILE_H
#define MTLS_MAPFILE_H

#include <stddef.h>
#include <stdio.h>

#include "cfg.h"
#include "util.h"	/* mtls_valid_username, which used to live here */

/* Returns how many lines carry exactly this key; *first points at the
 * first of them (they are adjacent). */
size_t mtls_mapfile_find(const struct mtls_mapfile *mf, const char *key,
    const struct mtls_mapfile_entry **first);
/* Writes "path:line: finding" for each line of a rule's (loaded) map file
 * that reads differently from how it looks: CRLF, stray blanks, a '#'
 * inside a line, a blank inside a key its source never has, a separator
 * other than one space, a key on several lines.  Returns the count. */
size_t mtls_mapfile_lint(const struct mtls_map *m, FILE *out);

#endif
