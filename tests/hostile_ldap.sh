#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# A hostile directory against a real slapd on 127.0.0.1: entries named
# root or after local accounts, uidNumber 0 or a local uid, invalid and
# duplicate names, a certificate in two entries, an entry with two uids,
# a disabled account, groups shadowing local ones or below min_gid.
# mtls-sync must drop and report them, libnss_mtls must not serve them,
# and the mapping must refuse them online and offline (ldap_offline =
# cache) with the exact reason.  Local accounts come from private copies
# of /etc/passwd and /etc/group bind-mounted in a mount namespace.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"
trap 'stop_slapd; rm -rf "$WORK"' EXIT
MTLS_SYNC=$MTLS_BUILDDIR/mtls-sync

cp /etc/passwd /etc/group "$WORK/"
printf 'localalice:x:3001:3001::/:/bin/sh\n' >> "$WORK/passwd"
printf 'localalice:x:3001:\nlocalstaff:x:3002:\n' >> "$WORK/group"
printf 'passwd: files mtls\ngroup: files mtls\nshadow: files\n' > "$WORK/nsswitch.conf"
chmod 644 "$WORK/passwd" "$WORK/group" "$WORK/nsswitch.conf"

# person DN-UID UIDNUMBER GIDNUMBER CERT [extra attribute lines]
person() {
	# Extra lines right after the first uid: slapadd stores an
	# attribute's values apart when they are not adjacent.
	printf 'dn: uid=%s,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: %s\n' "$1" "$1"
	[ -n "${5:-}" ] && printf '%s\n' "$5"
	printf 'cn: %s\nsn: x\nuidNumber: %s\ngidNumber: %s\nhomeDirectory: /home/%s\n' "$1" "$2" "$3" "$1"
	[ -n "$4" ] && printf 'userCertificate;binary:: %s\n' "$(b64der "$PKI/$4.pem")"
	echo
}
{
	printf 'dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\no: example\ndc: example\n\n'
	printf 'dn: ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: people\n\n'
	printf 'dn: ou=groups,dc=example,dc=com\nobjectClass: organizationalUnit\nou: groups\n\n'
	person root 5500 5000 good-rsa
	person localalice 5501 5000 good-ec
	person zero 0 5000 good-ed25519
	person ghost 65534 5000 email-legacy
	person lowgid 5502 0 ""
	person ldapok 5600 5000 email-subject
	person low500 500 5000 meta
	person share1 5601 5000 dns
	person share2 5602 5000 dns
	person multi1 5603 5000 uri "uid: multi2"
	person disabled 5604 5000 p384 "description: disabled"
	# Two entries claiming one name: an RDN other than uid.
	printf 'dn: cn=dup1,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: dup\ncn: dup1\nsn: x\nuidNumber: 5610\ngidNumber: 5000\nhomeDirectory: /\nuserCertificate;binary:: %s\n\n' "$(b64der "$PKI/email.pem")"
	printf 'dn: cn=dup2,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: dup\ncn: dup2\nsn: x\nuidNumber: 5611\ngidNumber: 5000\nhomeDirectory: /\n\n'
	printf 'dn: cn=bad,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nuid: bad name\ncn: bad\nsn: x\nuidNumber: 5612\ngidNumber: 5000\nhomeDirectory: /\nuserCertificate;binary:: %s\n\n' "$(b64der "$PKI/upn.pem")"
	group() { printf 'dn: cn=%s,ou=groups,dc=example,dc=com\nobjectClass: posixGroup\ncn: %s\ngidNumber: %s\n' "$1" "$1" "$2"; shift 2; for m in "$@"; do echo "memberUid: $m"; done; echo; }
	group okgroup 5800 ldapok root localalice share1
	group localstaff 5801 ldapok
	group nogroupclone 65534 ldapok
	group lowgroup 50 ldapok
} > "$WORK/data.ldif"
start_slapd "$WORK/data.ldif" || { not_ok "slapd starts"; done_testing; }
ok "slapd with a hostile directory on 127.0.0.1:$LDAP_PORT"
URI=ldap://127.0.0.1:$LDAP_PORT
DEAD=$(free_port)
SYNC_OFF='(&(objectClass=posixAccount)(!(description=disabled)))'

# conf NAME URI CACHE FILTER [extra]
conf() {
	write_config "$WORK/$1.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
ldap_uri = $2
ldap_base = dc=example,dc=com
ldap_network_timeout = 2
ldap_timeout = 2
ldap_plaintext = yes
cache_dir = $WORK/$3
${5:-}
map = by_cert

[map by_cert]
source = fingerprint
lookup = ldap
ldap_filter = $4
CONF
}
mkdir -m 755 "$WORK/cache" "$WORK/cache2" "$WORK/cache3"
# The online rule refuses disabled accounts; the default sync filter does not.
RULE='(&(objectClass=posixAccount)(!(description=disabled))(userCertificate={cert_assertion}))'
conf online "$URI" cache "$RULE"
conf offline "ldap://127.0.0.1:$DEAD" cache "$RULE" "ldap_offline = cache"
# Rule and sync apply the same condition: the cache can answer offline.
RULE2="(&$SYNC_OFF(userCertificate={cert_assertion}))"
conf online2 "$URI" cache2 "$RULE2" "sync_user_filter = $SYNC_OFF"
conf offline2 "ldap://127.0.0.1:$DEAD" cache2 "$RULE2" "sync_user_filter = $SYNC_OFF
ldap_offline = cache"

# local CACHE CMD...: runs CMD with the private passwd, group and
# nsswitch.conf, and libnss_mtls reading CACHE.
local_ns() {
	local cache=$1
	shift
	env LD_PRELOAD="$SAN_PRELOAD" LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" \
		MTLS_NSS_CACHE="$WORK/$cache/accounts.cache" unshare -m sh -c \
		'mount --bind "$0/passwd" /etc/passwd && mount --bind "$0/group" /etc/group &&
		 mount --bind "$0/nsswitch.conf" /etc/nsswitch.conf && exec "$@"' "$WORK" "$@"
}
# check CONF CERT: sets got="exit reason user" and out.
check() {
	local cache=cache
	case $1 in *2) cache=cache2 ;; lowsync) cache=cache3 ;; esac
	out=$(local_ns $cache "$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/$2.pem" ${3:+--service "$3"})
	got="$? $(jq -r '.reason + " " + (if .user == "" then "-" else .user end)' <<<"$out")"
}
detail() { jq -r '.checks[] | select(.name=="'"$1"'") | .detail' <<<"$out" | tr '\n' ' '; }

# --- mtls-sync ------------------------------------------------------------------
out=$(local_ns cache "$MTLS_SYNC" --config "$WORK/online.conf" 2>"$WORK/sync.err")
is "$?" 0 "mtls-sync exits 0"
like "$out" "4 users, 1 groups" "only ldapok, share1, share2 and disabled are kept; only okgroup"
like "$(cat "$WORK/sync.err")" "dropped from the directory: 2 users below min_uid 1000, 2 users or groups below min_gid 1000, 3 users and 2 groups colliding with local ones, 2 names claimed by several entries, 1 entries with several uids, 5 memberships of non-LDAP or dropped users" \
	"mtls-sync counts and reports every drop"
like "$out" "1 invalid entries skipped" "the invalid name is skipped and counted"
nssget() { local_ns cache getent -s "$1:mtls" "$@"; }
for u in root localalice zero ghost lowgid low500 dup multi1 multi2; do
	nssget passwd "$u" >/dev/null
	is "$?" 2 "libnss_mtls does not serve $u"
done
for id in 0 3001 5500 5501 65534; do
	nssget passwd "$id" >/dev/null
	is "$?" 2 "libnss_mtls serves no user with uid $id"
done
is "$(nssget passwd | cut -d: -f1 | sort | tr '\n' ' ')" "disabled ldapok share1 share2 " "enumeration: only the kept users"
is "$(nssget group | tr '\n' ' ')" "okgroup:x:5800:ldapok,share1 " "groups: no local name or gid, none below min_gid; members only kept LDAP users"
is "$(local_ns cache id -u root)" 0 "root is still the local root"
is "$(local_ns cache id -u localalice)" 3001 "localalice is still the local account"

# --- online --------------------------------------------------------------------
check online good-rsa
is "$got" "1 MTLS_E_USER_UNKNOWN -" "entry uid=root (uidNumber 5500): refused, USER_UNKNOWN"
like "$(detail account)" "root: the directory entry has uid 5500 but the name resolves to uid 0" "uid=root never becomes local root"
check online good-ec
is "$got" "1 MTLS_E_USER_UNKNOWN -" "entry named after a local account: refused"
like "$(detail account)" "localalice: the directory entry has uid 5501 but the name resolves to uid 3001" "a local name with another uid is a collision"
check online good-ed25519
is "$got" "1 MTLS_E_USER_UNKNOWN -" "entry with uidNumber 0: refused"
check online email-legacy
is "$got" "1 MTLS_E_USER_UNKNOWN -" "entry with a local uid (65534): refused"
check online upn
is "$got" "1 MTLS_E_NO_MAPPING -" "entry with an invalid name: no account"
check online email
is "$got" "1 MTLS_E_USER_UNKNOWN -" "a name two entries claim: not served, refused"
check online dns
is "$got" "1 MTLS_E_AMBIGUOUS_MAPPING -" "a certificate in two entries: ambiguous"
check online uri
is "$got" "1 MTLS_E_AMBIGUOUS_MAPPING -" "an entry with two uids: ambiguous"
check online p384
is "$got" "1 MTLS_E_NO_MAPPING -" "a disabled account: the rule's filter refuses it"
check online email-subject
is "$got" "0 MTLS_OK ldapok" "a clean entry maps"
service hostile config="$WORK/online.conf"
out=$(env LD_PRELOAD="$SAN_PRELOAD libpam_wrapper.so" PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$WORK/services" \
	PAM_WRAPPER_DEBUGLEVEL=2 LD_LIBRARY_PATH="$MTLS_BUILDDIR/.libs" \
	MTLS_NSS_CACHE="$WORK/cache/accounts.cache" unshare -m sh -c \
	'mount --bind "$0/passwd" /etc/passwd && mount --bind "$0/nsswitch.conf" /etc/nsswitch.conf && exec "$@"' \
	"$WORK" "$MTLS_AUTH" --service hostile --cert-file "$PKI/good-rsa.pem" 2>&1)
like "$out" "refused: MTLS_E_USER_UNKNOWN \(User not known to the underlying authentication module\)" \
	"PAM: uid=root from LDAP -> PAM_USER_UNKNOWN"

# --- min_uid applies to the directory's own uidNumber ------------------------
# The sync keeps uid 500 (global min_uid = 100); a profile with the
# default floor still refuses it at login.
conf lowsync "$URI" cache3 "$RULE" "min_uid = 100"
printf '[profile strict]\nmin_uid = 1000\n' >> "$WORK/lowsync.conf"
out=$(local_ns cache3 "$MTLS_SYNC" --config "$WORK/lowsync.conf" 2>/dev/null)
like "$out" "5 users" "min_uid = 100: the sync keeps low500"
check lowsync meta
is "$got" "0 MTLS_OK low500" "min_uid = 100: uidNumber 500 maps"
check lowsync meta strict
is "$got" "1 MTLS_E_USER_UNKNOWN -" "profile with min_uid = 1000: uidNumber 500 refused"
like "$(detail account)" "low500 has uid 500, below min_uid 1000" "the refusal names the floor"

# --- offline: only what the cache can answer, as online ----------------------------
check offline email-subject
is "$got" "2 MTLS_E_BACKEND_DOWN -" "offline, rule filter the cache cannot evaluate: BACKEND_DOWN"
like "$(detail mapping)" "rule by_cert cannot be answered offline" "the refusal says why"
check offline p384
is "$got" "2 MTLS_E_BACKEND_DOWN -" "offline: the disabled account is not let in by the cache"
out=$(local_ns cache2 "$MTLS_SYNC" --config "$WORK/online2.conf" 2>/dev/null)
like "$out" "3 users" "sync with the rule's condition: disabled is not cached"
check online2 p384
is "$got" "1 MTLS_E_NO_MAPPING -" "online (same filters): disabled refused"
check offline2 p384
is "$got" "1 MTLS_E_NO_MAPPING -" "offline (same filters): disabled stays refused"
check offline2 email-subject
is "$got" "0 MTLS_OK ldapok" "offline: a clean entry maps from the cache"
like "$(detail ldap)" "answered from the cache" "the offline answer is flagged"
check offline2 dns
is "$got" "1 MTLS_E_AMBIGUOUS_MAPPING -" "offline: a certificate in two entries stays ambiguous"
check offline2 uri
is "$got" "1 MTLS_E_AMBIGUOUS_MAPPING -" "offline: an entry with two uids stays ambiguous"
check offline2 good-rsa
is "$got" "1 MTLS_E_NO_MAPPING -" "offline: the uid=root entry's certificate maps to nobody"
check offline2 good-ec
is "$got" "1 MTLS_E_NO_MAPPING -" "offline: the colliding entry's certificate maps to nobody"
check offline2 email
is "$got" "1 MTLS_E_NO_MAPPING -" "offline: the duplicate name's certificate maps to nobody"
done_testing
