#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Packaging: make distcheck; Debian packages built from the dist tarball
# with dpkg-buildpackage; then the admin's path in a throwaway root: a
# private mount namespace with an overlayfs over / (upper layer on a
# tmpfs), chrooted into.  There the packages are installed, the PAM profile
# enabled with pam-auth-update, and the admin's walk done: OpenVPN,
# FreeRADIUS, nginx and sshd set up from the installed examples as the
# docs say, each with a good and a refused certificate
# (tests/admin_walk.sh).  Then the packages are purged: no pam_mtls line may
# stay in /etc/pam.d, a password login through pam_unix must still work,
# and no file the packages created may be left.  Nothing is installed on
# the machine running the test.
#   tests/package.sh BUILDDIR
# Everything runs in a private mount namespace: the overlay and the binds
# under it vanish with the test, whatever happens.
if [ -z "${MTLS_PKG_NS:-}" ] && [ "$(id -u)" = 0 ]; then
	exec env MTLS_PKG_NS=1 unshare -m --propagation private bash "$0" "$@"
fi
MTLS_BUILDDIR=$(cd "${1:?usage: tests/package.sh BUILDDIR}" && pwd)
MTLS_SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
MTLS_PKI=$MTLS_BUILDDIR/tests/pki-out
export MTLS_BUILDDIR MTLS_SRCDIR MTLS_PKI
. "$MTLS_SRCDIR/tests/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "a throwaway root (mount namespace, overlayfs, chroot) needs root"
PKGS="libpam-mtls libnss-mtls mtls-tools"
# The installed programs find the LDAP module at its compiled-in path, not
# through the test override make check sets.
unset MTLS_LDAP_MODULE
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

make -C "$MTLS_BUILDDIR" -s distcheck TESTS= >"$WORK/distcheck.log" 2>&1
is "$?" 0 "make distcheck (dist, VPATH build, install, uninstall)"
[ -f "$MTLS_PKI/.complete" ] || make -C "$MTLS_BUILDDIR" -s tests/pki-out/.complete >/dev/null
tarball=$(ls "$MTLS_BUILDDIR"/pam_mtls-*.tar.gz 2>/dev/null | head -1)
[ -n "$tarball" ] || make -C "$MTLS_BUILDDIR" -s dist >/dev/null 2>&1
tarball=$(ls "$MTLS_BUILDDIR"/pam_mtls-*.tar.gz | head -1)
mkdir -p "$WORK/src"
tar -C "$WORK/src" -xzf "$tarball"
# README's install from source gives the packages' layout: configured as
# it says, the LDAP module's directory (the one path that follows
# --libdir) is the one the packages use.
args=$(sed -n '/^autoreconf -fi && \.\/configure --prefix=/,/^make && sudo make install/p' \
	"$MTLS_SRCDIR/README.md" | sed '$d' | sed 's/\\$//' | tr '\n' ' ' |
	sed 's/^autoreconf -fi && \.\/configure //')
mkdir -p "$WORK/readme-build"
got=$(cd "$WORK/readme-build" && eval "$(echo "$WORK"/src/pam_mtls-*)/configure -q $args" >/dev/null 2>&1 &&
	printf 'print-var:\n\t@echo $(pkglibdir)\n' | make -s -f Makefile -f - print-var)
is "$got" "/usr/lib/$MA/pam_mtls" "README's configure line puts the LDAP module where the packages do"
rm -rf "$WORK/readme-build"
(cd "$WORK"/src/pam_mtls-* && dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1
rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b from the dist tarball"
[ "$rc" = 0 ] || tail -25 "$WORK/build.log" | sed 's/^/#   /'
for p in $PKGS; do
	if ls "$WORK/src/${p}_"*_*.deb >/dev/null 2>&1; then ok "$p package built"; else not_ok "$p package built"; fi
done

. "$MTLS_SRCDIR/tests/throwaway_root.sh"
. "$MTLS_SRCDIR/tests/admin_walk.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port
throwaway_root "$WORK/root" || { not_ok "throwaway root: $ROOT_ERR"; done_testing; }
ok "throwaway root: overlayfs over / chrooted at $M"
mkdir -p "$M/root/mtls-debs"
cp "$WORK"/src/*.deb "$M/root/mtls-debs/"

# A local account with a known password, and a PAM service that is only
# the system's common stacks: what su, sshd and login go through.
inroot useradd -M -s /bin/sh -p "$(openssl passwd -6 -salt mtlstest 'c0rrect horse')" pwuser
printf '@include common-auth\n@include common-account\n' > "$M/etc/pam.d/mtls-pwtest"
password_login() { # password_login PASSWORD -> pamtester's output
	printf '%s\n' "$1" | inroot pamtester mtls-pwtest pwuser authenticate acct_mgmt 2>&1
}
like "$(password_login 'c0rrect horse')" "account management done" "before install: a password login passes common-auth and common-account"
like "$(password_login 'wrong')" "Authentication failure" "before install: a wrong password is refused"
for f in common-auth common-account common-session common-password; do
	cp "$M/etc/pam.d/$f" "$WORK/$f.before"
done

inroot sh -c 'dpkg -i /root/mtls-debs/libpam-mtls_*.deb /root/mtls-debs/libnss-mtls_*.deb /root/mtls-debs/mtls-tools_*.deb' >"$WORK/install.log" 2>&1
is "$?" 0 "the three packages install in the throwaway root"
for f in /lib/$MA/security/pam_mtls.so /lib/$MA/libnss_mtls.so.2 /usr/sbin/mtls-auth \
	/usr/bin/mtls-check /usr/sbin/mtls-ssh-keys /usr/share/pam-configs/mtls \
	/etc/security/mtls.conf /lib/systemd/system/mtls-sync.timer \
	/usr/lib/mtls/mtls-tls-verify /usr/lib/mtls/mtls-auth.cgi \
	/usr/lib/tmpfiles.d/mtls-openvpn.conf /usr/share/doc/pam_mtls/examples/mtls-auth; do
	[ -e "$M$f" ] && ok "installed: $f" || not_ok "installed: $f"
done
[ -d "$M/var/lib/mtls" ] && ok "installed: /var/lib/mtls" || not_ok "installed: /var/lib/mtls"
is "$(stat -c '%a %U' "$M/var/cache/mtls/crl" 2>&1)" "755 root" "installed: /var/cache/mtls/crl (crl_cache_dir), 0755 root"
# Every installed path the docs and shipped snippets name exists.
missing=
# (man pages write a hyphen as \-)
for f in $(cd "$MTLS_SRCDIR" && cat README.md docs/*.md docs/*.[158] conf/*/* conf/mtls.conf |
	sed 's/\\-/-/g' |
	grep -ohE '/(usr|lib)/(s?bin|lib/mtls|lib/tmpfiles\.d|share/pam-configs|share/doc/pam_mtls|lib/systemd/system)(/[A-Za-z0-9._-]+)*' |
	sed 's/[.]$//' | sort -u); do
	[ -e "$M$f" ] || missing="$missing $f"
done
is "$missing" "" "every install path named in README.md, docs/ and conf/ exists after install"
is "$(stat -c '%a %U %G' "$M/run/openvpn-mtls" 2>&1)" "1770 root nogroup" \
	"the tmpfiles.d line created OpenVPN's tls-export-cert directory"
is "$(inroot getent passwd mtls-keys | cut -d: -f7)" /usr/sbin/nologin \
	"the mtls-keys system user exists (sshd's AuthorizedKeysCommandUser)"
like "$(inroot man -w pam_mtls 2>&1)" "/usr/share/man/man8/pam_mtls.8" "man pam_mtls finds the installed page"
is "$(grep -c pam_mtls "$M/etc/pam.d/common-auth" "$M/etc/pam.d/common-account" | cut -d: -f2 | tr '\n' ' ')" "0 0 " \
	"installing changes no PAM stack (the profile is Default: no)"

inroot pam-auth-update --enable mtls >"$WORK/enable.log" 2>&1
is "$?" 0 "pam-auth-update --enable mtls"
like "$(cat "$M/etc/pam.d/common-account")" "^account[[:space:]]+required[[:space:]]+pam_mtls\.so config=/etc/security/mtls\.conf" \
	"common-account has the profile's account line"
like "$(cat "$M/etc/pam.d/common-auth")" "pam_mtls\.so no_cert=ignore config=/etc/security/mtls\.conf" \
	"common-auth has the profile's auth line"
like "$(password_login 'c0rrect horse')" "account management done" \
	"profile enabled: a password login still passes (pam_mtls ignores a handle without a certificate)"

# A certificate login as the docs describe: the shipped mtls.conf with the
# trust files where it names them, the shipped PAM service for mtls-auth.
cmp -s "$MTLS_SRCDIR/conf/mtls.conf" "$M/etc/security/mtls.conf" && ok "the installed mtls.conf is conf/mtls.conf" ||
	not_ok "the installed mtls.conf is conf/mtls.conf"
walk_trust
inroot cp /usr/share/doc/pam_mtls/examples/mtls-auth /etc/pam.d/mtls-auth
out=$(inroot mtls-check --lint 2>&1)
is "$?:$(printf '%s\n' "$out" | head -1)" "0:/etc/security/mtls.conf: OK (0 profile(s), 1 map rule(s))" \
	"mtls-check --lint accepts the shipped config"
is "$(inroot /usr/sbin/mtls-auth --service mtls-auth --cert-file /root/client/good-ec.pem 2>&1)" bob \
	"mtls-auth through the installed module maps the certificate to bob"
out=$(inroot /usr/sbin/mtls-auth --service mtls-auth --cert-file /root/client/revoked.pem 2>&1)
is "$?" 1 "a revoked certificate is refused (exit 1)"
like "$out" "^mtls-auth: refused: MTLS_E_REVOKED " "mtls-auth names the reason on stderr"
# An LDAP rule: the core opens the installed module on demand (the
# directory is not there: the refusal must be the connection's).
LDAPMOD=/usr/lib/$MA/pam_mtls/mtls-ldap.so
[ -f "$M$LDAPMOD" ] && ok "installed: $LDAPMOD" || not_ok "installed: $LDAPMOD"
is "$(inroot ldd /lib/$MA/security/pam_mtls.so /usr/sbin/mtls-auth | grep -c libldap)" 0 \
	"the installed pam_mtls.so and mtls-auth do not load libldap"
cat > "$M/etc/security/mtls-ldap.conf" <<CONF
ca_file = /etc/ssl/mtls/ca.pem
intermediates_file = /etc/ssl/mtls/intermediates.pem
crl_dir = /etc/ssl/mtls/crl
ldap_uri = ldap://127.0.0.1:$(free_port)
ldap_plaintext = yes
ldap_base = dc=example,dc=com
ldap_network_timeout = 2
ldap_timeout = 2
map = by_cn
[map by_cn]
source = cn
lookup = ldap
ldap_filter = (&(objectClass=posixAccount)(cn={key}))
CONF
out=$(inroot mtls-check --config /etc/security/mtls-ldap.conf --lint 2>&1)
is "$?" 0 "mtls-check --lint: an LDAP rule finds the installed module"
out=$(inroot mtls-check --config /etc/security/mtls-ldap.conf --json /root/client/good-ec.pem 2>&1)
is "$(jq -r .reason <<<"$out")" MTLS_E_BACKEND_DOWN "an LDAP rule with the directory down: BACKEND_DOWN"
is "$(jq -r '.checks[] | select(.name=="mapping") | .detail' <<<"$out" | grep -c 'LDAP module')" 0 \
	"the installed module loaded: the failure is the connection's"
rm -f "$M/etc/security/mtls-ldap.conf" "$M/etc/pam.d/mtls-auth"
walk_openvpn
walk_freeradius
walk_nginx

# sshd as docs/sshd.md sets it up, and mtls-ssh-keys run by hand as the
# package's mtls-keys user.
walk_sshd
walk_untrust

inroot dpkg --purge $PKGS >"$WORK/purge.log" 2>&1
is "$?" 0 "the packages purge"
[ ! -e "$M/lib/$MA/security/pam_mtls.so" ] && ok "purged: the module is gone" || not_ok "purged: the module is gone"
is "$(grep -l pam_mtls "$M"/etc/pam.d/* 2>/dev/null)" "" "purged: no file in /etc/pam.d names pam_mtls"
for f in common-auth common-account common-session common-password; do
	cmp -s "$WORK/$f.before" "$M/etc/pam.d/$f" && ok "purged: $f is as before install" ||
		not_ok "purged: $f is as before install"
done
like "$(password_login 'c0rrect horse')" "account management done" "purged: a password login still works"
like "$(password_login 'wrong')" "Authentication failure" "purged: a wrong password is still refused"
is "$(inroot getent passwd mtls-keys)" "" "purged: the mtls-keys user is gone"

# What is left in the upper layer is everything the root changed: apart
# from dpkg's and the tools' own records and our test account, nothing.
inroot userdel pwuser
rm -rf "$M/root/mtls-debs" "$M/etc/pam.d/mtls-pwtest"
left=$(root_changes | grep -vE '^(run/adduser$|etc/\.pwd\.lock$|var/lib/dpkg/|var/log/|var/cache/(debconf|man|ldconfig)/|var/lib/pam/|etc/ld\.so\.cache$|etc/(passwd|group|shadow|gshadow|subuid|subgid)-?$|etc/pam\.d/common-|root/\.)')
is "$left" "" "purged: no file the packages created is left"
done_testing
