#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# The exact words of refusals that name a certificate or its issuer.  The
# names are formatted only when a check fails (the accepted path skips
# X509_NAME_print_ex); these pin that a refusal still says the same thing.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts

# check CONF CERT CHECK: sets got="exit reason" and detail (of CHECK).
check() {
	local out
	out=$(nsswrap "$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/$2.pem")
	got="$? $(jq -r .reason <<<"$out")"
	detail=$(jq -r --arg c "$3" '.checks[] | select(.name==$c) |
		.status + " " + .detail' <<<"$out")
}
INTER="O=pam_mtls test,CN=pam_mtls Test Intermediate"

standard_config "$WORK/std.conf"
check std rsa1024 key
is "$got" "1 MTLS_E_WEAK_KEY" "1024-bit RSA leaf: refused"
is "$detail" "fail depth 0 'O=pam_mtls test,CN=alice': RSA 1024 not allowed" \
	"weak key: the message names the certificate"
check std sha1 signature
is "$got" "1 MTLS_E_WEAK_SIGNATURE" "SHA-1 signed leaf: refused"
is "$detail" "fail depth 0 'O=pam_mtls test,CN=alice': ecdsa-with-SHA1 not allowed" \
	"weak signature: the message names the certificate"

for c in noleafcrl stale wrongkey; do
	standard_config "$WORK/$c.conf"
	sed -i "s|^crl_file = .*|crl_file = $PKI/crl-$c.pem|" "$WORK/$c.conf"
done
check noleafcrl good-ec revocation
is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "no CRL of the leaf's issuer: unknown"
is "$detail" "fail depth 0 'O=pam_mtls test,CN=bob': no CRL for issuer '$INTER'" \
	"no CRL: the message names the issuer"
check stale good-ec revocation
is "$got" "1 MTLS_E_CRL_STALE" "the issuer's CRL past its nextUpdate: stale"
like "$detail" "^fail depth 0 'O=pam_mtls test,CN=bob': $PKI/crl-stale.pem: CRL for '$INTER' is past its nextUpdate [0-9-]+T[0-9:]+Z$" \
	"stale CRL: the message names the issuer"
check wrongkey good-ec revocation
is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "a CRL in the issuer's name by another key: unknown"
is "$detail" "fail depth 0 'O=pam_mtls test,CN=bob': no CRL for issuer '$INTER'" \
	"wrong key: the message names the issuer"
# The newest CRL badly signed (last signature byte flipped), beside an
# older good one.
openssl crl -in "$PKI/inter-later.crl" -outform DER -out "$WORK/later.der"
last=$(tail -c 1 "$WORK/later.der" | od -An -tu1 | tr -d ' ')
mkdir -m 755 "$WORK/badsig"
{ head -c -1 "$WORK/later.der"; printf "\\$(printf '%03o' $((last ^ 1)))"; } > "$WORK/badsig/b.der"
cp "$PKI/inter.crl" "$PKI/root.crl" "$PKI/inter2.crl" "$WORK/badsig/"
standard_config "$WORK/badsig.conf"
sed -i "s|^crl_file = .*|crl_dir = $WORK/badsig|" "$WORK/badsig.conf"
check badsig good-ec revocation
is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "the newest CRL badly signed: unknown"
is "$detail" "fail depth 0 'O=pam_mtls test,CN=bob': $WORK/badsig/b.der: the newest CRL for '$INTER' is not signed by its issuer's key (an older CRL does not stand in for it)" \
	"bad signature: the message names the issuer"
# A CRL of the intermediate issued a day ahead of now (beyond clock_skew).
mkdir "$WORK/db"
: > "$WORK/db/index.txt"
echo 0600 > "$WORK/db/crlnumber"
sed -e "s|db-inter/|$WORK/db/|" -e "s|^certificate = .*|certificate = $PKI/inter.pem|" \
	-e "s|^private_key = .*|private_key = $PKI/inter.key|" "$PKI/inter.cnf" > "$WORK/db/ca.cnf"
openssl ca -config "$WORK/db/ca.cnf" -gencrl -out "$WORK/ahead.crl" \
	-crl_lastupdate "$(date -u -d '+1 day' +%Y%m%d%H%M%SZ)" \
	-crl_nextupdate "$(date -u -d '+31 days' +%Y%m%d%H%M%SZ)" 2>/dev/null
cat "$WORK/ahead.crl" "$PKI/root.crl" "$PKI/inter2.crl" > "$WORK/ahead.pem"
standard_config "$WORK/ahead.conf"
sed -i "s|^crl_file = .*|crl_file = $WORK/ahead.pem|" "$WORK/ahead.conf"
check ahead good-ec revocation
is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "a CRL issued a day ahead: unknown"
is "$detail" "fail depth 0 'O=pam_mtls test,CN=bob': $WORK/ahead.pem: CRL for '$INTER' is not yet valid" \
	"CRL not yet valid: the message names the issuer"
done_testing
