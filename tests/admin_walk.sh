# The admin's walk through the frontend docs, inside the throwaway root of
# tests/package.sh after the packages are installed: each frontend is set
# up from the installed examples as its doc says, then a good and a refused
# certificate log in through the installed hook, mtls-auth and module (real
# libpam, no wrappers).  Sourced by tests/package.sh (needs M, PKI, inroot).

# walk_trust: /etc/security/mtls.conf as shipped, with the trust files
# where it names them, and the accounts the test certificates map to.
walk_trust() {
	mkdir -p "$M/etc/ssl/mtls/crl" "$M/root/client"
	cp "$PKI/ca.pem" "$M/etc/ssl/mtls/ca.pem"
	cp "$PKI/chain.pem" "$M/etc/ssl/mtls/intermediates.pem"
	cp "$PKI/crl.pem" "$M/etc/ssl/mtls/crl/crl.pem"
	cp "$PKI"/good-ec.pem "$PKI"/good-ec.key "$PKI"/revoked.pem "$PKI"/revoked.key \
		"$PKI"/good-rsa.pem "$PKI"/good-rsa.key "$M/root/client/"
	inroot useradd -M -s /bin/sh bob
	inroot useradd -M -s /bin/sh alice
}

walk_untrust() {
	rm -rf "$M/etc/ssl/mtls" "$M/root/client"
	inroot userdel bob
	inroot userdel alice
}

# walk_openvpn: docs/frontend-openvpn.md.  The server's own lines (device,
# keys) plus the installed server-mtls.conf; /etc/pam.d/openvpn from the
# installed example; the export directory is the package's tmpfiles.d one.
walk_openvpn() {
	local d=$M/etc/openvpn/server	# Debian's openvpn has it
	cat "$PKI/root.pem" "$PKI/inter.pem" "$PKI/inter2.pem" > "$d/ca.pem"
	cp "$PKI/server-chain.pem" "$PKI/server.key" "$d/"
	inroot cp /usr/share/doc/pam_mtls/examples/openvpn /etc/pam.d/openvpn
	walk_vpn_connect good-ec
	is "$connected" yes "OpenVPN from the docs: a good certificate connects"
	like "$slog" "mtls: accepted .*CN=bob.* as user=bob" "OpenVPN from the docs: the hook names the mapped user"
	walk_vpn_connect revoked
	is "$connected" no "OpenVPN from the docs: a revoked certificate is refused"
	like "$slog" "mtls-auth: refused: MTLS_E_REVOKED \(Authentication failure\): " \
		"OpenVPN from the docs: the refusal's reason is in OpenVPN's log"
	is "$(ls "$M/run/openvpn-mtls" | wc -l)" 0 "OpenVPN from the docs: no exported certificate is left"
	(cd "$d" && rm -f ca.pem server-chain.pem server.key walk.conf)
	rm -f "$M/etc/pam.d/openvpn"
}

# walk_vpn_connect CERT: a server with the docs' lines and a client, both in
# the root; sets connected, slog.
walk_vpn_connect() {
	local port spid cpid
	port=$(free_port)
	{
		printf 'dev null\nproto udp4\nlocal 127.0.0.1\nlport %s\ntls-server\n' "$port"
		printf 'ca ca.pem\ncert server-chain.pem\nkey server.key\ndh none\n'
		printf 'verb 3\nping 1\nping-exit 20\n'
		cat "$M/usr/share/doc/pam_mtls/examples/server-mtls.conf"
	} > "$M/etc/openvpn/server/walk.conf"
	chroot "$M" sh -c 'cd /etc/openvpn/server && exec openvpn --config walk.conf' >"$WORK/ovpn-server.log" 2>&1 &
	spid=$!
	sleep 0.3
	chroot "$M" openvpn --dev null --proto udp4 --remote 127.0.0.1 "$port" --nobind \
		--tls-client --ca /etc/ssl/mtls/ca.pem --cert "/root/client/$1.pem" \
		--key "/root/client/$1.key" --remote-cert-tls server --verb 3 \
		--hand-window 8 --tls-exit --connect-retry-max 1 >"$WORK/ovpn-client.log" 2>&1 &
	cpid=$!
	connected=no
	for _ in $(seq 100); do
		if grep -q "Initialization Sequence Completed" "$WORK/ovpn-client.log"; then
			connected=yes
			break
		fi
		grep -qE "mtls-auth: refused|TLS Error" "$WORK/ovpn-server.log" && { sleep 0.3; break; }
		sleep 0.1
	done
	kill "$cpid" "$spid" 2>/dev/null
	wait "$cpid" "$spid" 2>/dev/null
	slog=$(cat "$WORK/ovpn-server.log")
}
