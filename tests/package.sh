#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Packaging: make distcheck; Debian packages built from the dist tarball
# with dpkg-buildpackage, installed, a login through the installed module
# (pamtester + pam_wrapper naming the installed path), then purged.
# Run by tests/run from a configured build dir (needs root for dpkg -i).
#   tests/package.sh BUILDDIR
MTLS_BUILDDIR=$(cd "${1:?usage: tests/package.sh BUILDDIR}" && pwd)
MTLS_SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
MTLS_PKI=$MTLS_BUILDDIR/tests/pki-out
export MTLS_BUILDDIR MTLS_SRCDIR MTLS_PKI
. "$MTLS_SRCDIR/tests/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "installing packages needs root"
PKGS="libpam-mtls libnss-mtls mtls-tools"
trap 'dpkg --purge $PKGS >/dev/null 2>&1; rm -rf "$WORK"' EXIT
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

make -C "$MTLS_BUILDDIR" -s distcheck TESTS= >"$WORK/distcheck.log" 2>&1
is "$?" 0 "make distcheck (dist, VPATH build, install, uninstall)"
[ -f "$MTLS_PKI/.complete" ] || make -C "$MTLS_BUILDDIR" -s tests/pki-out/.complete >/dev/null
tarball=$(ls "$MTLS_BUILDDIR"/pam_mtls-*.tar.gz 2>/dev/null | head -1)
[ -n "$tarball" ] || make -C "$MTLS_BUILDDIR" -s dist >/dev/null 2>&1
tarball=$(ls "$MTLS_BUILDDIR"/pam_mtls-*.tar.gz | head -1)
tar -C "$WORK" -xzf "$tarball"
(cd "$WORK"/pam_mtls-* && dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1
is "$?" 0 "dpkg-buildpackage -us -uc -b from the dist tarball"
for p in $PKGS; do
	[ -f "$WORK/${p}_"*_*.deb ] && ok "$p package built" || not_ok "$p package built"
done
dpkg -i "$WORK"/libpam-mtls_*.deb "$WORK"/libnss-mtls_*.deb "$WORK"/mtls-tools_*.deb >"$WORK/install.log" 2>&1
is "$?" 0 "the three packages install"
for f in /lib/$MA/security/pam_mtls.so /lib/$MA/libnss_mtls.so.2 /usr/sbin/mtls-auth \
	/usr/bin/mtls-check /usr/share/pam-configs/mtls /etc/security/mtls.conf \
	/lib/systemd/system/mtls-sync.timer /usr/lib/mtls/mtls-tls-verify; do
	[ -e "$f" ] && ok "installed: $f" || not_ok "installed: $f"
done
[ -d /var/lib/mtls ] && ok "installed: /var/lib/mtls" || not_ok "installed: /var/lib/mtls"
like "$(man -w pam_mtls 2>&1)" "/usr/share/man/man8/pam_mtls.8" "man pam_mtls finds the installed page"

# A login through the installed module and the installed mtls-auth.
setup_accounts
standard_config "$WORK/std.conf"
mkdir -p "$WORK/services"
printf 'auth required /lib/%s/security/pam_mtls.so config=%s\naccount required /lib/%s/security/pam_mtls.so config=%s\n' \
	"$MA" "$WORK/std.conf" "$MA" "$WORK/std.conf" > "$WORK/services/installed"
out=$(pamwrap pamtester -v -E "MTLS_CERT_FILE=$PKI/good-ec.pem" installed bob authenticate acct_mgmt 2>&1)
like "$out" "pamtester: successfully authenticated" "pamtester logs in through the installed module"
out=$(pamwrap pamtester -v -E "MTLS_CERT_FILE=$PKI/revoked.pem" installed alice authenticate 2>&1)
like "$out" "reason=MTLS_E_REVOKED" "the installed module refuses a revoked certificate"
out=$(pamwrap /usr/sbin/mtls-auth --service installed --cert-file "$PKI/good-ec.pem" 2>/dev/null)
is "$out" bob "the installed mtls-auth maps the certificate to bob"
out=$(nsswrap /usr/bin/mtls-check --config "$WORK/std.conf" --json "$PKI/wrong-eku.pem" | jq -r .reason)
is "$out" MTLS_E_EKU "the installed mtls-check explains a refusal"

dpkg --purge $PKGS >"$WORK/purge.log" 2>&1
is "$?" 0 "the packages purge"
[ ! -e "/lib/$MA/security/pam_mtls.so" ] && ok "purged: the module is gone" || not_ok "purged: the module is gone"
done_testing
