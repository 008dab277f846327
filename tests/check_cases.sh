#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# mtls-check over the whole test PKI: one line per case, the exact reason
# code and exit status, and the mapped user on accept.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts

c=$WORK
standard_config "$c/std.conf"
standard_config "$c/nointer.conf"
sed -i '/intermediates_file/d' "$c/nointer.conf"
standard_config "$c/depth0.conf" "max_depth = 0"
standard_config "$c/sha1ok.conf" "allow_sha1 = yes"
standard_config "$c/rsa1024ok.conf" "min_rsa_bits = 1024"
standard_config "$c/server.conf" "require_eku = serverAuth"
standard_config "$c/nocurves.conf" "allowed_curves = P-384"
standard_config "$c/skew0.conf" "clock_skew = 0"
standard_config "$c/skew2h.conf" "clock_skew = 7200"
standard_config "$c/leafcrl.conf" "crl_check = leaf"
standard_config "$c/norev.conf" "revocation = none"
for v in stale wrongkey noleafcrl; do
	standard_config "$c/$v.conf"
	sed -i "s|crl.pem|crl-$v.pem|" "$c/$v.conf"
	standard_config "$c/$v-soft.conf" "revocation_fail = soft"
	sed -i "s|crl.pem|crl-$v.pem|" "$c/$v-soft.conf"
done
standard_config "$c/maxage.conf" "crl_max_age = 1036800"
sed -i "s|crl.pem|crl-stale.pem|" "$c/maxage.conf"
standard_config "$c/crldir.conf"
sed -i "s|crl_file = .*|crl_dir = $PKI/crl.d|" "$c/crldir.conf"
# RFC 5280 path cases: pinned self-signed leaves are their own anchors.
standard_config "$c/noeku.conf" "require_eku = none
revocation = none"
for v in ec rsa1024 sha1; do
	standard_config "$c/pin-$v.conf" "revocation = none"
	sed -i "s|^ca_file = .*|ca_file = $PKI/pinned-$v.pem|" "$c/pin-$v.conf"
done
standard_config "$c/pin-rsa1024ok.conf" "revocation = none
min_rsa_bits = 1024"
sed -i "s|^ca_file = .*|ca_file = $PKI/pinned-rsa1024.pem|" "$c/pin-rsa1024ok.conf"

fp() { openssl x509 -in "$PKI/$1.pem" -noout -fingerprint -sha256 |
	sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'; }
isser() {
	local serial
	serial=$(openssl x509 -in "$PKI/$1.pem" -noout -serial | sed 's/.*=//')
	echo "$serial/O=pam_mtls test,CN=pam_mtls Test Intermediate"
}
write_config "$c/users.map" <<MAP
# fingerprint and issuer/serial keys, as mtls-check prints them
$(fp good-ed25519) carol
$(isser p384) bob
$(fp good-rsa) alice
$(fp good-rsa) bob
$(fp unknown-user) ghost
MAP
write_config "$c/maps.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
map = by_fp, by_isser, by_email, by_upn, by_dns, by_spiffe

[map by_fp]
source = fingerprint
lookup = file:$c/users.map
[map by_isser]
source = issuer_serial
lookup = file:$c/users.map
[map by_email]
source = email
strip_suffix = @example.com
lookup = local
[map by_upn]
source = upn
lowercase = yes
strip_suffix = @example.com
lookup = local
[map by_dns]
source = dns
match = ^(sensor[0-9]+)\.iot\.example\.com$
lookup = file:$c/devices.map
[map by_spiffe]
source = uri
match = ^spiffe://example\.com/ns/prod/sa/([a-z]+)$
lookup = local
CONF
write_config "$c/devices.map" <<MAP
sensor1 frank
MAP

# cert             exit reason                     user   config        extra args
cases=$(cat <<'TABLE'
good-rsa           0  MTLS_OK                      alice  std
good-ec            0  MTLS_OK                      bob    std
good-ed25519       0  MTLS_OK                      carol  std
p384               0  MTLS_OK                      bob    std
expired            1  MTLS_E_EXPIRED               -      std
not-yet-valid      1  MTLS_E_NOT_YET_VALID         -      std
wrong-eku          1  MTLS_E_EKU                   -      std
no-eku             1  MTLS_E_EKU                   -      std
no-digsig          1  MTLS_E_KEY_USAGE             -      std
rsa1024            1  MTLS_E_WEAK_KEY              -      std
sha1               1  MTLS_E_WEAK_SIGNATURE        -      std
ca-leaf            1  MTLS_E_CA_LEAF               -      std
crit-ext           1  MTLS_E_UNKNOWN_CRITICAL_EXT  -      std
impostor           1  MTLS_E_UNTRUSTED_ISSUER      -      std
other-ca           1  MTLS_E_CHAIN_INCOMPLETE      -      std
other-ca           1  MTLS_E_UNTRUSTED_ISSUER      -      std           --chain PKI/other-root.pem
good-ec            1  MTLS_E_CHAIN_INCOMPLETE      -      nointer
good-ec            0  MTLS_OK                      bob    nointer       --chain PKI/chain.pem
good-ec            1  MTLS_E_CHAIN_TOO_LONG        -      depth0
unknown-user       1  MTLS_E_NO_MAPPING            -      std
meta               1  MTLS_E_NO_MAPPING            -      std
good-ec            1  MTLS_E_USER_MISMATCH         -      std           --user alice
good-ec            0  MTLS_OK                      bob    std           --user bob
good-ec            2  MTLS_E_CONFIG                -      std           --profile nosuch
good-ec            1  MTLS_E_EXPIRED               -      std           --at 2040-01-01T00:00:00Z
skew               1  MTLS_E_NOT_YET_VALID         -      std
skew               1  MTLS_E_NOT_YET_VALID         -      skew0
skew               0  MTLS_OK                      alice  skew2h
sha1               0  MTLS_OK                      alice  sha1ok
rsa1024            0  MTLS_OK                      alice  rsa1024ok
wrong-eku          0  MTLS_OK                      alice  server
good-ec            1  MTLS_E_WEAK_KEY              -      nocurves
p384               1  MTLS_E_WEAK_KEY              -      nocurves      # the intermediate is P-256
good-ed25519       0  MTLS_OK                      carol  maps
p384               0  MTLS_OK                      bob    maps
good-rsa           1  MTLS_E_AMBIGUOUS_MAPPING     -      maps
unknown-user       1  MTLS_E_USER_UNKNOWN          -      maps
email              0  MTLS_OK                      erin   maps
upn                0  MTLS_OK                      dave   maps
dns                0  MTLS_OK                      frank  maps
uri                0  MTLS_OK                      frank  maps
good-ec            1  MTLS_E_NO_MAPPING            -      maps
revoked            1  MTLS_E_REVOKED               -      std
under-revoked-inter 1 MTLS_E_REVOKED               -      std
under-revoked-inter 0 MTLS_OK                      bob    leafcrl
revoked            0  MTLS_OK                      alice  norev
good-ec            1  MTLS_E_CRL_STALE             -      stale
good-ec            0  MTLS_OK                      bob    stale-soft
good-ec            0  MTLS_OK                      bob    maxage
good-ec            1  MTLS_E_REVOCATION_UNKNOWN    -      wrongkey
good-ec            0  MTLS_OK                      bob    wrongkey-soft
good-ec            1  MTLS_E_REVOCATION_UNKNOWN    -      noleafcrl
good-ec            0  MTLS_OK                      bob    noleafcrl-soft
revoked            1  MTLS_E_REVOKED               -      crldir
good-ec            0  MTLS_OK                      bob    crldir
late-revoked       0  MTLS_OK                      alice  std
revoked            1  MTLS_E_REVOKED               -      stale         # a stale CRL still proves revocation
revoked            1  MTLS_E_REVOKED               -      stale-soft    # ... even under revocation_fail = soft
under-eku-server-inter 1 MTLS_E_EKU                -      std           --chain PKI/inter-eku-server.pem
under-eku-server-inter 0 MTLS_OK                   bob    noeku         --chain PKI/inter-eku-server.pem
under-eku-any-inter 0 MTLS_OK                      bob    norev         --chain PKI/inter-eku-any.pem
no-policy          1  MTLS_E_CERT_POLICY           -      norev         --chain PKI/inter-policy.pem
with-policy        0  MTLS_OK                      bob    norev         --chain PKI/inter-policy.pem
mapped-policy-inhibit 1 MTLS_E_CERT_POLICY         -      norev         --chain PKI/polmap-inhibit-chain.pem
mapped-policy-allow 0 MTLS_OK                      bob    norev         --chain PKI/polmap-allow-chain.pem
rsa-e3             1  MTLS_E_WEAK_KEY              -      std
rsa-e1             1  MTLS_E_WEAK_KEY              -      std
serial-zero        1  MTLS_E_BAD_INPUT             -      std
serial-negative    1  MTLS_E_BAD_INPUT             -      std
serial-long        1  MTLS_E_BAD_INPUT             -      std
under-serial-zero-inter 1 MTLS_E_BAD_INPUT         -      norev         --chain PKI/inter-serial-zero.pem
pinned-ec          0  MTLS_OK                      alice  pin-ec
pinned-rsa1024     1  MTLS_E_WEAK_KEY              -      pin-rsa1024
pinned-rsa1024     0  MTLS_OK                      alice  pin-rsa1024ok
pinned-sha1        1  MTLS_E_WEAK_SIGNATURE        -      pin-sha1
TABLE
)

while read -r cert want_exit want_reason want_user conf extra; do
	# shellcheck disable=SC2086
	extra=${extra%%#*}
	extra=${extra%"${extra##*[! ]}"}
	out=$(nsswrap "$MTLS_CHECK" --config "$c/$conf.conf" --json ${extra//PKI/$PKI} \
		"$PKI/$cert.pem")
	rc=$?
	got="$rc $(jq -r .reason <<<"$out") $(jq -r '.user | if . == "" then "-" else . end' <<<"$out")"
	is "$got" "$want_exit $want_reason $want_user" \
		"$cert ($conf${extra:+ $extra}) -> $want_reason"
done <<<"$cases"
done_testing
