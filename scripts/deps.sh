#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Installs the build and test dependencies on Debian 12 (as root).  Every
# package the build, the tests and the demo use is named here.
set -euo pipefail
PACKAGES="build-essential autoconf automake libtool pkg-config
 libssl-dev openssl libpam0g-dev libpam-modules libldap-dev
 libcmocka-dev libpam-wrapper libpamtest0-dev libnss-wrapper pamtester
 faketime jq gdb netcat-openbsd iproute2 slapd ldap-utils util-linux
 openvpn freeradius eapoltest nginx-light fcgiwrap curl
 openssh-server openssh-client socat
 clang libclang-rt-14-dev valgrind
 debhelper dpkg-dev man-db groff-base
 adduser passwd libfcgi-dev"
# tests/crl_fetch.sh: the loopback HTTP server, systemd-analyze verify.
PACKAGES="$PACKAGES python3 systemd"
# bench/crl_cold: peak RSS of each mtls-auth process (/usr/bin/time).
PACKAGES="$PACKAGES time"
missing=$(for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing packages: $missing (run as root or install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Installing slapd must not start a system LDAP server: the tests run
# their own.  A policy-rc.d that denies service starts, only for the
# install and only if the machine has none.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && own_policy=1
fi
rc=0
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null || rc=$?
[ -n "$own_policy" ] && rm -f "$policy"
exit $rc
