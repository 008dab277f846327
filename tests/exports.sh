#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# pam_mtls.so exports the PAM entry points and nothing else.
. "$MTLS_SRCDIR/tests/lib.sh"

syms=$(nm -D --defined-only "$MODULE" | awk '{print $3}' | sort | tr '\n' ' ')
is "$syms" "pam_sm_acct_mgmt pam_sm_authenticate pam_sm_setcred " \
	"pam_mtls.so exports exactly pam_sm_*"
like "$(readelf -d "$MODULE")" "BIND_NOW" "pam_mtls.so is linked with -z now"
like "$(readelf -d "$MODULE")" "NODELETE" "pam_mtls.so stays loaded across pam_end (CRL cache)"
NSS=$MTLS_BUILDDIR/.libs/libnss_mtls.so.2
syms=$(nm -D --defined-only "$NSS" | awk '{print $3}' | grep -v '^_nss_mtls_' | tr '\n' ' ')
is "$syms" "" "libnss_mtls.so.2 exports only _nss_mtls_*"
is "$(nm -D --defined-only "$NSS" | grep -c ' T _nss_mtls_')" 11 "libnss_mtls.so.2 exports the 11 NSS entry points"
needed=$(readelf -d "$NSS" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')
like "$needed" "libc\.so\.6" "libnss_mtls.so.2 links libc"
# (The sanitizer build adds its runtimes; nothing else may appear.)
is "$(printf '%s\n' $needed | grep -cvE '^(libc\.so\.6|ld-linux-x86-64\.so\.2|libasan\.so\.[0-9]+|libubsan\.so\.[0-9]+)$')" 0 \
	"libnss_mtls.so.2 links nothing but libc (no OpenSSL, no libldap)"
is "$(nm -D --undefined-only "$NSS" | grep -v '__' | grep -ciE 'ldap|ssl|crypto|pthread_create|socket|connect')" 0 \
	"libnss_mtls.so.2 calls no crypto, LDAP, thread or network function"
is "$(readelf -d "$NSS" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" libnss_mtls.so.2 "soname is libnss_mtls.so.2"
# libldap (and GnuTLS, SASL, p11-kit... behind it) only in the LDAP module
# and the tools that only talk to the directory: not in what every login
# loads.
for f in .libs/pam_mtls.so .libs/openvpn-plugin-mtls.so mtls-auth mtls-fastcgi mtls-check \
	mtls-sign mtls-crl-fetch; do
	is "$(ldd "$MTLS_BUILDDIR/$f" | grep -cE 'libldap|liblber|libgnutls|libsasl2')" 0 \
		"$f loads neither libldap nor GnuTLS/SASL"
done
LDAPMOD=$MTLS_BUILDDIR/.libs/mtls-ldap.so
is "$(nm -D --defined-only "$LDAPMOD" | awk '$2 == "T" {print $3}' | tr '\n' ' ')" "mtls_ldap_module@@MTLS_LDAP_1 " \
	"mtls-ldap.so exports one versioned entry point"
like "$(readelf -d "$LDAPMOD")" "libldap" "mtls-ldap.so links libldap"
like "$(readelf -d "$LDAPMOD")" "BIND_NOW" "mtls-ldap.so is linked with -z now"
done_testing
