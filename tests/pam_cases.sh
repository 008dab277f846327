#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# The real PAM stack (libpam under pam_wrapper, accounts from nss_wrapper)
# through mtls-auth: every PKI case gives the exact PAM result, the reason
# in MTLS_REASON and the same reason in the module's syslog line.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
standard_config "$WORK/std.conf"
service mtls-test config="$WORK/std.conf"

# auth CERT [mtls-auth args...]: sets out (stdout), err (stderr), rc.
auth() {
	local cert=$1
	shift
	out=$(pamwrap "$MTLS_AUTH" --service "${SVC:-mtls-test}" \
		--cert-file "$PKI/$cert.pem" "$@" 2>"$WORK/err")
	rc=$?
	err=$(cat "$WORK/err")
}

# cert           exit PAM result                   reason
cases=$(cat <<'TABLE'
good-rsa         0  PAM_SUCCESS                   MTLS_OK
good-ec          0  PAM_SUCCESS                   MTLS_OK
good-ed25519     0  PAM_SUCCESS                   MTLS_OK
expired          1  PAM_AUTH_ERR                  MTLS_E_EXPIRED
not-yet-valid    1  PAM_AUTH_ERR                  MTLS_E_NOT_YET_VALID
wrong-eku        1  PAM_AUTH_ERR                  MTLS_E_EKU
no-eku           1  PAM_AUTH_ERR                  MTLS_E_EKU
no-digsig        1  PAM_AUTH_ERR                  MTLS_E_KEY_USAGE
rsa1024          1  PAM_AUTH_ERR                  MTLS_E_WEAK_KEY
sha1             1  PAM_AUTH_ERR                  MTLS_E_WEAK_SIGNATURE
ca-leaf          1  PAM_AUTH_ERR                  MTLS_E_CA_LEAF
crit-ext         1  PAM_AUTH_ERR                  MTLS_E_UNKNOWN_CRITICAL_EXT
impostor         1  PAM_AUTH_ERR                  MTLS_E_UNTRUSTED_ISSUER
other-ca         1  PAM_AUTH_ERR                  MTLS_E_CHAIN_INCOMPLETE
unknown-user     1  PAM_AUTH_ERR                  MTLS_E_NO_MAPPING
meta             1  PAM_AUTH_ERR                  MTLS_E_NO_MAPPING
revoked          1  PAM_AUTH_ERR                  MTLS_E_REVOKED
under-revoked-inter 1 PAM_AUTH_ERR                MTLS_E_REVOKED
TABLE
)
# What pam_strerror() says for each code, as mtls-auth prints it.
pam_text() {
	case $1 in
	PAM_AUTH_ERR) echo "Authentication failure" ;;
	PAM_USER_UNKNOWN) echo "User not known to the underlying authentication module" ;;
	PAM_SERVICE_ERR) echo "Error in service module" ;;
	PAM_AUTHINFO_UNAVAIL) echo "Authentication service cannot retrieve authentication info" ;;
	esac
}
while read -r cert want_rc code reason; do
	text=$(pam_text "$code")
	auth "$cert"
	is "$rc" "$want_rc" "$cert: exit $want_rc"
	if [ "$want_rc" = 0 ]; then
		like "$out" '^[a-z]+$' "$cert: prints the mapped user"
	else
		like "$err" "refused: $reason \($text\)" "$cert: $reason, $code"
	fi
	like "$err" "SYSLOG\([0-9]\): auth service=mtls-test result=[a-z]+ reason=$reason " \
		"$cert: syslog line carries $reason"
done <<<"$cases"

auth good-ec
is "$out" bob "good-ec maps to bob"
auth good-ec --user bob
is "$rc:$out" "0:bob" "PAM_USER preset to the mapped user is accepted"
auth good-ec --user alice
is "$rc" 1 "PAM_USER preset to another user: exit 1"
like "$err" "refused: MTLS_E_USER_MISMATCH \(Authentication failure\)" \
	"PAM_USER preset to another user: PAM_AUTH_ERR, MTLS_E_USER_MISMATCH"

# A map file naming an account that does not exist: PAM_USER_UNKNOWN.
write_config "$WORK/ghost.map" <<MAP
O=pam_mtls test,CN=bob ghost
MAP
write_config "$WORK/ghost.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
revocation = none
map = by_subject
[map by_subject]
source = subject
lookup = file:$WORK/ghost.map
CONF
service ghost config="$WORK/ghost.conf"
SVC=ghost auth good-ec
is "$rc" 1 "mapped account absent: exit 1"
like "$err" "refused: MTLS_E_USER_UNKNOWN \($(pam_text PAM_USER_UNKNOWN)\)" "mapped account absent: PAM_USER_UNKNOWN"

# Revocation status unknown (stale CRL) under fail-closed: the backend's
# fault, not the certificate's: PAM_AUTHINFO_UNAVAIL.
standard_config "$WORK/stale.conf"
sed -i "s|crl.pem|crl-stale.pem|" "$WORK/stale.conf"
service stale config="$WORK/stale.conf"
SVC=stale auth good-ec
is "$rc" 1 "stale CRL: exit 1"
like "$err" "refused: MTLS_E_CRL_STALE \($(pam_text PAM_AUTHINFO_UNAVAIL)\)" "stale CRL: PAM_AUTHINFO_UNAVAIL"
like "$err" "msg=\"revocation status could not be established|msg=\"the CRL is past its nextUpdate: depth 0 .*past its nextUpdate" "stale CRL: the log names the CRL and its nextUpdate"

# Config error: PAM_SERVICE_ERR, never success.
write_config "$WORK/bad.conf" <<CONF
ca_file = $PKI/ca.pem
map = nosuch
CONF
service badconf config="$WORK/bad.conf"
SVC=badconf auth good-ec
is "$rc" 2 "config error: exit 2"
like "$err" "refused: MTLS_E_CONFIG \(Error in service module\)" "config error: PAM_SERVICE_ERR"
like "$err" "bad.conf:2: map: no \[map nosuch\] section" "config error names file:line"

service badopt config="$WORK/std.conf" frobnicate
SVC=badopt auth good-ec
is "$rc" 2 "unknown module option: exit 2"
like "$err" "refused: MTLS_E_CONFIG \(Error in service module\)" "unknown module option: PAM_SERVICE_ERR"
like "$err" "module option 'frobnicate': unknown option" "unknown option is logged"

# Input problems.
head -c 300 /dev/urandom > "$WORK/garbage.pem"
out=$(pamwrap "$MTLS_AUTH" --service mtls-test --cert-file "$WORK/garbage.pem" 2>&1)
is "$?" 1 "garbage certificate: exit 1"
like "$out" "refused: MTLS_E_BAD_INPUT \(Authentication failure\)" "garbage certificate: PAM_AUTH_ERR, MTLS_E_BAD_INPUT"
export BIGCERT
BIGCERT=$(head -c 70000 /dev/zero | tr '\0' 'A')
out=$(pamwrap "$MTLS_AUTH" --service mtls-test --cert-env BIGCERT 2>&1)
is "$?" 1 "oversized MTLS_CERT: exit 1"
like "$out" "refused: MTLS_E_BAD_INPUT \(Authentication failure\)" "oversized MTLS_CERT: PAM_AUTH_ERR, MTLS_E_BAD_INPUT"
like "$out" "MTLS_CERT larger than 65536 bytes" "oversized input is explained"
export ESCAPED
ESCAPED=$(sed 's/-/%2D/g; s/ /%20/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g' "$PKI/good-ec.pem" |
	awk '{ printf "%s%%0A", $0 }')
out=$(pamwrap "$MTLS_AUTH" --service mtls-test --cert-env ESCAPED 2>/dev/null)
is "$?:$out" "0:bob" "URL-escaped PEM (nginx style) is accepted"
out=$(openssl x509 -in "$PKI/good-rsa.pem" -outform DER |
	pamwrap "$MTLS_AUTH" --service mtls-test --cert-stdin 2>/dev/null)
is "$?:$out" "0:alice" "DER on stdin travels as base64 DER"
done_testing
