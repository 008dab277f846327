#!/bin/bash
# Installs the build and test dependencies on Debian 12 (as root).  Every
# package the build, the tests and the demo use is named here.
set -euo pipefail
PACKAGES="build-essential autoconf automake libtool pkg-config
 libssl-dev openssl libpam0g-dev libpam-modules libldap-dev
 libcmocka-dev libpam-wrapper libpamtest0-dev libnss-wrapper pamtester
 faketime jq gdb netcat-openbsd iproute2"
missing=$(for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing packages: $missing (run as root or install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
