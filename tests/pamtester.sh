#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# pamtester drives the real libpam; its -E option puts MTLS_CERT_FILE into
# the PAM environment the way a frontend application does.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
standard_config "$WORK/std.conf"
PAMDIR=$(dirname "$(find /lib /usr/lib -name pam_env.so -path '*security*' | head -1)")

# pamtester_case NAME CERT [pamtester user] [module args]
pamtester_case() {
	local name=$1 cert=$2 user=${3:-} args=${4:-}
	service "$name" "config=$WORK/std.conf" "$args"
	out=$(pamwrap pamtester -v -E "MTLS_CERT_FILE=$PKI/$cert.pem" "$name" \
		"$user" authenticate acct_mgmt setcred 2>&1)
	rc=$?
}

pamtester_case good good-ec bob
is "$rc" 0 "pamtester: good certificate for bob authenticates"
like "$out" "pamtester: successfully authenticated" "pamtester reports success"
like "$out" "pamtester: account management done." "account phase re-checks and grants"
like "$out" "pamtester: credential info has successfully been set." "setcred succeeds"
like "$out" "auth service=good result=accept reason=MTLS_OK user=\"bob\"" "auth logs the accept"
unlike "$out" "account service=good" "the account phase's re-check of that accept adds no line"
pamtester_case debug good-ec bob debug
is "$rc" 0 "pamtester: with debug, good certificate for bob authenticates"
like "$out" "account service=debug result=accept reason=MTLS_OK user=\"bob\" .* recheck=fast" "with debug the account re-check logs its accept"

pamtester_case expired expired alice
is "$rc" 1 "pamtester: expired certificate refused"
like "$out" "pamtester: Authentication failure" "expired: PAM_AUTH_ERR"
like "$out" "reason=MTLS_E_EXPIRED" "expired: reason in the log"

pamtester_case mismatch good-ec alice
like "$out" "pamtester: Authentication failure" "wrong user: PAM_AUTH_ERR"
like "$out" "reason=MTLS_E_USER_MISMATCH" "wrong user: MTLS_E_USER_MISMATCH"

pamtester_case untrusted impostor alice
like "$out" "pamtester: Authentication failure" "impostor CA: PAM_AUTH_ERR"
like "$out" "reason=MTLS_E_UNTRUSTED_ISSUER" "impostor CA: MTLS_E_UNTRUSTED_ISSUER"

pamtester_case option good-ec bob "bogus=1"
like "$out" "pamtester: Error in service module" "unknown option: PAM_SERVICE_ERR"

# No certificate at all: PAM_AUTHINFO_UNAVAIL, or PAM_IGNORE only when asked.
cat > "$WORK/services/nocert" <<SVC
auth required $MODULE config=$WORK/std.conf
SVC
out=$(pamwrap pamtester -v nocert bob authenticate 2>&1)
like "$out" "pamtester: Authentication service cannot retrieve authentication info" \
	"no certificate: PAM_AUTHINFO_UNAVAIL"
like "$out" "reason=MTLS_E_NO_CERT" "no certificate: MTLS_E_NO_CERT"
cat > "$WORK/services/nocert-ignore" <<SVC
auth [ignore=ignore default=die] $MODULE config=$WORK/std.conf no_cert=ignore
auth required $PAMDIR/pam_deny.so
SVC
out=$(pamwrap pamtester -v nocert-ignore bob authenticate 2>&1)
like "$out" "reason=MTLS_E_NO_CERT" "no_cert=ignore still logs the reason"
like "$out" "pamtester: Authentication failure" "no_cert=ignore defers to the next module (pam_deny)"
done_testing
