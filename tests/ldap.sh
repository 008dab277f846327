#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# LDAP accounts against a real slapd on 127.0.0.1: mapping by the stored
# certificate, by email and UPN, ambiguity, filter injection, failover,
# ldaps and StartTLS, bind with a password file, a dead and a silent
# server (plain, ldaps:// and after StartTLS), mtls-sync and the offline
# fallback to its cache.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"
PIDS=()
trap 'stop_slapd; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
MTLS_SYNC=$MTLS_BUILDDIR/mtls-sync

cat > "$WORK/data.ldif" <<LDIF
dn: dc=example,dc=com
objectClass: dcObject
objectClass: organization
o: example
dc: example

dn: ou=people,dc=example,dc=com
objectClass: organizationalUnit
ou: people

dn: ou=groups,dc=example,dc=com
objectClass: organizationalUnit
ou: groups

dn: uid=ldapcarl,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
objectClass: posixAccount
uid: ldapcarl
cn: Carl LDAP
sn: LDAP
uidNumber: 5001
gidNumber: 5000
homeDirectory: /home/ldapcarl
loginShell: /bin/bash
userCertificate;binary:: $(b64der "$PKI/good-ed25519.pem")

dn: uid=ldaperin,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
objectClass: posixAccount
uid: ldaperin
cn: Erin LDAP
sn: LDAP
mail: erin@example.com
uidNumber: 5002
gidNumber: 5000
homeDirectory: /home/ldaperin

dn: uid=ldapdave,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
objectClass: posixAccount
uid: ldapdave
cn: Dave LDAP
sn: LDAP
mail: dave@example.com
uidNumber: 5003
gidNumber: 5000
homeDirectory: /home/ldapdave

dn: uid=twin1,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
objectClass: posixAccount
uid: twin1
cn: Twin One
sn: Twin
description: bob
uidNumber: 5011
gidNumber: 5000
homeDirectory: /home/twin1

dn: uid=twin2,ou=people,dc=example,dc=com
objectClass: inetOrgPerson
objectClass: posixAccount
uid: twin2
cn: Twin Two
sn: Twin
description: bob
uidNumber: 5012
gidNumber: 5000
homeDirectory: /home/twin2

dn: cn=ldapusers,ou=groups,dc=example,dc=com
objectClass: posixGroup
cn: ldapusers
gidNumber: 5000
memberUid: ldapcarl
memberUid: ldaperin

dn: cn=vpn,ou=groups,dc=example,dc=com
objectClass: posixGroup
cn: vpn
gidNumber: 5100
memberUid: ldapcarl
LDIF
start_slapd "$WORK/data.ldif" || { not_ok "slapd starts"; done_testing; }
ok "slapd listens on 127.0.0.1:$LDAP_PORT and ldaps on :$LDAPS_PORT"
URI=ldap://127.0.0.1:$LDAP_PORT

# ldap_config NAME URI [extra global lines]
ldap_config() {
	write_config "$WORK/$1.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
ldap_uri = $2
ldap_base = dc=example,dc=com
ldap_ca_file = $PKI/ca.pem
ldap_network_timeout = 2
ldap_timeout = 2
cache_dir = $WORK/cache
$(case "$2 ${3:-}" in *ldap_starttls*|ldaps://*) ;; *ldap://*) echo "ldap_plaintext = yes" ;; esac)
${3:-}
map = by_cert, by_email, by_upn, by_twin, by_cn

[map by_cert]
source = fingerprint
lookup = ldap
ldap_filter = (&(objectClass=posixAccount)(userCertificate={cert_assertion}))
[map by_email]
source = email
lookup = ldap
ldap_filter = (&(objectClass=posixAccount)(mail={key}))
[map by_upn]
source = upn
lowercase = yes
lookup = ldap
ldap_filter = (&(objectClass=posixAccount)(mail={key}))
[map by_twin]
source = cn
lookup = ldap
ldap_filter = (&(objectClass=posixAccount)(description={key}))
[map by_cn]
source = cn
lookup = ldap
ldap_filter = (&(objectClass=posixAccount)(cn={key}))
CONF
}
# check CONF CERT: sets got="exit reason user" and out.  The accounts are
# LDAP's, so NSS answers from the synced cache through libnss_mtls.
check() {
	out=$(env LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" MTLS_NSS_CACHE="$WORK/cache/accounts.cache" \
		unshare -m sh -c 'mount --bind "$0" /etc/nsswitch.conf && exec "$@"' "$WORK/nsswitch.conf" \
		"$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/$2.pem")
	got="$? $(jq -r '.reason + " " + (if .user == "" then "-" else .user end)' <<<"$out")"
}
mapdetail() { jq -r '.checks[] | select(.name=="mapping") | .detail' <<<"$out"; }
printf 'passwd: files mtls\ngroup: files mtls\nshadow: files\n' > "$WORK/nsswitch.conf"
mkdir -m 755 "$WORK/cache"

# --- mtls-sync -------------------------------------------------------
ldap_config plain "$URI"
out=$("$MTLS_SYNC" --config "$WORK/plain.conf" 2>"$WORK/sync.err")
is "$?" 0 "mtls-sync exits 0"
like "$out" "wrote $WORK/cache/accounts.cache: 5 users, 2 groups, 2 certificate keys" "mtls-sync reports what it wrote"
like "$(cat "$WORK/sync.err")" "users: 5 read" "mtls-sync shows progress"
nssget() {
	env LD_PRELOAD="$SAN_PRELOAD" LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" \
		MTLS_NSS_CACHE="$WORK/cache/accounts.cache" getent -s "$1:mtls" "$@"
}
is "$(nssget passwd ldapcarl)" "ldapcarl:x:5001:5000:Carl LDAP:/home/ldapcarl:/bin/bash" "getent passwd through libnss_mtls"
is "$(nssget passwd 5002)" "ldaperin:x:5002:5000:Erin LDAP:/home/ldaperin:" "getent passwd by uid"
is "$(nssget group vpn)" "vpn:x:5100:ldapcarl" "getent group by name"
is "$(nssget group 5000)" "ldapusers:x:5000:ldapcarl,ldaperin" "getent group by gid"
is "$(nssget initgroups ldapcarl)" "ldapcarl              5000 5100" "initgroups: every group listing the user"
is "$(nssget passwd | wc -l)" 5 "passwd enumeration lists every user"
is "$(nssget group | wc -l)" 2 "group enumeration lists every group"
nssget passwd nobody-here >/dev/null
is "$?" 2 "an absent user is not found (exit 2)"
out=$(env LD_PRELOAD="$SAN_PRELOAD" LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" unshare -m sh -c \
	'mount --bind "$0" /etc/nsswitch.conf && MTLS_NSS_CACHE="$1" exec id ldapcarl' \
	"$WORK/nsswitch.conf" "$WORK/cache/accounts.cache")
is "$out" "uid=5001(ldapcarl) gid=5000(ldapusers) groups=5000(ldapusers),5100(vpn)" "id shows LDAP groups through nss_mtls"

# --- mapping ----------------------------------------------------------
check plain good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "mapped by the certificate stored in LDAP (cert_assertion)"
like "$(jq -r '.checks[] | select(.name=="mapping") | .detail' <<<"$out")" "rule by_cert \(strong binding\)" "a stored-certificate match is a strong binding"
check plain email
is "$got" "0 MTLS_OK ldaperin" "mapped by email"
check plain upn
is "$got" "0 MTLS_OK ldapdave" "mapped by UPN (lowercased)"
check plain good-ec
is "$got" "1 MTLS_E_AMBIGUOUS_MAPPING -" "two entries match: ambiguous, refused"
check plain meta
is "$got" "1 MTLS_E_NO_MAPPING -" "CN with filter metacharacters: escaped, no match"

# --- end to end: an account that exists only in LDAP logs in -----------
# pamtester through the real libpam; the module maps through slapd and the
# account resolves through glibc NSS -> libnss_mtls -> the synced cache.
service ldaplogin config="$WORK/plain.conf"
out=$(env LD_PRELOAD="$SAN_PRELOAD libpam_wrapper.so" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$WORK/services" \
	PAM_WRAPPER_DEBUGLEVEL=2 LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" \
	MTLS_NSS_CACHE="$WORK/cache/accounts.cache" unshare -m sh -c \
	'mount --bind "$0" /etc/nsswitch.conf && exec "$@"' "$WORK/nsswitch.conf" \
	pamtester -v -E "MTLS_CERT_FILE=$PKI/good-ed25519.pem" ldaplogin ldapcarl \
	authenticate acct_mgmt 2>&1)
like "$out" "pamtester: successfully authenticated" "an LDAP-only user logs in with a certificate (pamtester)"
like "$out" "auth service=ldaplogin result=accept reason=MTLS_OK user=\"ldapcarl\" rule=by_cert" "the log names the LDAP rule that mapped"
like "$out" "pamtester: account management done" "the account phase accepts too"

# --- transport --------------------------------------------------------
DEAD=$(free_port)
ldap_config failover "ldap://127.0.0.1:$DEAD $URI"
check failover good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "first URI dead: the second answers"
ldap_config ldaps "ldaps://127.0.0.1:$LDAPS_PORT"
check ldaps good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "ldaps:// with the server certificate checked"
ldap_config starttls "$URI" "ldap_starttls = yes"
check starttls good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "StartTLS"
write_config "$WORK/otherca.pem" < "$PKI/other-root.pem"
ldap_config badca "ldaps://127.0.0.1:$LDAPS_PORT" "ldap_ca_file = $WORK/otherca.pem"
sed -i "0,/^ldap_ca_file = $(printf '%s' "$PKI" | sed 's/[\/&]/\\&/g')\/ca.pem$/{//d}" "$WORK/badca.conf"
check badca good-ed25519
is "$got" "2 MTLS_E_BACKEND_DOWN -" "ldaps with an untrusted server certificate: refused"
printf 'secret\n' > "$WORK/bindpw"
chmod 600 "$WORK/bindpw"
ldap_config bind "$URI" "ldap_bind_dn = cn=admin,dc=example,dc=com
ldap_bind_password_file = $WORK/bindpw"
check bind good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "simple bind with a password file"
printf 'wrong\n' > "$WORK/bindpw"
check bind good-ed25519
is "$got" "2 MTLS_E_BACKEND_DOWN -" "wrong bind password: backend refused"
like "$(mapdetail)" "bind: Invalid credentials" "the bind failure is explained"
chmod 644 "$WORK/bindpw"
out=$("$MTLS_CHECK" --config "$WORK/bind.conf" --lint 2>&1)
like "$out" "bindpw: a secret must not be readable by others" "a world-readable password file is a config error"
line=$(grep -n '^ldap_bind_password_file' "$WORK/bind.conf" | cut -d: -f1)
like "$out" "$WORK/bind.conf:$line: ldap_bind_password_file: " "the error names the config file and the key's line"

# --- down and offline -----------------------------------------------------
ldap_config dead "ldap://127.0.0.1:$DEAD"
check dead good-ed25519
is "$got" "2 MTLS_E_BACKEND_DOWN -" "all URIs dead, ldap_offline = fail: BACKEND_DOWN"
service ldapdead config="$WORK/dead.conf"
out=$(pamwrap env LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" "$MTLS_AUTH" --service ldapdead --cert-file "$PKI/good-ed25519.pem" 2>&1)
like "$out" "refused: MTLS_E_BACKEND_DOWN \(Authentication service cannot retrieve authentication info\)" "PAM: LDAP down -> PAM_AUTHINFO_UNAVAIL"
ldap_config offline "ldap://127.0.0.1:$DEAD" "ldap_offline = cache"
check offline good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "all URIs dead, ldap_offline = cache: mapped from the sync cache"
like "$(jq -r '.checks[] | select(.name=="ldap") | .status + " " + .detail' <<<"$out")" "^warn by_cert: LDAP down .*answered from the cache" "the offline answer is flagged"
port=$(free_port)
nc -l 127.0.0.1 "$port" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$port"
ldap_config silent "ldap://127.0.0.1:$port"
t0=$(date +%s%N)
check silent good-ed25519
elapsed=$((($(date +%s%N) - t0) / 1000000))
is "$got" "2 MTLS_E_BACKEND_DOWN -" "a server that accepts and never answers: BACKEND_DOWN"
if [ "$elapsed" -lt 5000 ]; then ok "silent server: gave up after $elapsed ms (ldap_timeout = 2 s)"
else not_ok "silent server: took $elapsed ms"; fi

# --- the TLS handshake is bounded too ----------------------------------
# A server that accepts TCP and never speaks TLS (ldaps://), one that
# accepts StartTLS and then goes silent, and one that answers garbage: each
# fails its URI within ldap_timeout (2 s here) and the next URI is tried.
cat > "$WORK/starttls-silent.sh" <<'SH'
#!/bin/sh
# StartTLS (message 1) answered with success, then silence.
head -c 2 >/dev/null
printf '\060\044\002\001\001\170\037\012\001\000\004\000\004\000\212\026%s' 1.3.6.1.4.1.1466.20037
sleep 10
SH
chmod 755 "$WORK/starttls-silent.sh"
SILENT=$(free_port)
socat TCP-LISTEN:"$SILENT",bind=127.0.0.1,reuseaddr,fork SYSTEM:'sleep 10' 2>/dev/null &
PIDS+=($!)
STSILENT=$(free_port)
socat TCP-LISTEN:"$STSILENT",bind=127.0.0.1,reuseaddr,fork EXEC:"$WORK/starttls-silent.sh" 2>/dev/null &
PIDS+=($!)
GARBAGE=$(free_port)
socat TCP-LISTEN:"$GARBAGE",bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo garbage; sleep 10' 2>/dev/null &
PIDS+=($!)
wait_port "$SILENT"; wait_port "$STSILENT"; wait_port "$GARBAGE"
# timed NAME CERT: check, and elapsed in ms.
timed() {
	local t0
	t0=$(date +%s%N)
	check "$1" "$2"
	elapsed=$((($(date +%s%N) - t0) / 1000000))
}
ldap_config tlssilent "ldaps://127.0.0.1:$SILENT"
timed tlssilent good-ed25519
is "$got" "2 MTLS_E_BACKEND_DOWN -" "ldaps:// server that never speaks TLS: BACKEND_DOWN"
if [ "$elapsed" -ge 1500 ] && [ "$elapsed" -lt 4000 ]; then ok "ldaps:// silent handshake: gave up after $elapsed ms (ldap_timeout = 2 s)"
else not_ok "ldaps:// silent handshake: took $elapsed ms"; fi
ldap_config tlsfailover "ldaps://127.0.0.1:$SILENT ldaps://127.0.0.1:$LDAPS_PORT"
timed tlsfailover good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "silent ldaps:// first: the second URI answers"
if [ "$elapsed" -lt 4000 ]; then ok "failover past a silent handshake in $elapsed ms"
else not_ok "failover past a silent handshake took $elapsed ms"; fi
ldap_config stsilent "ldap://127.0.0.1:$STSILENT $URI" "ldap_starttls = yes"
timed stsilent good-ed25519
is "$got" "0 MTLS_OK ldapcarl" "StartTLS accepted, then silence: the second URI answers"
if [ "$elapsed" -ge 1500 ] && [ "$elapsed" -lt 4000 ]; then ok "StartTLS silent handshake: gave up after $elapsed ms"
else not_ok "StartTLS silent handshake: took $elapsed ms"; fi
ldap_config tlsgarbage "ldaps://127.0.0.1:$GARBAGE"
timed tlsgarbage good-ed25519
is "$got" "2 MTLS_E_BACKEND_DOWN -" "ldaps:// server that answers garbage: BACKEND_DOWN"
if [ "$elapsed" -lt 4000 ]; then ok "garbage instead of TLS: refused in $elapsed ms"
else not_ok "garbage instead of TLS: took $elapsed ms"; fi
service ldaptlssilent config="$WORK/tlssilent.conf"
t0=$(date +%s%N)
out=$(pamwrap env LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" "$MTLS_AUTH" --service ldaptlssilent --cert-file "$PKI/good-ed25519.pem" 2>&1)
elapsed=$((($(date +%s%N) - t0) / 1000000))
like "$out" "refused: MTLS_E_BACKEND_DOWN \(Authentication service cannot retrieve authentication info\)" "PAM: silent ldaps:// -> PAM_AUTHINFO_UNAVAIL"
if [ "$elapsed" -lt 4000 ]; then ok "PAM login against a silent ldaps:// ends in $elapsed ms"
else not_ok "PAM login against a silent ldaps:// took $elapsed ms"; fi

# A failed sync keeps the old cache.
before=$(sha256sum < "$WORK/cache/accounts.cache")
"$MTLS_SYNC" --config "$WORK/dead.conf" >/dev/null 2>"$WORK/sync.err"
is "$?" 1 "mtls-sync with LDAP down exits 1"
is "$(sha256sum < "$WORK/cache/accounts.cache")" "$before" "a failed sync leaves the old cache untouched"
done_testing
