#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# FreeRADIUS 3 EAP-TLS: a real server from a copied raddb on a loopback
# port, the shipped verify hook delegating to mtls-auth and pam_mtls, and
# eapol_test doing EAP-TLS with each client certificate.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port
setup_accounts
PIDS=()
W=$WORK/radius
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
mkdir -p "$W"/{log,run,root/etc}
standard_config "$WORK/std.conf"
service radius config="$WORK/std.conf"
cat "$PKI/root.pem" "$PKI/inter.pem" "$PKI/inter2.pem" > "$W/ca-bundle.pem"

# The shipped tmpfiles.d line creates the tmpdir (under a throwaway root).
cp /etc/passwd /etc/group "$W/root/etc/"
systemd-tmpfiles --create --root="$W/root" "$MTLS_SRCDIR/conf/tmpfiles.d/mtls-freeradius.conf"
is "$(stat -c '%U %a' "$W/root/run/mtls-freeradius")" "freerad 700" \
	"conf/tmpfiles.d/mtls-freeradius.conf creates the tmpdir for freerad, 0700"

# The shipped verify block; only install paths substituted: mtls-auth is a
# wrapper running this build under pam_wrapper.
{
	echo '#!/bin/sh'
	wrapper_exports
	echo "exec 2>>'$W/log/verify.log'"
	echo "exec '$MTLS_AUTH' \"\$@\""
} > "$W/mtls-auth"
chmod 755 "$W/mtls-auth"
sed -n '/^verify {/,/^}/p' "$MTLS_SRCDIR/conf/freeradius/eap-mtls.conf" |
	sed -e "s|/usr/sbin/mtls-auth|$W/mtls-auth|" \
	    -e "s|/run/mtls-freeradius|$W/root/run/mtls-freeradius|" > "$W/verify.conf"
like "$(cat "$W/verify.conf")" "client = \"$W/mtls-auth --service radius --refusal-stdout --user " \
	"the verify block is taken from conf/freeradius/eap-mtls.conf"

# A raddb copied from the package, trimmed to one EAP-TLS site.
PORT=$(free_port)
cp -a /etc/freeradius/3.0 "$W/raddb"
sed -i -e "s|^raddbdir = .*|raddbdir = $W/raddb|" -e "s|^localstatedir = .*|localstatedir = $W|" \
	-e "s|^logdir = .*|logdir = $W/log|" -e "s|^run_dir = .*|run_dir = $W/run|" \
	-e 's/^\([[:space:]]*\)\(user\|group\) = freerad/\1#\2 = freerad/' \
	-e 's|^\([[:space:]]*reject_delay\) = .*|\1 = 0|' \
	-e 's|^proxy_requests .*|proxy_requests = no|' "$W/raddb/radiusd.conf"
rm -f "$W/raddb/sites-enabled/"* "$W/raddb/mods-enabled/eap"
cat > "$W/raddb/sites-enabled/mtls" <<SITE
server mtls {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $PORT
	}
	authorize {
		suffix
		eap {
			ok = return
		}
	}
	authenticate {
		eap
	}
}
SITE
cat > "$W/raddb/mods-enabled/eap" <<EAP
eap {
	default_eap_type = tls
	timer_expire = 60
	ignore_unknown_eap_types = no
	max_sessions = 16
	tls-config tls-common {
		private_key_file = $PKI/server.key
		certificate_file = $PKI/server-chain.pem
		ca_file = $W/ca-bundle.pem
		cipher_list = "DEFAULT"
		tls_min_version = "1.2"
		tls_max_version = "1.2"
$(cat "$W/verify.conf")
	}
	tls {
		tls = tls-common
	}
}
EAP
# A local realm: identities "name@example.org" reach eap with the suffix
# module's Stripped-User-Name.
printf 'realm example.org {\n}\n' >> "$W/raddb/proxy.conf"
freeradius -X -d "$W/raddb" >"$W/log/radiusd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
	[ -n "$(ss -lunH "sport = :$PORT")" ] && break
	sleep 0.1
done
if [ -z "$(ss -lunH "sport = :$PORT")" ]; then
	not_ok "freeradius starts: $(grep -iE 'error|fail' "$W/log/radiusd.out" | head -3)"
	done_testing
fi
ok "freeradius listens on 127.0.0.1:$PORT (udp)"

# eap CERT [IDENTITY]: EAP-TLS with that client certificate; the EAP
# identity defaults to the certificate's CN.  Sets result and out.
eap() {
	local id=${2:-$(openssl x509 -in "$PKI/$1.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p')}
	cat > "$W/eapol.conf" <<CONF
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="$id"
	ca_cert="$PKI/ca.pem"
	client_cert="$PKI/$1.pem"
	private_key="$PKI/$1.key"
	eapol_flags=0
}
CONF
	out=$(eapol_test -c "$W/eapol.conf" -a 127.0.0.1 -p "$PORT" -s testing123 -t 10 2>&1)
	result=$(printf '%s\n' "$out" | tail -1)
}

eap good-ec
is "$result" SUCCESS "good certificate, identity bob: Access-Accept"
eap good-rsa bob
is "$result" FAILURE "identity bob with alice's certificate: Access-Reject"
like "$(tail -1 "$W/log/verify.log")" "^mtls-auth: refused: MTLS_E_USER_MISMATCH " \
	"the mismatch is logged as MTLS_E_USER_MISMATCH"
eap good-rsa alice
is "$result" SUCCESS "identity alice with alice's certificate: Access-Accept"
eap good-ec bob@example.org
is "$result" SUCCESS "identity bob@example.org (local realm, stripped by suffix): Access-Accept"
eap good-ec alice@example.org
is "$result" FAILURE "identity alice@example.org with bob's certificate: Access-Reject"
eap good-ec anonymous@example.org
is "$result" FAILURE "anonymous outer identity: Access-Reject (the identity must be the account)"
eap revoked
is "$result" FAILURE "revoked certificate (FreeRADIUS has no CRL): Access-Reject"
eap no-eku
is "$result" FAILURE "no EKU extension: Access-Reject"
eap unknown-user
is "$result" FAILURE "unmapped certificate: Access-Reject"
eap expired
is "$result" FAILURE "expired certificate: Access-Reject"
log=$(cat "$W/log/verify.log")
like "$log" "auth service=radius result=accept reason=MTLS_OK user=\"bob\"" "the module logs the accepted login"
like "$log" "reason=MTLS_E_REVOKED" "revoked: MTLS_E_REVOKED in the log"
like "$log" "reason=MTLS_E_EKU" "no EKU: MTLS_E_EKU in the log"
like "$log" "reason=MTLS_E_NO_MAPPING" "unmapped: MTLS_E_NO_MAPPING in the log"
is "$(ls "$W/root/run/mtls-freeradius" | wc -l)" 0 "FreeRADIUS removed every exported certificate"
done_testing
