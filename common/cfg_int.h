/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Internal to the config loader: the parsed document before it is turned
 * into policies and maps. */
#ifndef MTLS_CFG_INT_H
#define MTLS_CFG_INT_H

#include <stddef.h>

#include "cfg.h"

enum cfg_kind { CFG_GLOBAL, CFG_PROFILE, CFG_MAP };

struct cfg_section {
	enum cfg_kind kind;
	const char *name;
	int line;
};

struct cfg_entry {
	const char *key;
	const char *value;
	int line;
	size_t section;
};

struct cfg_doc {
	struct cfg_section *sec;
	size_t nsec;
	struct cfg_entry *ent;
	size_t nent;
};

/* Splits text (modified in place) into sections and key = value entries;
 * syntax errors and duplicates are reported as "path:line: ...". */
int cfg_parse_text(const char *path, char *text, struct cfg_doc *doc,
    char *err, size_t errsz);
void cfg_doc_free(struct cfg_doc *doc);

/* Key setters: 0 on success, -1 with a sentence in err for a bad value,
 * -2 when the key is not one of this section's keys. */
int cfg_set_policy(struct mtls_policy *p, const struct mtls_cfg *cfg,
    const char *key, const char *value, char *err, size_t errsz);
int cfg_set_map(struct mtls_map *m, const char *key, const char *value,
    char *err, size_t errsz);
void cfg_policy_defaults(struct mtls_policy *p);

/* Map files: `key user` lines, loaded whole and sorted for bsearch. */
int mapfile_load(struct mtls_mapfile *mf, const char *path, char *err,
    size_t errsz);
void mapfile_free(struct mtls_mapfile *mf);

/* Trust material for one policy. */
/* On failure *key names the configuration key whose file failed. */
int cfg_build_store(struct mtls_policy *p, const char **key, char *err,
    size_t errsz);
void cfg_free_store(struct mtls_policy *p);

#endif
