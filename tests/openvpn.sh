#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# OpenVPN 2.6: a real server and client (--dev null) on 127.0.0.1, the
# shipped tls-verify hook delegating to mtls-auth and pam_mtls.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port
setup_accounts
stage_for_unprivileged	# the hook runs mtls-auth after OpenVPN drops to nobody
PIDS=()
W=$WORK/ovpn
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$W/root/etc"
standard_config "$WORK/std.conf"
service openvpn config="$WORK/std.conf"
cat "$PKI/root.pem" "$PKI/inter.pem" "$PKI/inter2.pem" > "$W/ca-bundle.pem"

# The shipped hook, pointed at this build and run under pam_wrapper.
{
	echo '#!/bin/sh'
	wrapper_exports
	sed "s|/usr/sbin/mtls-auth|$MTLS_AUTH|" "$MTLS_SRCDIR/conf/openvpn/mtls-tls-verify" | grep -v '^#!'
} > "$W/tls-verify"
chmod 755 "$W/tls-verify"

# The export directory from the shipped tmpfiles.d line (in a throwaway
# root), and the shipped server lines with only these two paths changed:
# OpenVPN drops to nobody/nogroup before it writes there.
cp /etc/passwd /etc/group "$W/root/etc/"
systemd-tmpfiles --create --root="$W/root" "$MTLS_SRCDIR/conf/tmpfiles.d/mtls-openvpn.conf"
is "$(stat -c '%a %U %G' "$W/root/run/openvpn-mtls")" "1770 root nogroup" \
	"conf/tmpfiles.d/mtls-openvpn.conf creates the export directory"
sed -e "s|/run/openvpn-mtls|$W/root/run/openvpn-mtls|" -e "s|/usr/lib/mtls/mtls-tls-verify|$W/tls-verify|" \
	"$MTLS_SRCDIR/conf/openvpn/server-mtls.conf" > "$W/server-mtls.conf"

# connect CERT: runs a server and a client; sets slog, clog, connected.
connect() {
	local port spid cpid
	port=$(free_port)
	openvpn --dev null --proto udp4 --local 127.0.0.1 --lport "$port" \
		--tls-server --ca "$W/ca-bundle.pem" --cert "$PKI/server-chain.pem" \
		--key "$PKI/server.key" --dh none --config "$W/server-mtls.conf" \
		--verb 3 --ping 1 --ping-exit 20 >"$W/server.log" 2>&1 &
	spid=$!
	PIDS+=("$spid")
	sleep 0.3
	openvpn --dev null --proto udp4 --remote 127.0.0.1 "$port" --nobind \
		--tls-client --ca "$PKI/root.pem" --cert "$PKI/$1.pem" \
		--key "$PKI/$1.key" --remote-cert-tls server --verb 3 \
		--hand-window 8 --tls-exit --connect-retry-max 1 >"$W/client.log" 2>&1 &
	cpid=$!
	PIDS+=("$cpid")
	connected=no
	for _ in $(seq 100); do
		if grep -q "Initialization Sequence Completed" "$W/client.log"; then
			connected=yes
			break
		fi
		grep -qE "reason=MTLS_E_|TLS Error" "$W/server.log" && { sleep 0.3; break; }
		sleep 0.1
	done
	kill "$cpid" "$spid" 2>/dev/null
	wait "$cpid" "$spid" 2>/dev/null
	slog=$(cat "$W/server.log")
	clog=$(cat "$W/client.log")
}

connect good-ec
is "$connected" yes "good certificate: the client completes initialisation"
like "$slog" "mtls: accepted .*CN=bob.* as user=bob" "the server log names the mapped user"
like "$slog" "auth service=openvpn result=accept reason=MTLS_OK user=\"bob\"" "the module's decision line is in the server log"
like "$slog" "UID set to nobody" "OpenVPN ran as nobody: the export directory is writable after the drop"
connect revoked
is "$connected" no "revoked certificate (OpenVPN has no CRL): refused"
like "$slog" "reason=MTLS_E_REVOKED" "revoked: MTLS_E_REVOKED in the server log"
like "$slog" "mtls-auth: refused: MTLS_E_REVOKED \(Authentication failure\): .*revoked" \
	"mtls-auth's refusal line (reason and message) is in the OpenVPN log"
connect no-eku
is "$connected" no "no EKU extension (OpenVPN lets it through): refused"
like "$slog" "reason=MTLS_E_EKU" "no EKU: MTLS_E_EKU in the server log"
connect wrong-eku
is "$connected" no "serverAuth-only EKU: refused"
like "$slog" "unsuitable certificate purpose" "serverAuth-only is already refused by OpenVPN's own purpose check"
connect unknown-user
is "$connected" no "unmapped certificate: refused"
like "$slog" "reason=MTLS_E_NO_MAPPING" "unmapped: MTLS_E_NO_MAPPING in the server log"
is "$(ls "$W/root/run/openvpn-mtls" | wc -l)" 0 "exported certificates are removed after each check"
done_testing
