#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# The LDAP module (mtls-ldap.so): opened only when a rule with lookup =
# ldap runs, from a trusted path; a module that cannot be used refuses the
# LDAP rule (MTLS_E_BACKEND_DOWN) naming its path, and mtls-check --lint
# says so.  make check points MTLS_LDAP_MODULE at the build tree's module.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port
setup_accounts
GOODMOD=$MTLS_LDAP_MODULE
DEAD=$(free_port)

# A config whose only rule asks a directory that is not there.
write_config "$WORK/ldap.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
ldap_uri = ldap://127.0.0.1:$DEAD
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
MAPLINE=$(grep -n '^\[map by_cn\]' "$WORK/ldap.conf" | cut -d: -f1)
standard_config "$WORK/local.conf"
service local config="$WORK/local.conf"
service ldap config="$WORK/ldap.conf"

# check CONF: got="exit reason", out = the JSON, for good-ec (CN bob).
check() {
	out=$("$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/good-ec.pem" 2>&1)
	got="$? $(jq -r .reason <<<"$out" 2>/dev/null)"
}
mapdetail() { jq -r '.checks[] | select(.name=="mapping") | .detail' <<<"$out"; }
loaded() { # loaded CMD...: the shared objects the process opened
	(export LD_DEBUG=files; "$@") 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) .*/\1/p' |
		sort -u | tr '\n' ' '
}

# --- loaded on demand -------------------------------------------------------
objs=$(loaded pamwrap "$MTLS_AUTH" --service local --cert-file "$PKI/good-ec.pem")
like "$objs" "pam_mtls\.so" "mtls-auth with a local rule loads pam_mtls.so"
is "$(printf '%s\n' $objs | grep -cE 'mtls-ldap|libldap|liblber|libgnutls|libsasl2')" 0 \
	"a local rule loads neither the LDAP module nor libldap, GnuTLS or SASL"
is "$(pamwrap "$MTLS_AUTH" --service local --cert-file "$PKI/good-ec.pem" 2>/dev/null)" bob \
	"and maps the certificate (bob)"
objs=$(loaded "$MTLS_CHECK" --config "$WORK/ldap.conf" "$PKI/good-ec.pem")
like "$objs" "mtls-ldap\.so" "an LDAP rule opens the LDAP module"
like "$objs" "libldap" "which brings libldap"
check ldap
is "$got" "2 MTLS_E_BACKEND_DOWN" "the module loaded, the directory down: BACKEND_DOWN"
like "$(mapdetail)" "127\.0\.0\.1:$DEAD" "the failure is the connection's, not the module's"
out=$("$MTLS_CHECK" --config "$WORK/ldap.conf" --lint 2>&1)
is "$?" 0 "mtls-check --lint: the module loads, nothing to say"

# --- a module that cannot be used -----------------------------------------------
# expect_refused DESCRIPTION MODULE REGEX: a login's refusal and the lint.
expect_refused() {
	export MTLS_LDAP_MODULE=$2
	check ldap
	is "$got" "2 MTLS_E_BACKEND_DOWN" "$1: the LDAP rule fails closed (BACKEND_DOWN)"
	like "$(mapdetail)" "LDAP module $2: $3" "$1: the refusal names the path and why"
	out=$("$MTLS_CHECK" --config "$WORK/ldap.conf" --lint 2>&1)
	is "$?" 2 "$1: mtls-check --lint exits 2"
	like "$out" "^$WORK/ldap\.conf:$MAPLINE: \[map by_cn\]: lookup = ldap: LDAP module $2: $3" \
		"$1: --lint names the rule's file:line, the module and why"
	export MTLS_LDAP_MODULE=$GOODMOD
}
expect_refused "missing module" "$WORK/none/mtls-ldap.so" ".*No such file"
export MTLS_LDAP_MODULE=$WORK/none/mtls-ldap.so
out=$(pamwrap "$MTLS_AUTH" --service ldap --cert-file "$PKI/good-ec.pem" 2>&1)
like "$out" "refused: MTLS_E_BACKEND_DOWN \(Authentication service cannot retrieve authentication info\)" \
	"PAM: missing module -> PAM_AUTHINFO_UNAVAIL"
export MTLS_LDAP_MODULE=$GOODMOD

mkdir -m 755 "$WORK/gw"
cp "$GOODMOD" "$WORK/gw/mtls-ldap.so"
chmod 775 "$WORK/gw/mtls-ldap.so"
expect_refused "group-writable module" "$WORK/gw/mtls-ldap.so" ".*writable"
mkdir -m 777 "$WORK/ww"
cp "$GOODMOD" "$WORK/ww/mtls-ldap.so"
chmod 755 "$WORK/ww/mtls-ldap.so"
expect_refused "module in a world-writable directory" "$WORK/ww/mtls-ldap.so" ".*writable"

mkdir -m 755 "$WORK/other"
cp "$MTLS_BUILDDIR/.libs/libnss_mtls.so.2" "$WORK/other/mtls-ldap.so"
expect_refused "a library that is not the module" "$WORK/other/mtls-ldap.so" \
	"no mtls_ldap_module@MTLS_LDAP_1"
# A module of another build: the right entry point, another version.
cat > "$WORK/other/fake.c" <<'C'
struct ops { const char *v; unsigned long a, b, c; void *s, *r; };
static const struct ops o = { "0.0.0-other", 1, 1, 1, 0, 0 };
const struct ops *mtls_ldap_module(void) { return &o; }
C
printf 'MTLS_LDAP_1 { global: mtls_ldap_module; local: *; };\n' > "$WORK/other/fake.sym"
gcc -shared -fPIC -o "$WORK/other/fake.so" "$WORK/other/fake.c" \
	-Wl,--version-script="$WORK/other/fake.sym"
expect_refused "a module from another build" "$WORK/other/fake.so" "not from this build"

# --- setuid and setgid programs ignore the override ---------------------------
# A setgid copy of mtls-check run as nobody (so AT_SECURE is set) with the
# override naming a missing module: the refusal must not be about it.
# LeakSanitizer cannot run in a setgid process: the normal build runs these.
if [ "${MTLS_SANITIZERS:-no}" = yes ]; then
	for c in 1 2 3; do
		T_N=$((T_N + 1))
		echo "ok $T_N # SKIP setgid case $c: LeakSanitizer cannot run setgid (the normal build runs it)"
	done
	done_testing
fi
mkdir -m 755 "$WORK/sg"
cp "$PKI/ca.pem" "$PKI/chain.pem" "$PKI/crl.pem" "$PKI/good-ec.pem" "$WORK/sg/"
sed "s|$PKI/|$WORK/sg/|" "$WORK/ldap.conf" > "$WORK/sg/ldap.conf"
cp "$MTLS_CHECK" "$WORK/sg/mtls-check"
chmod 644 "$WORK/sg/"*.pem "$WORK/sg/ldap.conf"
chgrp root "$WORK/sg/mtls-check"
chmod 2755 "$WORK/sg/mtls-check"
COMPILED=$(make_var pkglibdir)/mtls-ldap.so
out=$(env MTLS_LDAP_MODULE="$WORK/none/mtls-ldap.so" setpriv --reuid=nobody \
	--regid=nogroup --clear-groups "$WORK/sg/mtls-check" --config "$WORK/sg/ldap.conf" \
	--json "$WORK/sg/good-ec.pem" 2>&1)
is "$(jq -r .reason <<<"$out")" MTLS_E_BACKEND_DOWN "setgid mtls-check with an LDAP rule: BACKEND_DOWN"
is "$(mapdetail | grep -c "$WORK/none")" 0 "a setgid program ignores MTLS_LDAP_MODULE"
like "$(mapdetail)" "(LDAP module $COMPILED: |127\.0\.0\.1:$DEAD)" \
	"it uses the compiled-in path ($COMPILED)"
done_testing
