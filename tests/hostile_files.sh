#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Hostile files and hostile certificate input: a trusted file or directory
# that one wrong user can write (directly, through a parent directory or a
# symlink) is a configuration error naming it; a FIFO given as the
# certificate returns at once; a certificate must be exactly one DER or PEM
# certificate; --json stays valid UTF-8.  Each case asserts the exact exit
# status and reason code, or the exact lint error.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts

# config FILE CA-KEY-LINE [more lines]: the standard config with its first
# line (the trust anchors) replaced.
config() {
	local file=$1
	shift
	standard_config "$file"
	sed -i "1d" "$file"
	{ printf '%s\n' "$@"; cat "$file"; } > "$file.new"
	mv "$file.new" "$file"
	chmod 644 "$file"
}
# check CONFIG CERT: got="exit reason", out is the JSON.
check() {
	out=$(nsswrap "$MTLS_CHECK" --config "$1" --json "$2" 2>/dev/null)
	got="$? $(jq -r .reason <<<"$out" 2>/dev/null)"
}
# lint CONFIG: rc and out of --lint.
lint() {
	out=$("$MTLS_CHECK" --config "$1" --lint 2>&1)
	rc=$?
}
# valid_json TEXT: strictly valid UTF-8 (iconv refuses anything else) and
# JSON that jq parses.
valid_json() {
	printf '%s' "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 &&
		jq -e . >/dev/null 2>&1 <<<"$1"
}
# safe_copy SRC DST: a root-owned 0644 copy.
safe_copy() { install -m 644 -o root -g root "$1" "$2"; }
good=$PKI/good-ec.pem

# --- the harness layout: /tmp (root, sticky, 1777) > root 0755 dir -------
config "$WORK/base.conf" "ca_file = $PKI/ca.pem"
check "$WORK/base.conf" "$good"
is "$got" "0 MTLS_OK" "files under a root 0755 directory in sticky /tmp are trusted"
mkdir -m 1777 "$WORK/sticky"
safe_copy "$PKI/ca.pem" "$WORK/sticky/ca.pem"
config "$WORK/sticky.conf" "ca_file = $WORK/sticky/ca.pem"
check "$WORK/sticky.conf" "$good"
is "$got" "0 MTLS_OK" "a root-owned file in a root-owned sticky directory is trusted"
cp "$PKI/ca.pem" "$WORK/sticky/theirs.pem"
chown nobody "$WORK/sticky/theirs.pem"
config "$WORK/theirs.conf" "ca_file = $WORK/sticky/theirs.pem"
lint "$WORK/theirs.conf"
is "$rc" 2 "another user's file in a sticky directory: lint exit 2"
is "$out" "$WORK/theirs.conf:1: ca_file: $WORK/sticky/theirs.pem: must be owned by root" "another user's file in a sticky directory: named"

# --- unsafe parents -----------------------------------------------------
mkdir -m 755 "$WORK/ww"
safe_copy "$PKI/ca.pem" "$WORK/ww/ca.pem"
chmod 777 "$WORK/ww"
config "$WORK/ww.conf" "ca_file = $WORK/ww/ca.pem"
check "$WORK/ww.conf" "$good"
is "$got" "2 MTLS_E_CONFIG" "CA file in a world-writable (not sticky) directory: MTLS_E_CONFIG"
lint "$WORK/ww.conf"
is "$out" "$WORK/ww.conf:1: ca_file: $WORK/ww/ca.pem: $WORK/ww: directory must not be writable by group or others" "world-writable parent: the file and the directory are named"
mkdir -m 775 "$WORK/gw"
safe_copy "$PKI/ca.pem" "$WORK/gw/ca.pem"
config "$WORK/gw.conf" "ca_file = $WORK/gw/ca.pem"
lint "$WORK/gw.conf"
is "$out" "$WORK/gw.conf:1: ca_file: $WORK/gw/ca.pem: $WORK/gw: directory must not be writable by group or others" "group-writable parent refused"
mkdir -m 755 "$WORK/theirdir"
safe_copy "$PKI/ca.pem" "$WORK/theirdir/ca.pem"
chown nobody "$WORK/theirdir"
config "$WORK/theirdir.conf" "ca_file = $WORK/theirdir/ca.pem"
lint "$WORK/theirdir.conf"
is "$out" "$WORK/theirdir.conf:1: ca_file: $WORK/theirdir/ca.pem: $WORK/theirdir: directory must be owned by root" "parent owned by another user refused"

# --- symlinks -----------------------------------------------------------
ln -s "$PKI/ca.pem" "$WORK/ca-link.pem"
config "$WORK/link.conf" "ca_file = $WORK/ca-link.pem"
check "$WORK/link.conf" "$good"
is "$got" "0 MTLS_OK" "a root-owned symlink to a safe CA file is followed"
ln -s "$WORK/ww/ca.pem" "$WORK/ca-unsafe.pem"
config "$WORK/unsafelink.conf" "ca_file = $WORK/ca-unsafe.pem"
lint "$WORK/unsafelink.conf"
is "$rc" 2 "symlink to a file in an unsafe directory: lint exit 2"
is "$out" "$WORK/unsafelink.conf:1: ca_file: $WORK/ca-unsafe.pem: $WORK/ww: directory must not be writable by group or others (symlink $WORK/ca-unsafe.pem followed: link and target must both pass)" "symlink to an unsafe target: the error says a symlink was followed"
ln -s "$PKI/ca.pem" "$WORK/ca-theirs.pem"
chown -h nobody "$WORK/ca-theirs.pem"
config "$WORK/theirlink.conf" "ca_file = $WORK/ca-theirs.pem"
lint "$WORK/theirlink.conf"
is "$out" "$WORK/theirlink.conf:1: ca_file: $WORK/ca-theirs.pem: symlink not owned by root: not followed" "a symlink owned by another user is not followed"
ln -s "$WORK/ww" "$WORK/dirlink"
config "$WORK/dirlink.conf" "ca_file = $WORK/dirlink/ca.pem"
lint "$WORK/dirlink.conf"
is "$out" "$WORK/dirlink.conf:1: ca_file: $WORK/dirlink/ca.pem: $WORK/ww: directory must not be writable by group or others (symlink $WORK/dirlink followed: link and target must both pass)" "a symlinked parent directory is walked too"

# --- ca_dir ---------------------------------------------------------------
mkdir -m 755 "$WORK/cadir"
safe_copy "$PKI/ca.pem" "$WORK/cadir/root.pem"
openssl rehash "$WORK/cadir" 2>/dev/null || c_rehash "$WORK/cadir" >/dev/null
config "$WORK/cadir.conf" "ca_dir = $WORK/cadir"
check "$WORK/cadir.conf" "$good"
is "$got" "0 MTLS_OK" "ca_dir in c_rehash layout (hash symlinks): trusted"
hash=$(openssl x509 -in "$PKI/ca.pem" -noout -hash)
safe_copy "$PKI/good-rsa.pem" "$WORK/cadir/extra.pem"
chmod 664 "$WORK/cadir/extra.pem"
lint "$WORK/cadir.conf"
is "$rc" 2 "group-writable file in ca_dir: lint exit 2"
is "$out" "$WORK/cadir.conf:1: ca_dir: $WORK/cadir/extra.pem: must not be writable by group or others" "group-writable file in ca_dir: named, not skipped"
check "$WORK/cadir.conf" "$good"
is "$got" "2 MTLS_E_CONFIG" "group-writable file in ca_dir: MTLS_E_CONFIG at decision time too"
rm "$WORK/cadir/extra.pem"
chmod 664 "$WORK/cadir/root.pem"
lint "$WORK/cadir.conf"
like "$out" "^$WORK/cadir.conf:1: ca_dir: $WORK/cadir/(root.pem|$hash.0): .*must not be writable by group or others" "group-writable anchor behind a hash link: refused"
chmod 644 "$WORK/cadir/root.pem"
chmod 777 "$WORK/cadir"
lint "$WORK/cadir.conf"
is "$out" "$WORK/cadir.conf:1: ca_dir: $WORK/cadir: directory must not be writable by group or others" "world-writable ca_dir refused"
chmod 755 "$WORK/cadir"
mkdir -m 755 "$WORK/bigdir"
(cd "$WORK/bigdir" && touch f{1..4097})
config "$WORK/bigdir.conf" "ca_dir = $WORK/bigdir"
lint "$WORK/bigdir.conf"
is "$out" "$WORK/bigdir.conf:1: ca_dir: $WORK/bigdir: more than 4096 entries" "ca_dir beyond its documented limit: a config error, not a silent cut"

# --- crl_dir, crl_file, map file ---------------------------------------
mkdir -m 755 "$WORK/crl.d"
safe_copy "$PKI/crl.pem" "$WORK/crl.d/root.crl"
standard_config "$WORK/crldir.conf"
sed -i "s|^crl_file = .*|crl_dir = $WORK/crl.d|" "$WORK/crldir.conf"
check "$WORK/crldir.conf" "$good"
is "$got" "0 MTLS_OK" "a safe crl_dir is used"
cp "$PKI/crl.pem" "$WORK/crl.d/zz.crl"
chmod 666 "$WORK/crl.d/zz.crl"
lint "$WORK/crldir.conf"
is "$out" "$WORK/crldir.conf:3: crl_dir: $WORK/crl.d/zz.crl: must not be writable by group or others" "world-writable file in crl_dir: named with the key's line"
check "$WORK/crldir.conf" "$good"
is "$got" "2 MTLS_E_CONFIG" "world-writable file in crl_dir: MTLS_E_CONFIG, never skipped"
standard_config "$WORK/crlfile.conf"
sed -i "s|^crl_file = .*|crl_file = $WORK/ww/crl.pem|" "$WORK/crlfile.conf"
safe_copy "$PKI/crl.pem" "$WORK/ww/crl.pem"
lint "$WORK/crlfile.conf"
is "$out" "$WORK/crlfile.conf:3: crl_file: $WORK/ww/crl.pem: $WORK/ww: directory must not be writable by group or others" "crl_file under a world-writable directory: config error with the key's line"
printf 'bob bob\n' > "$WORK/ww/users.map"
chmod 644 "$WORK/ww/users.map"
write_config "$WORK/map.conf" <<CONF
ca_file = $PKI/ca.pem
revocation = none
map = by_file
[map by_file]
source = cn
lookup = file:$WORK/ww/users.map
CONF
lint "$WORK/map.conf"
like "$out" "^$WORK/map.conf:6: lookup: $WORK/ww/users.map: $WORK/ww: directory must not be writable by group or others" "map file under a world-writable directory refused"

# --- through PAM: an unsafe trust file is a service error ------------------
service unsafeca "config=$WORK/ww.conf"
out=$(pamwrap "$MTLS_AUTH" --service unsafeca --cert-file "$good" 2>&1)
like "$out" "refused: MTLS_E_CONFIG \(" "PAM: CA file under a world-writable directory -> MTLS_E_CONFIG"

# --- hostile certificate input ----------------------------------------------
service std "config=$WORK/base.conf"
mkfifo "$WORK/cert.fifo"
t0=$(date +%s%N)
out=$(pamwrap timeout 10 "$MTLS_AUTH" --service std --cert-file "$WORK/cert.fifo" 2>&1)
elapsed=$((($(date +%s%N) - t0) / 1000000))
like "$out" "refused: MTLS_E_BAD_INPUT \(Authentication failure\)" "FIFO as MTLS_CERT_FILE: PAM_AUTH_ERR, MTLS_E_BAD_INPUT"
like "$out" "cert.fifo: not a regular file" "FIFO as MTLS_CERT_FILE: explained"
if [ "$elapsed" -lt 1000 ]; then ok "FIFO as MTLS_CERT_FILE: returned in $elapsed ms"
else not_ok "FIFO as MTLS_CERT_FILE: took $elapsed ms"; fi
t0=$(date +%s%N)
out=$(nsswrap timeout 10 "$MTLS_CHECK" --config "$WORK/base.conf" --json "$WORK/cert.fifo" 2>/dev/null)
got="$? $(jq -r .reason <<<"$out" 2>/dev/null)"
elapsed=$((($(date +%s%N) - t0) / 1000000))
is "$got" "1 MTLS_E_BAD_INPUT" "FIFO as mtls-check's certificate: MTLS_E_BAD_INPUT"
if [ "$elapsed" -lt 1000 ]; then ok "FIFO as --cert-file: returned in $elapsed ms"
else not_ok "FIFO as --cert-file: took $elapsed ms"; fi
out=$(pamwrap timeout 10 pamtester -v -E "MTLS_CERT_FILE=$good" -E "MTLS_CHAIN_FILE=$WORK/cert.fifo" std bob authenticate 2>&1)
like "$out" "pamtester: Authentication failure" "FIFO as MTLS_CHAIN_FILE: PAM_AUTH_ERR"
like "$out" "reason=MTLS_E_BAD_INPUT" "FIFO as MTLS_CHAIN_FILE: MTLS_E_BAD_INPUT"
# The module does not follow a symlink the frontend hands it; the tools
# resolve their command-line paths first.
ln -s "$good" "$WORK/cert-link.pem"
out=$(pamwrap pamtester -v -E "MTLS_CERT_FILE=$WORK/cert-link.pem" std bob authenticate 2>&1)
like "$out" "reason=MTLS_E_BAD_INPUT" "symlink as MTLS_CERT_FILE: MTLS_E_BAD_INPUT"
like "$out" "a symlink is not followed here" "symlink as MTLS_CERT_FILE: explained"
out=$(pamwrap "$MTLS_AUTH" --service std --user bob --cert-file "$WORK/cert-link.pem" 2>&1)
is "$?" 0 "mtls-auth --cert-file with a symlink: resolved by the tool, accepted"

openssl x509 -in "$good" -outform DER -out "$WORK/good.der"
{ cat "$WORK/good.der"; printf 'GARBAGE'; } > "$WORK/trailing.der"
check "$WORK/base.conf" "$WORK/good.der"
is "$got" "0 MTLS_OK" "a plain DER certificate is accepted"
check "$WORK/base.conf" "$WORK/trailing.der"
is "$got" "1 MTLS_E_BAD_INPUT" "DER with trailing garbage: MTLS_E_BAD_INPUT"
is "$(jq -r .message <<<"$out")" "the certificate input is malformed: 7 bytes after the DER certificate are not a certificate" "DER with trailing garbage: explained"
out=$(pamwrap "$MTLS_AUTH" --service std --cert-file "$WORK/trailing.der" 2>&1)
like "$out" "refused: MTLS_E_BAD_INPUT \(Authentication failure\)" "DER with trailing garbage through PAM: PAM_AUTH_ERR"
{ cat "$good"; printf 'CN=alice\n'; } > "$WORK/text-after.pem"
check "$WORK/base.conf" "$WORK/text-after.pem"
is "$got" "1 MTLS_E_BAD_INPUT" "PEM followed by text: MTLS_E_BAD_INPUT"
is "$(jq -r .message <<<"$out")" "the certificate input is malformed: text after the PEM block" "PEM followed by text: explained"
out=$(pamwrap pamtester -v -E "MTLS_CERT=$(cat "$WORK/text-after.pem")" std bob authenticate 2>&1)
like "$out" "pamtester: Authentication failure" "PEM followed by text in MTLS_CERT: PAM_AUTH_ERR"
like "$out" "reason=MTLS_E_BAD_INPUT" "PEM followed by text in MTLS_CERT: MTLS_E_BAD_INPUT"

# --- --json is valid UTF-8 -------------------------------------------------
bad=$WORK/$(printf 'x\377y')
mkdir -m 755 "$bad"
config "$bad/c.conf" "ca_file = $bad/missing.pem"
out=$("$MTLS_CHECK" --config "$bad/c.conf" --json "$good" 2>/dev/null)
is "$?" 2 "config error with invalid UTF-8 in a path: exit 2"
if valid_json "$out"; then
	ok "--json with invalid UTF-8 in the message: valid UTF-8 JSON"
else not_ok "--json with invalid UTF-8 in the message: not valid JSON"; fi
like "$(jq -r .message <<<"$out")" "x\\\\u00ffy|xÿy" "the invalid byte is escaped as \\u00ff"
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -utf8 \
	-keyout "$WORK/ctl.key" -out "$WORK/ctl.pem" -days 2 \
	-subj "/O=hostile/CN=$(printf 'caf\303\251\001\033[31m')" 2>/dev/null
out=$(nsswrap "$MTLS_CHECK" --config "$WORK/base.conf" --json "$WORK/ctl.pem" 2>/dev/null)
if valid_json "$out"; then
	ok "--json with control characters in the subject: valid JSON"
else not_ok "--json with control characters in the subject: not valid JSON"; fi
is "$(jq -r .reason <<<"$out")" "MTLS_E_UNTRUSTED_ISSUER" "self-signed hostile subject: refused as untrusted"
if printf '%s' "$out" | grep -q "$(printf '\033')"; then not_ok "an escape character reached the JSON raw"
else ok "no raw control character in the JSON"; fi
done_testing
