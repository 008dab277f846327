/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* What the LDAP rule and mtls-sync share: reading a directory value as an
 * account name.  Directory data is untrusted. */
#ifndef MTLS_LDAP_MAP_H
#define MTLS_LDAP_MAP_H

#include <stddef.h>

#include <lber.h>

/* Copies an LDAP value into name as a NUL-terminated account name.  0, or
 * -1 when it is empty, too long or not a valid account name. */
int mtls_ldap_value_name(const struct berval *bv, char *name,
    size_t namesz);
/* The single uid-like number of an LDAP value (0 .. 2^32-2).  0, or -1. */
int mtls_ldap_value_id(const struct berval *bv, unsigned long *id);

#endif
