#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# mtls-check --lint: every mistake is reported with file:line, exit 2.
. "$MTLS_SRCDIR/tests/lib.sh"

good() {
	cat <<CONF
ca_file = $PKI/ca.pem
revocation = none
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
}

# lint_case DESCRIPTION EXPECTED-ERROR-REGEX <<config
lint_case() {
	write_config "$WORK/c.conf"
	out=$("$MTLS_CHECK" --config "$WORK/c.conf" --lint 2>&1)
	rc=$?
	is "$rc" 2 "$1: exit 2"
	like "$out" "^$WORK/c.conf:$2" "$1: $2"
}

good > "$WORK/in"; write_config "$WORK/ok.conf" < "$WORK/in"
out=$("$MTLS_CHECK" --config "$WORK/ok.conf" --lint)
is "$?" 0 "a good config lints clean"
like "$out" "OK \(0 profile\(s\), 1 map rule\(s\)\)" "lint summarises what it loaded"

{ good; echo "frobnicate = 1"; } > "$WORK/in"; lint_case "unknown key" "7: unknown key 'frobnicate' in \[map\] section" < "$WORK/in"
{ echo "max_depth = 99"; good; } > "$WORK/in"; lint_case "number out of range" "1: max_depth: '99' is not a number from 0 to 16" < "$WORK/in"
{ echo "allow_sha1 = maybe"; good; } > "$WORK/in"; lint_case "bad boolean" "1: allow_sha1: 'maybe' is not yes or no" < "$WORK/in"
{ echo "require_eku = clientAuht"; good; } > "$WORK/in"; lint_case "misspelt purpose" "1: require_eku: 'clientAuht' is not a known purpose" < "$WORK/in"
{ echo "allowed_curves = P-256,secp256k1"; good; } > "$WORK/in"; lint_case "unknown curve" "1: allowed_curves: 'secp256k1' is not one of" < "$WORK/in"
{ good; echo "[map by_cn]"; } > "$WORK/in"; lint_case "duplicate section" "7: duplicate section 'by_cn' \(first at line 4\)" < "$WORK/in"
{ echo "ca_file = /a"; good; } > "$WORK/in"; lint_case "duplicate key" "2: duplicate key 'ca_file' \(first set at line 1\)" < "$WORK/in"
{ good; echo "[mapp x]"; } > "$WORK/in"; lint_case "unknown section" "7: unknown section '\[mapp x\]'" < "$WORK/in"
{ good; echo "just words"; } > "$WORK/in"; lint_case "no equals sign" "7: expected 'key = value'" < "$WORK/in"
{ good | sed 's/source = cn/source = cn\nmatch = ^[a-z]+$/'; } > "$WORK/in"; lint_case "regex without capture" "6: match: match must have exactly one capture group \(has 0\)" < "$WORK/in"
{ good | sed 's/lookup = local/lookup = ldap/'; } > "$WORK/in"; lint_case "ldap lookup without a filter" "4: \\[map by_cn\\]: ldap_filter goes with lookup = ldap" < "$WORK/in"
{ good | sed 's/lookup = local/lookup = ldap\nldap_filter = (uid={key})/'; } > "$WORK/in"; lint_case "ldap lookup without ldap_uri" "4: global: map 'by_cn' uses LDAP but ldap_uri or ldap_base is not set" < "$WORK/in"
{ good | sed 's/lookup = local/lookup = ldap\nldap_filter = uid={key}/'; } > "$WORK/in"; lint_case "ldap filter not in parentheses" "7: ldap_filter: filter must be enclosed in parentheses" < "$WORK/in"
{ good | sed 's/lookup = local/lookup = ldap\nldap_filter = (uid={user})/'; } > "$WORK/in"; lint_case "unknown filter placeholder" "7: ldap_filter: unknown placeholder at '\\{user\\}\\)'" < "$WORK/in"
{ echo "ldap_uri = http://x"; good; } > "$WORK/in"; lint_case "ldap_uri must be ldap:// or ldaps://" "1: ldap_uri: 'http://x' is not an ldap:// or ldaps:// URI" < "$WORK/in"
{ good | sed 's|lookup = local|lookup = file:/nonexistent/map|'; } > "$WORK/in"; lint_case "missing map file" "6: lookup: /nonexistent/map: No such file" < "$WORK/in"
{ good | sed 's/source = cn/source = cn\nbinding = strong/'; } > "$WORK/in"; lint_case "weak source cannot be strong" "6: binding: binding = strong needs source" < "$WORK/in"
{ echo "require_binding = strong"; good; } > "$WORK/in"; lint_case "strong required, weak rule" "4: global: require_binding = strong, but map 'by_cn' \(source cn\) is weak" < "$WORK/in"
{ good | sed '/ca_file/d'; } > "$WORK/in"; lint_case "no trust anchors" "0: global: no trust anchors" < "$WORK/in"
{ echo "ldap_uri = ldaps://a ldap://b:389"; good; } > "$WORK/in"; lint_case "plain ldap:// without saying so" "1: ldap_uri: 'ldap://b:389' is plain text: use ldaps://, set ldap_starttls = yes, or say ldap_plaintext = yes" < "$WORK/in"
for extra in "ldap_starttls = yes" "ldap_plaintext = yes"; do
	{ echo "ldap_uri = ldap://b:389"; echo "$extra"; good; } | write_config "$WORK/plain.conf"
	"$MTLS_CHECK" --config "$WORK/plain.conf" --lint >/dev/null 2>&1
	is "$?" 0 "plain ldap:// with $extra lints clean"
done
{ echo "intermediates_file = /nonexistent/chain.pem"; good; } > "$WORK/in"; lint_case "missing intermediates file: the key's line, not 0" "1: intermediates_file: /nonexistent/chain.pem: No such file or directory" < "$WORK/in"
{ good; echo "[profile vpn]"; echo "ldap_ca_file = $WORK/nosuch.pem"; } > "$WORK/in"; lint_case "missing ldap_ca_file in a profile: its line" "8: ldap_ca_file: $WORK/nosuch.pem: No such file or directory" < "$WORK/in"
{ good | sed "s|$PKI/ca.pem|$PKI/good-ec.key|"; } > "$WORK/in"; lint_case "CA file without certificates" "1: ca_file: .*good-ec.key: no certificates" < "$WORK/in"
good | write_config "$WORK/c.conf"
chmod 0666 "$WORK/c.conf"
out=$("$MTLS_CHECK" --config "$WORK/c.conf" --lint 2>&1)
like "$out" "must not be writable by group or others" "a world-writable config is refused"
printf 'ca_file = /x\0\n' > "$WORK/c.conf"
chmod 0644 "$WORK/c.conf"
out=$("$MTLS_CHECK" --config "$WORK/c.conf" --lint 2>&1)
like "$out" "contains a NUL byte" "binary garbage in the config is refused"
done_testing
