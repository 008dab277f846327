#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Identity values and account floors through the real PAM stack (libpam
# under pam_wrapper, accounts from nss_wrapper, mtls-auth): every value of
# a source counts, single-identity sources refuse several values, no silent
# cap, SAN e-mail before the legacy subject attribute, and no mapping hands
# out root or a system account unless the policy is lowered explicitly
# (also in mtls-ssh-keys).
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
# System accounts the certificates root-cn and daemon-cn name.
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/:/bin/sh\n' >> "$WORK/passwd"

# auth SERVICE CERT: sets out, err, rc.
auth() {
	out=$(pamwrap "$MTLS_AUTH" --service "$1" --cert-file "$PKI/$2.pem" 2>"$WORK/err")
	rc=$?
	err=$(cat "$WORK/err")
}
# refused SERVICE CERT REASON PAMTEXT DETAIL DESCRIPTION
refused() {
	auth "$1" "$2"
	is "$rc" 1 "$6: exit 1"
	like "$err" "refused: $3 \($4\)" "$6: $3"
	like "$err" "$5" "$6: explained"
}
ERR="Authentication failure"
UNKNOWN="User not known to the underlying authentication module"
rules() {
	write_config "$WORK/$1.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
map = $2
${3:-}
[map by_cn]
source = cn
lookup = local
[map by_email]
source = email
lowercase = yes
strip_suffix = @example.com
lookup = local
[map by_upn]
source = upn
lowercase = yes
strip_suffix = @example.com
lookup = local
CONF
	service "$1" config="$WORK/$1.conf"
}
rules cn by_cn
rules email by_email
rules upn by_upn

# --- every value counts ----------------------------------------------------
refused cn two-cn MTLS_E_AMBIGUOUS_MAPPING "$ERR" "2 cn values \('alice', 'bob'\); a cn names one identity" \
	"two CNs (alice, bob)"
refused email two-emails MTLS_E_AMBIGUOUS_MAPPING "$ERR" "rule by_email: 'erin', 'frank'" \
	"two SAN e-mails mapping to two accounts"
refused email email-unknown MTLS_E_AMBIGUOUS_MAPPING "$ERR" \
	"email 'nobody-here@example.com' maps to no account while another email maps to 'erin'" \
	"two SAN e-mails, one mapping nowhere"
refused upn two-upns MTLS_E_AMBIGUOUS_MAPPING "$ERR" "2 upn values .*a upn names one identity" \
	"two UPNs"
refused email many-emails MTLS_E_BAD_INPUT "$ERR" "more than 16 email values \(the limit\)" \
	"17 e-mail addresses: over the limit, no silent cap"
auth email email-legacy
is "$rc:$out" "0:erin" "SAN e-mail present: the legacy subject emailAddress (alice) adds no candidate"
auth email email-subject
is "$rc:$out" "0:erin" "no SAN e-mail: the subject emailAddress is read"
auth upn upn
is "$rc:$out" "0:dave" "one UPN still maps"

# --- account floors -----------------------------------------------------------
refused cn root-cn MTLS_E_USER_UNKNOWN "$UNKNOWN" "root is listed in deny_users" \
	"CN=root with the default policy"
refused cn daemon-cn MTLS_E_USER_UNKNOWN "$UNKNOWN" "daemon has uid 1, below min_uid 1000" \
	"CN=daemon (uid 1) with the default min_uid"
rules lowered by_cn "min_uid = 0
deny_users = none"
auth lowered root-cn
is "$rc:$out" "0:root" "min_uid = 0 and deny_users = none: root only when lowered explicitly"
rules lowuid by_cn "min_uid = 1"
auth lowuid daemon-cn
is "$rc:$out" "0:daemon" "min_uid = 1 lets uid 1 through"
refused lowuid root-cn MTLS_E_USER_UNKNOWN "$UNKNOWN" "root is listed in deny_users" \
	"min_uid lowered, root still denied by name"
rules denied by_cn "deny_users = root, alice"
refused denied good-rsa MTLS_E_USER_UNKNOWN "$UNKNOWN" "alice is listed in deny_users" \
	"deny_users lists alice"
auth denied good-ec
is "$rc:$out" "0:bob" "deny_users spares the others"
write_config "$WORK/baddeny.conf" <<CONF
ca_file = $PKI/ca.pem
deny_users = root, -rf
CONF
out=$("$MTLS_CHECK" --config "$WORK/baddeny.conf" --lint 2>&1)
like "$out" "baddeny.conf:2: deny_users: '-rf' is not a valid user name" "deny_users items are checked at load, with file:line"

# --- the same floors in mtls-ssh-keys --------------------------------------------
mkdir -m 755 "$WORK/sshcerts"
cat "$PKI/root-cn.pem" > "$WORK/sshcerts/root.pem"
cat "$PKI/daemon-cn.pem" > "$WORK/sshcerts/daemon.pem"
cat "$PKI/good-rsa.pem" > "$WORK/sshcerts/alice.pem"
chmod 644 "$WORK/sshcerts"/*.pem
for c in ssh sshlow; do
	extra="ssh_cert_dir = $WORK/sshcerts"
	[ $c = sshlow ] && extra="$extra
min_uid = 0
deny_users = none"
	rules $c by_cn "$extra"
done
keys() { nsswrap "$MTLS_BUILDDIR/mtls-ssh-keys" --config "$WORK/$1.conf" "$2"; }
out=$(keys ssh root 2>&1)
is "$(keys ssh root 2>/dev/null)" "" "mtls-ssh-keys root: no key line"
like "$out" "no keys: root is listed in deny_users" "mtls-ssh-keys says why root gets no keys"
like "$(keys ssh daemon 2>&1)" "no keys: daemon has uid 1, below min_uid 1000" "mtls-ssh-keys: uid below min_uid, no keys"
is "$(keys ssh daemon 2>/dev/null)" "" "mtls-ssh-keys daemon: no key line"
like "$(keys ssh alice 2>/dev/null)" "^ssh-rsa AAAA" "mtls-ssh-keys alice: a normal account still gets its key"
like "$(keys sshlow root 2>/dev/null)" "^ecdsa-sha2-nistp256 AAAA" "mtls-ssh-keys root with the floors lowered explicitly"
done_testing
