# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# shellcheck shell=bash
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
	inroot useradd -M -d / -s /bin/sh bob
	inroot useradd -M -d / -s /bin/sh alice
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

# walk_freeradius: docs/frontend-freeradius.md.  A raddb copied from the
# installed FreeRADIUS (the server keeps user/group = freerad), the stock
# mods-available/eap with the server's keys and the installed example's
# verify block in place of the stock one, the tmpfiles.d line installed as
# the doc says, /etc/pam.d/radius from the example.  FreeRADIUS runs in the
# foreground without debugging, as its service does.
walk_freeradius() {
	local r=/etc/freeradius-walk port pid
	inroot cp -a /etc/freeradius/3.0 "$r"
	cat "$PKI/root.pem" "$PKI/inter.pem" "$PKI/inter2.pem" > "$M$r/certs/mtls-ca.pem"
	cp "$PKI/server-chain.pem" "$PKI/server.key" "$M$r/certs/"
	chown freerad: "$M$r/certs/server.key"
	port=$(free_port)
	sed -i -e "s|^raddbdir = .*|raddbdir = $r|" -e 's|^\([[:space:]]*reject_delay\) = .*|\1 = 0|' \
		-e 's|^proxy_requests .*|proxy_requests = no|' "$M$r/radiusd.conf"
	rm -f "$M$r/sites-enabled/default" "$M$r/mods-enabled/eap"
	walk_radius_site "$port" > "$M$r/sites-enabled/walk"
	walk_radius_eap "$r" > "$M$r/mods-enabled/eap"
	inroot cp /usr/share/doc/pam_mtls/examples/mtls-freeradius.conf /etc/tmpfiles.d/
	inroot systemd-tmpfiles --create mtls-freeradius.conf
	is "$(stat -c '%U %a' "$M/run/mtls-freeradius" 2>&1)" "freerad 700" \
		"FreeRADIUS from the docs: the tmpfiles.d line makes the tmpdir"
	inroot cp /usr/share/doc/pam_mtls/examples/radius /etc/pam.d/radius
	install -d -o freerad -g freerad "$M/run/freeradius"	# systemd's RuntimeDirectory
	chroot "$M" freeradius -f -l stdout -d "$r" >"$WORK/radius.log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[ -n "$(ss -lunH "sport = :$port")" ] && break
		sleep 0.1
	done
	walk_eap "$port" good-ec bob
	is "$result" SUCCESS "FreeRADIUS from the docs: bob's certificate as bob: Access-Accept"
	walk_eap "$port" good-ec alice
	is "$result" FAILURE "FreeRADIUS from the docs: bob's certificate as alice: Access-Reject"
	like "$(cat "$WORK/radius.log")" "Program returned code \(1\) and output 'mtls-auth: refused: MTLS_E_USER_MISMATCH \(Authentication failure\): " \
		"FreeRADIUS from the docs: the refusal's reason is in FreeRADIUS's log (not debugging)"
	walk_eap "$port" revoked alice
	is "$result" FAILURE "FreeRADIUS from the docs: a revoked certificate: Access-Reject"
	is "$(ls "$M/run/mtls-freeradius" | wc -l)" 0 "FreeRADIUS from the docs: no exported certificate is left"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -rf "$M$r" "$M/run/freeradius" "$M/run/mtls-freeradius" "$M/etc/pam.d/radius" \
		"$M/etc/tmpfiles.d/mtls-freeradius.conf"
}

walk_radius_site() {
	cat <<SITE
server walk {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $1
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
}

# The stock eap module: EAP-TLS by default, the server's keys, and the
# installed example's verify block replacing the stock (commented) one.
walk_radius_eap() {
	sed -n '/^verify {/,/^}/p' "$M/usr/share/doc/pam_mtls/examples/eap-mtls.conf" |
		sed 's/^/\t\t/' > "$WORK/verify.block"
	sed -e 's/^\(\tdefault_eap_type =\).*/\1 tls/' \
	    -e "s|^\(\t\tprivate_key_file =\).*|\1 $1/certs/server.key|" \
	    -e "s|^\(\t\tcertificate_file =\).*|\1 $1/certs/server-chain.pem|" \
	    -e "s|^\(\t\tca_file =\).*|\1 $1/certs/mtls-ca.pem|" \
	    -e '/^\t\tprivate_key_password/d' \
	    -e "/^\t\tverify {/,/^\t\t}/{/^\t\tverify {/r $WORK/verify.block
d}" "$M/etc/freeradius/3.0/mods-available/eap"
}

# walk_eap PORT CERT IDENTITY: EAP-TLS with eapol_test; sets result.
walk_eap() {
	cat > "$WORK/eapol.conf" <<CONF
network={
	key_mgmt=IEEE8021X
	eap=TLS
	identity="$3"
	ca_cert="$PKI/ca.pem"
	client_cert="$PKI/$2.pem"
	private_key="$PKI/$2.key"
	eapol_flags=0
}
CONF
	result=$(eapol_test -c "$WORK/eapol.conf" -a 127.0.0.1 -p "$1" -s testing123 -t 10 2>&1 | tail -1)
}

# walk_nginx: docs/frontend-nginx.md.  The installed mtls-auth.conf included
# verbatim in a TLS server block, fcgiwrap as Debian's unit runs it
# (www-data, -f, /run/fcgiwrap.socket), /etc/pam.d/nginx from the example.
walk_nginx() {
	local n=/etc/nginx/walk port npid fpid
	port=$(free_port)
	mkdir -p "$M$n/tmp" "$M$n/html"
	echo "protected content" > "$M$n/html/index.html"
	cp "$PKI/server-chain.pem" "$PKI/server.key" "$M$n/"
	chown www-data: "$M$n/tmp"
	inroot cp /usr/share/doc/pam_mtls/examples/mtls-auth.conf "$n/mtls-auth.conf"
	inroot cp /usr/share/doc/pam_mtls/examples/nginx /etc/pam.d/nginx
	cat > "$M$n/nginx.conf" <<CONF
user www-data;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/error.log info;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $n/tmp/body;
    proxy_temp_path $n/tmp/proxy;
    fastcgi_temp_path $n/tmp/fastcgi;
    uwsgi_temp_path $n/tmp/uwsgi;
    scgi_temp_path $n/tmp/scgi;
    server {
        listen 127.0.0.1:$port ssl;
        ssl_certificate $n/server-chain.pem;
        ssl_certificate_key $n/server.key;
        include $n/mtls-auth.conf;
        location / {
            root $n/html;
            auth_request /mtls-auth;
            auth_request_set \$mtls_user \$upstream_http_x_mtls_user;
            add_header X-Mtls-User \$mtls_user always;
        }
    }
}
CONF
	# systemd's fcgiwrap.socket makes /run/fcgiwrap.socket for www-data;
	# here www-data binds in a directory of its own, linked there.
	install -d -o www-data -g www-data "$M/run/fcgiwrap-walk"
	ln -s fcgiwrap-walk/fcgi.sock "$M/run/fcgiwrap.socket"
	chroot "$M" runuser -u www-data -- fcgiwrap -f -s unix:/run/fcgiwrap-walk/fcgi.sock >"$WORK/fcgiwrap.log" 2>&1 &
	fpid=$!
	for _ in $(seq 50); do [ -S "$M/run/fcgiwrap-walk/fcgi.sock" ] && break; sleep 0.1; done
	chroot "$M" nginx -e "$n/error.log" -c "$n/nginx.conf" -g 'daemon off;' >"$WORK/nginx.out" 2>&1 &
	npid=$!
	wait_port "$port"
	walk_get "$port" good-ec
	is "$status $user" "200 bob" "nginx from the docs: a good certificate gets the page as bob"
	walk_get "$port" revoked
	is "$status $user" "403 " "nginx from the docs: a revoked certificate gets 403"
	sleep 0.2
	like "$(cat "$M$n/error.log")" "FastCGI sent in stderr: \"mtls-auth: refused: MTLS_E_REVOKED \(Authentication failure\): " \
		"nginx from the docs: the refusal's reason is in nginx's error log"
	kill "$npid" "$fpid" 2>/dev/null
	wait "$npid" "$fpid" 2>/dev/null
	rm -rf "$M$n" "$M/etc/pam.d/nginx" "$M/run/fcgiwrap.socket" "$M/run/fcgiwrap-walk"
}

# walk_get PORT CERT: sets status and user.
walk_get() {
	local h=$WORK/headers
	curl -s -o /dev/null -D "$h" --max-time 10 --cacert "$PKI/ca.pem" \
		--cert "$PKI/$2.pem" --key "$PKI/$2.key" "https://127.0.0.1:$1/index.html"
	status=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$h")
	user=$(sed -n 's/^X-Mtls-User: \(.*\)\r$/\1/p' "$h")
}

# walk_sshd: docs/sshd.md.  sshd_config with the doc's AuthorizedKeysCommand
# lines (the package's mtls-keys user), ssh_cert_dir in mtls.conf, and the
# installed sshd-mtls as the PAM service (sshd under another name, so the
# root's own /etc/pam.d/sshd stays as it is).  A public-key login and a
# keyboard-interactive login answered by the installed mtls-sign.
walk_sshd() {
	local s=/etc/ssh/walk port pid
	port=$(free_port)
	mkdir -p "$M$s" "$M/etc/security/mtls/ssh" "$M/run/sshd" "$WORK/xdg"
	cp "$PKI/good-ec.pem" "$M/etc/security/mtls/ssh/bob.pem"
	sed -i 's|^map = by_cn$|ssh_cert_dir = /etc/security/mtls/ssh\n&|' "$M/etc/security/mtls.conf"
	ssh-keygen -q -t ed25519 -N '' -f "$M$s/hostkey"
	inroot cp /usr/share/doc/pam_mtls/examples/sshd-mtls /etc/pam.d/sshd-walk
	ln -s /usr/sbin/sshd "$M$s/sshd-walk"
	{
		printf 'Port %s\nListenAddress 127.0.0.1\nHostKey %s/hostkey\nPidFile none\n' "$port" "$s"
		printf 'UsePAM yes\nKbdInteractiveAuthentication yes\nPasswordAuthentication no\n'
		printf 'AuthorizedKeysFile none\n'
		sed -n '/^AuthorizedKeysCommand/p' "$MTLS_SRCDIR/docs/sshd.md"
	} > "$M$s/sshd_config"
	chroot "$M" "$s/sshd-walk" -D -e -f "$s/sshd_config" >"$WORK/sshd.log" 2>&1 &
	pid=$!
	wait_port "$port"
	# HostKeyAlias: ssh puts that name in the "(user@host) " askpass
	# prefix, which mtls-sign checks against the challenge's host (the
	# machine's hostname), as a user connecting by the server's name does.
	local ssh=(ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
		-o LogLevel=ERROR -o ConnectTimeout=10 -o HostKeyAlias="$(hostname)" -p "$port")
	install -m 600 "$PKI/good-ec.key" "$WORK/walk-ec.key"
	is "$("${ssh[@]}" -o BatchMode=yes -o IdentitiesOnly=yes -o PreferredAuthentications=publickey \
		-i "$WORK/walk-ec.key" bob@127.0.0.1 id -un 2>&1 </dev/null)" bob \
		"sshd from the docs: public key of bob's certificate (mtls-ssh-keys as mtls-keys)"
	printf '#!/bin/sh\nexec chroot %s /usr/bin/mtls-sign --chunk 1000 --cert /root/client/good-ec.pem --key /root/client/good-ec.key "$1"\n' \
		"$M" > "$WORK/askpass"
	chmod 755 "$WORK/askpass"
	is "$(env SSH_ASKPASS="$WORK/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none XDG_RUNTIME_DIR="$WORK/xdg" \
		"${ssh[@]}" -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 \
		-o PreferredAuthentications=keyboard-interactive bob@127.0.0.1 id -un 2>&1 </dev/null)" bob \
		"sshd from the docs: keyboard-interactive challenge answered by mtls-sign, through sshd-mtls"
	like "$(env SSH_ASKPASS="$WORK/askpass" SSH_ASKPASS_REQUIRE=force DISPLAY=none XDG_RUNTIME_DIR="$WORK/xdg" \
		"${ssh[@]}" -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1 \
		-o PreferredAuthentications=keyboard-interactive alice@127.0.0.1 id -un 2>&1 </dev/null)" "Permission denied" \
		"sshd from the docs: bob's certificate cannot log in as alice"
	like "$(inroot runuser -u mtls-keys -- /usr/sbin/mtls-ssh-keys bob 2>&1)" "^ecdsa-sha2-nistp256 AAAA" \
		"sshd from the docs: mtls-ssh-keys run as mtls-keys prints bob's key"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -rf "$M$s" "$M/etc/security/mtls" "$M/run/sshd" "$M/etc/pam.d/sshd-walk"
	sed -i '/^ssh_cert_dir = /d' "$M/etc/security/mtls.conf"
}
