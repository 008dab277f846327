#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# A hostile CRL directory: which CRL decides, and what an unusable file
# does.  Per issuer the newest CRL (crlNumber, then thisUpdate) decides; if
# it cannot be used the status is unknown, never "an older one will do".
# Every case asserts the exact exit status and reason code.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts

# crldir NAME FILE...: a root-owned directory holding copies of FILEs
# (SRC:DEST renames), and NAME.conf checking the chain against it.
crldir() {
	local name=$1 f
	shift
	mkdir -m 755 "$WORK/$name"
	for f in "$@"; do
		case $f in
		*:*) cp "${f%%:*}" "$WORK/$name/${f#*:}" ;;
		*) cp "$f" "$WORK/$name/" ;;
		esac
	done
	standard_config "$WORK/$name.conf"
	sed -i "s|^crl_file = .*|crl_dir = $WORK/$name|" "$WORK/$name.conf"
}
# check CONF CERT: sets got="exit reason" and out (the JSON).
check() {
	out=$(nsswrap "$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/$2.pem")
	got="$? $(jq -r .reason <<<"$out")"
}
revdetail() { jq -r '.checks[] | select(.name=="revocation") | .status + " " + .detail' <<<"$out"; }
others="$PKI/root.crl $PKI/inter2.crl"

# A superseded CRL never decides.  old.crl: a lower crlNumber (0x0500
# against 0x1001) but issued after inter-later.crl, listing nothing.
mkdir "$WORK/db"
: > "$WORK/db/index.txt"
echo 0500 > "$WORK/db/crlnumber"
sed -e "s|db-inter/|$WORK/db/|" -e "s|^certificate = .*|certificate = $PKI/inter.pem|" \
	-e "s|^private_key = .*|private_key = $PKI/inter.key|" "$PKI/inter.cnf" > "$WORK/db/ca.cnf"
sleep 1
openssl ca -config "$WORK/db/ca.cnf" -gencrl -out "$WORK/old.crl" 2>/dev/null
crldir order1 "$WORK/old.crl:a-old.crl" "$PKI/inter-later.crl:b-new.crl" $others
crldir order2 "$WORK/old.crl:z-old.crl" "$PKI/inter-later.crl:b-new.crl" $others
check order1 late-revoked; is "$got" "1 MTLS_E_REVOKED" "older-numbered CRL issued later, first by name: the newer number decides"
check order2 late-revoked; is "$got" "1 MTLS_E_REVOKED" "older-numbered CRL, last by name: the newer number decides"
check order1 revoked; is "$got" "1 MTLS_E_REVOKED" "the superseded CRL does not clear a revoked certificate"
like "$(revdetail)" "per $WORK/order1/b-new.crl" "the deciding CRL is the newer one"
check order1 good-ec; is "$got" "0 MTLS_OK" "a certificate in neither CRL: accepted"
crldir plain "$PKI/inter.crl" "$PKI/inter-later.crl" $others
check plain late-revoked; is "$got" "1 MTLS_E_REVOKED" "two CRLs of one issuer: the later number decides"

# The newest CRL truncated: unknown, even though an older one is fine.
head -c 300 "$PKI/inter-later.crl" > "$WORK/trunc.crl"
crldir trunc "$PKI/inter.crl" "$WORK/trunc.crl" $others
check trunc good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "newest CRL truncated: unknown, the older CRL does not stand in"
like "$(revdetail)" "trunc.crl: damaged or empty CRL file" "the message names the unusable file"
check trunc revoked; is "$got" "1 MTLS_E_REVOKED" "newest CRL truncated: a revocation in a usable CRL still stands"
service trunc config="$WORK/trunc.conf"
out=$(pamwrap "$MTLS_AUTH" --service trunc --cert-file "$PKI/good-ec.pem" 2>&1)
like "$out" "refused: MTLS_E_REVOCATION_UNKNOWN \(Authentication service cannot retrieve authentication info\)" \
	"PAM: newest CRL truncated -> PAM_AUTHINFO_UNAVAIL"

# The newest CRL with a bad signature (last byte of the signature flipped).
openssl crl -in "$PKI/inter-later.crl" -outform DER -out "$WORK/later.der"
last=$(tail -c 1 "$WORK/later.der" | od -An -tu1 | tr -d ' ')
{ head -c -1 "$WORK/later.der"; printf "\\$(printf '%03o' $((last ^ 1)))"; } > "$WORK/badsig.der"
crldir badsig "$PKI/inter.crl" "$WORK/badsig.der" $others
check badsig good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "newest CRL badly signed: unknown, the older good CRL does not stand in"
like "$(revdetail)" "badsig.der: the newest CRL for .* is not signed by its issuer's key" "the message names the badly signed CRL"
standard_config "$WORK/badsig-soft.conf" "revocation_fail = soft"
sed -i "s|^crl_file = .*|crl_dir = $WORK/badsig|" "$WORK/badsig-soft.conf"
check badsig-soft good-ec; is "$got" "0 MTLS_OK" "newest CRL badly signed, revocation_fail = soft: accepted with a warning"
like "$(revdetail)" "^warn " "the soft acceptance is a warning"
# An equal-ranked twin (same crlNumber and thisUpdate) badly signed: which
# of two equals decides may not depend on the file names.
crldir twin "$PKI/inter-later.crl:a-good.crl" "$WORK/badsig.der:z-bad.der" $others
check twin good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "equal-ranked badly signed twin: unknown"
like "$(revdetail)" "z-bad.der: the newest CRL" "the message names the badly signed twin"

# A file that is no CRL at all: it might have been any issuer's newest.
printf 'not a CRL\n' > "$WORK/README"
crldir junk "$WORK/README" "$PKI/inter.crl" $others
check junk good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "a file in crl_dir that does not parse: unknown"
like "$(revdetail)" "junk/README: damaged or empty CRL file" "the message names the file"

# No silent limit: 256 files are read, 257 are a configuration error.
crldir many256 "$PKI/inter.crl" $others
for i in $(seq 253); do cp "$PKI/root.crl" "$WORK/many256/r$i.crl"; done
check many256 good-ec; is "$got" "0 MTLS_OK" "256 files in crl_dir (the limit): read"
crldir many257 "$PKI/inter.crl" $others
for i in $(seq 254); do cp "$PKI/root.crl" "$WORK/many257/r$i.crl"; done
check many257 good-ec; is "$got" "2 MTLS_E_CONFIG" "257 files in crl_dir: configuration error"
like "$(revdetail)" "holds more than 256 files \(the limit\)" "the message names the limit"
standard_config "$WORK/many257-soft.conf" "revocation_fail = soft"
sed -i "s|^crl_file = .*|crl_dir = $WORK/many257|" "$WORK/many257-soft.conf"
check many257-soft good-ec; is "$got" "2 MTLS_E_CONFIG" "257 files: revocation_fail = soft does not cover a broken setup"

# A stale CRL that lists the certificate still proves revocation.
crldir stale "$PKI/inter-stale.crl" $others
standard_config "$WORK/stale-soft.conf" "revocation_fail = soft"
sed -i "s|^crl_file = .*|crl_dir = $WORK/stale|" "$WORK/stale-soft.conf"
check stale-soft revoked; is "$got" "1 MTLS_E_REVOKED" "stale CRL listing the certificate, revocation_fail = soft: revoked"
like "$(revdetail)" "past its nextUpdate: still proof of revocation" "the message says the CRL is stale"
check stale-soft good-ec; is "$got" "0 MTLS_OK" "stale CRL not listing the certificate, soft: accepted (with a warning)"
check stale good-ec; is "$got" "1 MTLS_E_CRL_STALE" "stale CRL not listing the certificate, closed: stale"
done_testing
