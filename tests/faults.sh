#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Fault injection: broken configuration and trust files, hostile inputs,
# loops and over-long chains.  Each must be refused with its exact reason,
# never crash and never accept.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
standard_config "$WORK/std.conf"

# check CONFIG CERT [mtls-check args]: sets got="exit reason" and out.
check() {
	local conf=$1 cert=$2
	shift 2
	out=$(nsswrap "$MTLS_CHECK" --config "$conf" --json "$@" "$cert" 2>/dev/null)
	got="$? $(jq -r .reason <<<"$out" 2>/dev/null)"
}
good=$PKI/good-ec.pem

# --- configuration -----------------------------------------------------
check "$WORK/missing.conf" "$good"; is "$got" "2 MTLS_E_CONFIG" "missing config: error, not a login"
: > "$WORK/empty.conf"
check "$WORK/empty.conf" "$good"; is "$got" "2 MTLS_E_CONFIG" "empty config"
head -c 4096 /dev/urandom > "$WORK/garbage.conf"
chmod 644 "$WORK/garbage.conf"
check "$WORK/garbage.conf" "$good"; is "$got" "2 MTLS_E_CONFIG" "binary garbage as config"
mkdir "$WORK/dir.conf"
check "$WORK/dir.conf" "$good"; is "$got" "2 MTLS_E_CONFIG" "a directory as config"
ln -s "$WORK/std.conf" "$WORK/link.conf"
chown -h nobody "$WORK/link.conf"
check "$WORK/link.conf" "$good"; is "$got" "2 MTLS_E_CONFIG" "a symlink owned by another user as config: not followed"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' > "$WORK/huge.conf"
chmod 644 "$WORK/huge.conf"
check "$WORK/huge.conf" "$good"; is "$got" "2 MTLS_E_CONFIG" "config over 1 MiB"
sed "s|$PKI/ca.pem|$WORK/nosuch-ca.pem|" "$WORK/std.conf" | write_config "$WORK/noca.conf"
check "$WORK/noca.conf" "$good"; is "$got" "2 MTLS_E_CONFIG" "CA file missing"

# --- revocation data ----------------------------------------------------
head -c 200 "$PKI/crl.pem" > "$WORK/truncated-crl.pem"
sed "s|$PKI/crl.pem|$WORK/truncated-crl.pem|" "$WORK/std.conf" | write_config "$WORK/badcrl.conf"
check "$WORK/badcrl.conf" "$good"; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "truncated CRL file: unknown status, refused"
like "$(jq -r .message <<<"$out")" "damaged or empty CRL file" "the truncated CRL is named"

# --- hostile certificate input -----------------------------------------
head -c $((1024 * 1024)) /dev/zero | tr '\0' 'A' > "$WORK/1mib.pem"
check "$WORK/std.conf" "$WORK/1mib.pem"; is "$got" "1 MTLS_E_BAD_INPUT" "1 MiB certificate file"
# (A 1 MiB MTLS_CERT cannot pass through a process environment at all,
# E2BIG; tests/pam/test_pamtest puts one into the PAM environment.)
service std config="$WORK/std.conf"
out=$(pamwrap "$MTLS_AUTH" --service std --cert-file "$WORK/1mib.pem" 2>&1)
like "$out" "refused: MTLS_E_BAD_INPUT \(Authentication failure\)" "1 MiB MTLS_CERT_FILE through PAM"
{ head -c 100 "$good"; printf '\0'; tail -c +101 "$good"; } > "$WORK/nul.pem"
check "$WORK/std.conf" "$WORK/nul.pem"; is "$got" "1 MTLS_E_BAD_INPUT" "PEM with an embedded NUL byte"
like "$(jq -r .message <<<"$out")" "NUL byte" "the NUL byte is named"
openssl x509 -in "$good" -outform DER | head -c 300 > "$WORK/short.der"
check "$WORK/std.conf" "$WORK/short.der"; is "$got" "1 MTLS_E_BAD_INPUT" "truncated DER"
cat "$good" "$good" > "$WORK/two.pem"
check "$WORK/std.conf" "$WORK/two.pem"; is "$got" "1 MTLS_E_BAD_INPUT" "two certificates where one is expected"
yes "$(sed -n 2p "$PKI/inter.pem")" | head -c 70000 > "$WORK/bigchain.pem"
check "$WORK/std.conf" "$good" --chain "$WORK/bigchain.pem"; is "$got" "1 MTLS_E_BAD_INPUT" "oversized chain input"

# --- chains: a loop, and more intermediates than max_depth -----------------
# Two CAs that certify each other, and a leaf under one of them.
cd "$WORK"
printf '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n[leaf]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > ext.cnf
for n in A B; do openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out loop$n.key; done
openssl req -new -x509 -key loopA.key -subj "/CN=Loop A" -days 30 -out loopA-self.pem 2>/dev/null
openssl req -new -key loopB.key -subj "/CN=Loop B" -out loopB.csr
openssl x509 -req -in loopB.csr -CA loopA-self.pem -CAkey loopA.key -set_serial 10 -days 30 -extfile ext.cnf -extensions ca -out loopB.pem 2>/dev/null
openssl req -new -key loopA.key -subj "/CN=Loop A" -out loopA.csr
openssl x509 -req -in loopA.csr -CA loopB.pem -CAkey loopB.key -set_serial 11 -days 30 -extfile ext.cnf -extensions ca -out loopA.pem 2>/dev/null
openssl req -new -key "$PKI/good-ec.key" -subj "/CN=bob" -out leaf.csr
openssl x509 -req -in leaf.csr -CA loopA.pem -CAkey loopA.key -set_serial 12 -days 30 -extfile ext.cnf -extensions leaf -out loopleaf.pem 2>/dev/null
cat loopA.pem loopB.pem > loop-chain.pem
check "$WORK/std.conf" loopleaf.pem --chain loop-chain.pem; is "$got" "1 MTLS_E_CHAIN_INCOMPLETE" "a chain that loops ends nowhere: refused"
# Eight intermediates under our root; max_depth = 4.
prev=$PKI/root
cp "$PKI/root.pem" r.pem; cp "$PKI/root.key" r.key; prev=r
: > deep-chain.pem
for i in 1 2 3 4 5 6 7 8; do
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out d$i.key
	openssl req -new -key d$i.key -subj "/CN=Deep $i/O=pam_mtls test" -out d$i.csr
	openssl x509 -req -in d$i.csr -CA $prev.pem -CAkey $prev.key -set_serial $((100 + i)) -days 30 \
		-extfile ext.cnf -extensions ca -out d$i.pem 2>/dev/null
	cat d$i.pem >> deep-chain.pem
	prev=d$i
done
openssl x509 -req -in leaf.csr -CA d8.pem -CAkey d8.key -set_serial 200 -days 30 -extfile ext.cnf -extensions leaf -out deepleaf.pem 2>/dev/null
sed '/^crl_file/d' "$WORK/std.conf" | sed 's/^map = by_cn$/revocation = none\nmap = by_cn/' | write_config "$WORK/norev.conf"
check "$WORK/norev.conf" deepleaf.pem --chain deep-chain.pem; is "$got" "1 MTLS_E_CHAIN_TOO_LONG" "8 intermediates beyond max_depth = 4"
sed 's/^map = by_cn$/max_depth = 8\nmap = by_cn/' "$WORK/norev.conf" | write_config "$WORK/deep8.conf"
check "$WORK/deep8.conf" deepleaf.pem --chain deep-chain.pem; is "$got" "0 MTLS_OK" "the same chain with max_depth = 8 is accepted"
cd - >/dev/null
done_testing
