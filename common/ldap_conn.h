/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* LDAP connections: the configured URIs tried in order, ldaps:// or
 * StartTLS with the server certificate checked, simple bind or anonymous,
 * a network timeout for connect and an operation timeout for everything
 * else.  One connection per decision or sync: never shared across threads. */
#ifndef MTLS_LDAP_CONN_H
#define MTLS_LDAP_CONN_H

#include <stddef.h>

#include <ldap.h>

#include "cfg.h"

/* 0 and a bound handle, or -1 with every URI's failure in err. */
int mtls_ldap_connect(const struct mtls_policy *p, LDAP **ld, char *err,
    size_t errsz);
void mtls_ldap_close(LDAP *ld);

#endif
