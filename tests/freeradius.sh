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
mkdir -p "$W"/{log,run,tmp}
chmod 700 "$W/tmp"
standard_config "$WORK/std.conf"
service radius config="$WORK/std.conf"
cat "$PKI/root.pem" "$PKI/inter.pem" "$PKI/inter2.pem" > "$W/ca-bundle.pem"

# The shipped verify command, pointed at this build, under pam_wrapper.
client=$(sed -n 's/^[[:space:]]*client = "\(.*\)"$/\1/p' "$MTLS_SRCDIR/conf/freeradius/eap-mtls.conf")
client=${client//\/usr\/sbin\/mtls-auth/$MTLS_AUTH}
{
	echo '#!/bin/sh'
	wrapper_exports
	echo "exec 2>>'$W/log/verify.log'"
	echo "exec ${client//%\{TLS-Client-Cert-Filename\}/\"\$1\"}"
} > "$W/verify"
chmod 755 "$W/verify"

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
		verify {
			tmpdir = $W/tmp
			client = "$W/verify %{TLS-Client-Cert-Filename}"
		}
	}
	tls {
		tls = tls-common
	}
}
EAP
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

# eap CERT: EAP-TLS with that client certificate; sets result and out.
eap() {
	cat > "$W/eapol.conf" <<CONF
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="$1"
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
is "$result" SUCCESS "good certificate: Access-Accept"
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
is "$(ls "$W/tmp" | wc -l)" 0 "FreeRADIUS removed every exported certificate"
done_testing
