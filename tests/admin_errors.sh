#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Errors that say what to do: mtls-auth's one line per refusal on stderr
# (what OpenVPN, FreeRADIUS and fcgiwrap put in their own logs), a PAM
# service without a file, an empty --user, relative --config for the tools
# and a relative config= in a PAM line.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
standard_config "$WORK/std.conf"
service mtls-test config="$WORK/std.conf"

# auth CERT [ARGS...]: mtls-auth's stdout, stderr (without pam_wrapper's
# debug lines) and exit status.
auth() {
	local cert=$1
	shift
	out=$(pamwrap "$MTLS_AUTH" "$@" --cert-file "$PKI/$cert.pem" 2>"$WORK/err")
	rc=$?
	err=$(grep -v -e '^PWRAP' -e '^$' "$WORK/err")
}

auth revoked --service mtls-test
is "$rc" 1 "revoked: exit 1"
is "$(printf '%s\n' "$err" | wc -l)" 1 "a refusal is one line on stderr"
like "$err" "^mtls-auth: refused: MTLS_E_REVOKED \(Authentication failure\): .*revoked" \
	"the line has the reason code, PAM's text and the module's message"
auth good-ec --service mtls-test --user alice
like "$err" "^mtls-auth: refused: MTLS_E_USER_MISMATCH \(Authentication failure\): .+" \
	"a user mismatch says so with the module's message"
auth good-ec --service mtls-test --quiet --user alice
is "$err" "" "--quiet keeps stderr empty"
auth good-ec --service mtls-test --quiet --refusal-stdout --user alice
like "$out" "^mtls-auth: refused: MTLS_E_USER_MISMATCH \(Authentication failure\): .+" \
	"--refusal-stdout puts the refusal line on stdout (FreeRADIUS logs it)"
auth good-ec --service mtls-test --refusal-stdout
is "$out" bob "--refusal-stdout: an accepted login prints only the user"
out=$(pamwrap "$MTLS_AUTH" --cgi --service mtls-test --refusal-stdout 2>&1)
is "$?" 2 "--refusal-stdout with --cgi is a usage error (stdout is the reply)"

# PAM's fallback for a service without a file, as on Debian (which denies).
DENY="$(dirname "$(find /lib /usr/lib -name pam_permit.so -path '*security*' | head -1)")/pam_deny.so"
printf 'auth required %s\naccount required %s\n' "$DENY" "$DENY" > "$WORK/services/other"
auth good-ec --service no-such-service
is "$rc" 2 "a PAM service without a file: exit 2"
like "$err" "^mtls-auth: refused: no PAM service file /etc/pam\.d/no-such-service \(nor /usr/lib/pam\.d/no-such-service\), so PAM ran its 'other' stack: install one" \
	"a PAM service without a file names the missing file"
cp "$WORK/services/other" "$WORK/services/login"
auth good-ec --service login
is "$rc" 1 "a stack without pam_mtls: exit 1"
like "$err" "^mtls-auth: refused: - \(Authentication failure\): pam_mtls did not decide: is pam_mtls\.so in the auth stack of /etc/pam\.d/login\?" \
	"a stack without pam_mtls says so"

auth good-ec --service mtls-test --user ""
is "$rc" 2 "--user '' (FreeRADIUS without User-Name): exit 2"
like "$err" "^mtls-auth: --user is empty: the frontend passed no user name" "an empty --user says so"

# The tools resolve a relative --config; the module keeps absolute paths.
cd "$WORK" || exit 1
out=$("$MTLS_CHECK" --config std.conf --lint 2>&1)
is "$(printf "%s\n" "$out" | head -1)" "$WORK/std.conf: OK (0 profile(s), 1 map rule(s))" "mtls-check --config with a relative path"
out=$(nsswrap "$MTLS_CHECK" --config ./std.conf "$PKI/good-ec.pem" >/dev/null 2>&1; echo $?)
is "$out" 0 "mtls-check decides with a relative --config"
out=$("$MTLS_CHECK" --config missing.conf --lint 2>&1)
like "$out" "^mtls-check: missing\.conf: No such file or directory" "a relative --config that does not exist says so"
out=$(nsswrap "$MTLS_BUILDDIR/mtls-ssh-keys" --config std.conf bob 2>&1)
unlike_abs=$(printf '%s\n' "$out" | grep -c "must be absolute")
is "$unlike_abs" 0 "mtls-ssh-keys accepts a relative --config"
out=$("$MTLS_BUILDDIR/mtls-sync" --config std.conf 2>&1)
is "$(printf '%s\n' "$out" | grep -c "must be absolute")" 0 "mtls-sync accepts a relative --config"
service relative config=std.conf
out=$(pamwrap "$MTLS_AUTH" --service relative --cert-file "$PKI/good-ec.pem" 2>&1)
like "$out" "module option 'config=std\.conf': path must be absolute in a PAM line \(only the tools' --config resolves relative paths\)" \
	"a relative config= in a PAM line: the module says it must be absolute"
like "$out" "mtls-auth: refused: MTLS_E_CONFIG \(Error in service module\)" "... and refuses with MTLS_E_CONFIG"
done_testing
