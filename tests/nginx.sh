#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# nginx web gateway: real nginx and fcgiwrap on 127.0.0.1, the shipped
# snippet and CGI, curl with and without client certificates, and a client
# that forges the certificate header.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port, wait_port
. "$MTLS_SRCDIR/tests/nginx_lib.sh"
setup_accounts
PIDS=()
W=$WORK/nginx
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$W"/{conf,logs,html,tmp}
echo "protected content" > "$W/html/index.html"
standard_config "$WORK/std.conf"
service nginx config="$WORK/std.conf"

# The shipped CGI, pointed at this build and run under pam_wrapper.
{
	echo '#!/bin/sh'
	wrapper_exports
	echo "exec 2>>'$W/logs/cgi.log'"
	sed "s|/usr/sbin/mtls-auth|$MTLS_AUTH|" "$MTLS_SRCDIR/conf/nginx/mtls-auth.cgi" | grep -v '^#!'
} > "$W/mtls-auth.cgi"
chmod 755 "$W/mtls-auth.cgi"
fcgiwrap -s "unix:$W/fcgi.sock" >"$W/logs/fcgiwrap.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$W/fcgi.sock" ] && break; sleep 0.1; done
chmod 666 "$W/fcgi.sock"	# nginx workers run as nobody

sed -e "s|unix:/run/fcgiwrap.socket|unix:$W/fcgi.sock|" \
	-e "s|/usr/lib/mtls/mtls-auth.cgi|$W/mtls-auth.cgi|" \
	"$MTLS_SRCDIR/conf/nginx/mtls-auth.conf" > "$W/conf/mtls-auth.conf"
nginx_start mtls-auth.conf

# shellcheck disable=SC2046
get $(cert good-ec)
is "$status $user" "200 bob" "good certificate: 200 and X-Mtls-User: bob"
is "$body" "protected content" "good certificate: the protected page is served"
# shellcheck disable=SC2046
get $(cert revoked)
is "$status $user $reason" "403  MTLS_E_REVOKED" "revoked certificate: 403 (MTLS_E_REVOKED)"
# shellcheck disable=SC2046
get $(cert wrong-eku)
is "$status $reason" "403 MTLS_E_EKU" "server-only EKU: 403 (MTLS_E_EKU)"
# shellcheck disable=SC2046
get $(cert impostor)
# nginx's own handshake check refuses a bad signature even under
# optional_no_ca, before pam_mtls is asked: 400, never the page.
is "$status $reason" "400 " "impostor CA: 400 from nginx itself"
# shellcheck disable=SC2046
get $(cert unknown-user)
is "$status $reason" "403 MTLS_E_NO_MAPPING" "unmapped certificate: 403"
get
is "$status $reason" "401 MTLS_E_NO_CERT" "no client certificate: 401"
forged=$(sed 's/-/%2D/g; s/ /%20/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g' "$PKI/good-ec.pem" | awk '{ printf "%s%%0A", $0 }')
get -H "X-SSL-Client-Cert: $forged"
is "$status $user" "401 " "a client-forged X-SSL-Client-Cert header is ignored: 401"
like "$(cat "$W/logs/cgi.log")" "auth service=nginx result=refuse reason=MTLS_E_REVOKED" "the module logs each gateway decision"
like "$(cat "$W/logs/cgi.log")" "^mtls-auth: refused: MTLS_E_REVOKED \(Authentication failure\): .*revoked" \
	"mtls-auth --cgi writes its refusal line on stderr (fcgiwrap -f hands it to nginx's error log)"
done_testing
