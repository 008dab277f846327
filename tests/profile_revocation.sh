#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Revocation in profiles: the most specific setting wins.  A source a
# profile sets itself is not switched off by an inherited
# `revocation = none`; `revocation` written in a profile wins outright.
# `mtls-check --lint` prints the effective revocation of every policy and
# reports trust anchors weaker than the policy's minimums.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts

write_config "$WORK/p.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
revocation = none
map = by_cn

[profile vpn]
crl_dir = $PKI/crl.d

[profile web]
crl_file = $PKI/crl.pem
ocsp_responder = http://127.0.0.1:9/

[profile off]
crl_file = $PKI/crl.pem
revocation = none

[map by_cn]
source = cn
lookup = local
CONF
write_config "$WORK/g.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
map = by_cn

[profile off]
revocation = none

[profile leaf]
crl_check = leaf
revocation_fail = soft

[map by_cn]
source = cn
lookup = local
CONF

# decide CONF PROFILE CERT: "exit reason"
decide() {
	local out
	out=$(nsswrap "$MTLS_CHECK" --config "$WORK/$1.conf" ${2:+--profile "$2"} --json "$PKI/$3.pem")
	echo "$? $(jq -r .reason <<<"$out")"
}
is "$(decide p "" revoked)" "0 MTLS_OK" "global revocation = none: a revoked certificate passes the global policy"
is "$(decide p vpn revoked)" "1 MTLS_E_REVOKED" "profile with its own crl_dir under global none: CRLs are checked"
is "$(decide p vpn good-ec)" "0 MTLS_OK" "profile with its own crl_dir: a good certificate passes"
is "$(decide p web revoked)" "1 MTLS_E_REVOKED" "profile with its own crl_file and ocsp_responder: the CRL answers first"
is "$(decide p off revoked)" "0 MTLS_OK" "revocation = none written in the profile wins over its crl_file"
is "$(decide g off revoked)" "0 MTLS_OK" "profile revocation = none wins over a global crl_file"
is "$(decide g "" revoked)" "1 MTLS_E_REVOKED" "global crl_file alone: crl"

out=$("$MTLS_CHECK" --config "$WORK/p.conf" --lint)
is "$?" 0 "lint: the profile config is clean"
like "$out" "^revocation global: none$" "lint: global revocation none"
like "$out" "^revocation \[profile vpn\]: crl \(crl_dir $PKI/crl.d\); chain; fail closed$" "lint: vpn inherits none but its crl_dir turns crl on"
like "$out" "^revocation \[profile web\]: crl \(crl_file $PKI/crl.pem\), then ocsp \(http://127.0.0.1:9/\); chain; fail closed$" "lint: web gets crl then ocsp from its own sources"
like "$out" "^revocation \[profile off\]: none$" "lint: off says none itself"
out=$("$MTLS_CHECK" --config "$WORK/g.conf" --lint)
like "$out" "^revocation global: crl \(crl_file $PKI/crl.pem\); chain; fail closed$" "lint: the default from a global crl_file"
like "$out" "^revocation \[profile leaf\]: crl \(crl_file $PKI/crl.pem\); leaf; fail soft$" "lint: crl_check and revocation_fail are shown per profile"

# Trust anchors weaker than the policy: reported by lint, exit 1.
for v in rsa1024 sha1 ec; do
	write_config "$WORK/a-$v.conf" <<CONF
ca_file = $PKI/pinned-$v.pem
revocation = none
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
done
out=$("$MTLS_CHECK" --config "$WORK/a-rsa1024.conf" --lint)
is "$?" 1 "lint: an RSA-1024 anchor is a finding (exit 1)"
like "$out" "^warning: \(global\): trust anchor 'O=pinned,CN=alice': RSA 1024 is below the policy's minimums$" "lint: names the weak anchor and its key"
out=$("$MTLS_CHECK" --config "$WORK/a-sha1.conf" --lint)
is "$?" 1 "lint: a SHA-1-signed anchor is a finding (exit 1)"
like "$out" "trust anchor 'O=pinned,CN=alice': sha1WithRSAEncryption|ecdsa-with-SHA1 is below" "lint: names the SHA-1 signature"
out=$("$MTLS_CHECK" --config "$WORK/a-ec.conf" --lint)
is "$?" 0 "lint: a P-256/SHA-256 anchor is no finding"
# ca_dir: OpenSSL loads anchors on demand, lint reads every file.
mkdir -m 755 "$WORK/cadir"
cp "$PKI/ca.pem" "$WORK/cadir/$(openssl x509 -hash -noout -in "$PKI/ca.pem").0"
h=$(openssl x509 -hash -noout -in "$PKI/pinned-rsa1024.pem")
cp "$PKI/pinned-rsa1024.pem" "$WORK/cadir/$h.0"
sed "s|^ca_file = .*|ca_dir = $WORK/cadir|" "$WORK/a-ec.conf" | write_config "$WORK/a-dir.conf"
out=$("$MTLS_CHECK" --config "$WORK/a-dir.conf" --lint)
is "$?" 1 "lint: a weak anchor in ca_dir is a finding (exit 1)"
like "$out" "^warning: \(global\): trust anchor 'O=pinned,CN=alice' in $WORK/cadir/$h.0: RSA 1024 is below" "lint: names the ca_dir file"
rm "$WORK/cadir/$h.0"
out=$("$MTLS_CHECK" --config "$WORK/a-dir.conf" --lint)
is "$?" 0 "lint: a ca_dir of strong anchors is no finding"
done_testing
