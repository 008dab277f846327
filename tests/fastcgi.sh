#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# nginx web gateway through the long-running FastCGI responder: real nginx
# on 127.0.0.1 with the shipped conf/nginx/mtls-fastcgi.conf, mtls-fastcgi
# run by the ExecStart= of the shipped systemd service on a listening
# socket as standard input (tests/fcgi_launch.pl stands in for the socket
# unit), curl with and without client certificates, a forged header, raw
# malformed FastCGI records, a responder killed and restarted.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port, wait_port
. "$MTLS_SRCDIR/tests/nginx_lib.sh"
setup_accounts
PIDS=()
W=$WORK/nginx
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; [ -s "$W/responder.pid" ] && kill -9 "$(cat "$W/responder.pid")" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$W"/{conf,logs,html,tmp}
echo "protected content" > "$W/html/index.html"
standard_config "$WORK/std.conf"
service nginx config="$WORK/std.conf"
SOCK=$W/fcgi.sock

# The shipped unit's command line, pointed at this build.
unit=$MTLS_SRCDIR/conf/systemd/mtls-fastcgi.service
execstart=$(sed -n 's/^ExecStart=//p' "$unit" | sed "s|/usr/sbin/mtls-fastcgi|$MTLS_BUILDDIR/mtls-fastcgi|")
like "$(sed -n 's/^ListenStream=//p' "$MTLS_SRCDIR/conf/systemd/mtls-fastcgi.socket")" \
	"^/run/mtls-fastcgi.sock$" "the socket unit listens where the nginx snippet connects"
# shellcheck disable=SC2086
env LD_PRELOAD="$SAN_PRELOAD libpam_wrapper.so libnss_wrapper.so" PAM_WRAPPER=1 \
	PAM_WRAPPER_SERVICE_DIR="$WORK/services" PAM_WRAPPER_DEBUGLEVEL=2 \
	perl "$MTLS_SRCDIR/tests/fcgi_launch.pl" "$SOCK" "$W/responder.pid" \
	$execstart 2>>"$W/logs/responder.log" &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCK" ] && [ -s "$W/responder.pid" ] && break; sleep 0.1; done

sed "s|unix:/run/mtls-fastcgi.sock|unix:$SOCK|" \
	"$MTLS_SRCDIR/conf/nginx/mtls-fastcgi.conf" > "$W/conf/mtls-fastcgi.conf"
nginx_start mtls-fastcgi.conf 'keepalive_requests 1000;'
pid=$(cat "$W/responder.pid")

# shellcheck disable=SC2046
get $(cert good-ec)
is "$status $user" "200 bob" "good certificate: 200 and X-Mtls-User: bob"
is "$body" "protected content" "good certificate: the protected page is served"
# shellcheck disable=SC2046
get $(cert revoked)
is "$status $user $reason" "403  MTLS_E_REVOKED" "revoked certificate: 403 (MTLS_E_REVOKED)"
# shellcheck disable=SC2046
get $(cert unknown-user)
is "$status $reason" "403 MTLS_E_NO_MAPPING" "unmapped certificate: 403 (MTLS_E_NO_MAPPING)"
get
is "$status $reason" "401 MTLS_E_NO_CERT" "no client certificate: 401 (MTLS_E_NO_CERT)"
forged=$(sed 's/-/%2D/g; s/ /%20/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g' "$PKI/good-ec.pem" | awk '{ printf "%s%%0A", $0 }')
get -H "X-SSL-Client-Cert: $forged"
is "$status $user $reason" "401  MTLS_E_NO_CERT" "a client-forged X-SSL-Client-Cert header is ignored: 401"
like "$(cat "$W/logs/responder.log")" "auth service=nginx result=refuse reason=MTLS_E_REVOKED" \
	"the module's decision lines reach the responder's log"

# 300 requests on one kept-alive connection: nginx asks every time.
urls=()
for _ in $(seq 300); do urls+=(-o /dev/null "https://127.0.0.1:$PORT/index.html"); done
# shellcheck disable=SC2046
codes=$(curl -s --max-time 60 --cacert "$PKI/ca.pem" $(cert good-ec) \
	-w '%{http_code} %{num_connects}\n' "${urls[@]}" | sort | uniq -c | awk '{$1=$1; print}' | sort -k3r)
is "$codes" "$(printf '1 200 1\n299 200 0')" "300 kept-alive requests: all 200, one TLS connection"

# Hostile or broken FastCGI peers do not stop the responder.
is "$(perl "$MTLS_SRCDIR/tests/fcgi_raw.pl" "$SOCK" garbage)" none "garbage records: connection closed, no answer"
is "$(perl "$MTLS_SRCDIR/tests/fcgi_raw.pl" "$SOCK" partial)" none "a request cut off mid-parameters: no answer"
is "$(perl "$MTLS_SRCDIR/tests/fcgi_raw.pl" "$SOCK" oversized)" 403 "a 300 KB certificate parameter: 403"
like "$(cat "$W/logs/responder.log")" "reason=MTLS_E_BAD_INPUT" "the oversized parameter is MTLS_E_BAD_INPUT"
is "$(cat "$W/responder.pid")" "$pid" "the responder survived all three"
# shellcheck disable=SC2046
get $(cert good-ec)
is "$status $user" "200 bob" "and still answers"

# Killed, restarted on the same socket: requests are decided again.
kill -9 "$pid"
for _ in $(seq 50); do [ "$(cat "$W/responder.pid")" != "$pid" ] && break; sleep 0.1; done
# shellcheck disable=SC2046
get $(cert good-ec)
is "$status $user" "200 bob" "responder restarted: good certificate 200"
# shellcheck disable=SC2046
get $(cert revoked)
is "$status $reason" "403 MTLS_E_REVOKED" "responder restarted: revoked still 403"
san=$(grep -lE "Sanitizer|runtime error:" "$W/logs/responder.log" 2>/dev/null)
is "$san" "" "no sanitizer report from the responder"
done_testing
