/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The NSS interface of libnss_mtls.so.2, exactly what exports.map lists. */
#ifndef MTLS_NSS_MTLS_H
#define MTLS_NSS_MTLS_H

#include <grp.h>
#include <nss.h>
#include <pwd.h>
#include <sys/types.h>

enum nss_status _nss_mtls_getpwnam_r(const char *name, struct passwd *pw,
    char *buffer, size_t buflen, int *errnop);
enum nss_status _nss_mtls_getpwuid_r(uid_t uid, struct passwd *pw,
    char *buffer, size_t buflen, int *errnop);
enum nss_status _nss_mtls_setpwent(int stayopen);
enum nss_status _nss_mtls_endpwent(void);
enum nss_status _nss_mtls_getpwent_r(struct passwd *pw, char *buffer,
    size_t buflen, int *errnop);
enum nss_status _nss_mtls_getgrnam_r(const char *name, struct group *gr,
    char *buffer, size_t buflen, int *errnop);
enum nss_status _nss_mtls_getgrgid_r(gid_t gid, struct group *gr,
    char *buffer, size_t buflen, int *errnop);
enum nss_status _nss_mtls_setgrent(int stayopen);
enum nss_status _nss_mtls_endgrent(void);
enum nss_status _nss_mtls_getgrent_r(struct group *gr, char *buffer,
    size_t buflen, int *errnop);
enum nss_status _nss_mtls_initgroups_dyn(const char *user, gid_t group,
    long int *start, long int *size, gid_t **groupsp, long int limit,
    int *errnop);

#endif
