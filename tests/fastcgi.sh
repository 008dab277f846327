#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# nginx web gateway through the long-running FastCGI responder: real nginx
# on 127.0.0.1 with the shipped conf/nginx/mtls-fastcgi.conf, mtls-fastcgi
# run by the ExecStart= of the shipped systemd service on a listening
# socket as standard input (tests/fcgi_launch.pl stands in for the socket
# unit), curl with and without client certificates, a forged header, raw
# malformed FastCGI records, a responder killed and restarted, the PAM
# stack's modules kept mapped between requests; the decision
# cache: hits, a CRL replaced between two requests of one kept-alive
# connection, a map file edited, refusals never kept, the TTL.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port, wait_port
. "$MTLS_SRCDIR/tests/nginx_lib.sh"
setup_accounts
PIDS=()
W=$WORK/nginx
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; [ -s "$W/responder.pid" ] && kill -9 "$(cat "$W/responder.pid")" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$W"/{conf,logs,html,tmp}
echo "protected content" > "$W/html/index.html"
# The standard policy, with a CRL and a map file the cache cases replace.
cp "$PKI/crl.pem" "$W/crl.pem"
write_config "$W/users.map" <<'MAP'
# CN -> account; empty until the map-file case
MAP
write_config "$WORK/std.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $W/crl.pem
map = by_file, by_cn
[map by_file]
source = cn
lookup = file:$W/users.map
[map by_cn]
source = cn
lookup = local
CONF
service nginx config="$WORK/std.conf"
# A module only this service file names: the responder keeps it mapped
# after the transaction that loaded it (tools/pin.h).
PAMDIR=$(dirname "$(find /lib /usr/lib -name pam_permit.so -path '*security*' | head -1)")
echo "password optional $PAMDIR/pam_permit.so" >> "$WORK/services/nginx"
SOCK=$W/fcgi.sock

# The shipped unit's command line, pointed at this build.
unit=$MTLS_SRCDIR/conf/systemd/mtls-fastcgi.service
execstart=$(sed -n 's/^ExecStart=//p' "$unit" | sed "s|/usr/sbin/mtls-auth|$MTLS_BUILDDIR/mtls-auth|")
like "$execstart" "^$MTLS_BUILDDIR/mtls-auth --fastcgi --service nginx " "the unit runs mtls-auth --fastcgi"
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
is "$(basename "$(readlink "/proc/$pid/exe")")" mtls-fastcgi "mtls-auth --fastcgi became mtls-fastcgi"
LOG=$W/logs/responder.log
# full USER: accepts the module decided; kept USER: accepts from the cache.
full() { grep -c "auth service=nginx result=accept reason=MTLS_OK user=\"$1\"" "$LOG"; }
kept() { grep -c "mtls-fastcgi: accept user=$1 reason=MTLS_OK (kept decision" "$LOG"; }
refusals() { grep -c "auth service=nginx result=refuse reason=$1" "$LOG"; }

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
like "$(grep -o '/[^ ]*/pam_permit\.so' "/proc/$pid/maps" | sort -u)" "pam_permit\.so" \
	"between requests the responder still maps the stack's modules (pam_permit.so)"
forged=$(sed 's/-/%2D/g; s/ /%20/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g' "$PKI/good-ec.pem" | awk '{ printf "%s%%0A", $0 }')
get -H "X-SSL-Client-Cert: $forged"
is "$status $user $reason" "401  MTLS_E_NO_CERT" "a client-forged X-SSL-Client-Cert header is ignored: 401"
like "$(cat "$W/logs/responder.log")" "auth service=nginx result=refuse reason=MTLS_E_REVOKED" \
	"the module's decision lines reach the responder's log"

# 300 requests on one kept-alive connection: nginx asks every time; the
# responder decides once and answers the rest from its cache.
k0=$(kept bob)
urls=()
for _ in $(seq 300); do urls+=(-o /dev/null "https://127.0.0.1:$PORT/index.html"); done
# shellcheck disable=SC2046
codes=$(curl -s --max-time 60 --cacert "$PKI/ca.pem" $(cert good-ec) \
	-w '%{http_code} %{num_connects}\n' "${urls[@]}" | sort | uniq -c | awk '{$1=$1; print}' | sort -k3r)
is "$codes" "$(printf '1 200 1\n299 200 0')" "300 kept-alive requests: all 200, one TLS connection"
k1=$(kept bob)
if [ $((k1 - k0)) -ge 299 ]; then ok "at least 299 of them answered from the cache"
else not_ok "at least 299 of them answered from the cache: $((k1 - k0))"; fi

# A cache hit: the first accept of a certificate is decided and kept, the
# second is answered from the cache (the configuration is known by now).
f0=$(full alice) k0=$(kept alice)
# shellcheck disable=SC2046
get $(cert late-revoked)
is "$status $user $(($(full alice) - f0)) $(($(kept alice) - k0))" "200 alice 1 0" \
	"cache: the first request is decided by the module"
# shellcheck disable=SC2046
get $(cert late-revoked)
is "$status $user $(($(full alice) - f0)) $(($(kept alice) - k0))" "200 alice 1 1" \
	"cache: the second is answered from the kept decision"

# The CRL replaced (renamed over, as mtls-crl-fetch does) between two
# requests of one kept-alive connection: the next request is refused.
rq='GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
# shellcheck disable=SC2059
out=$({ printf "$rq"; sleep 1; cp "$PKI/crl-later.pem" "$W/crl.new"
	mv "$W/crl.new" "$W/crl.pem"; printf "$rq"; sleep 1; } |
	timeout 20 openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$PORT" \
	-cert "$PKI/late-revoked.pem" -key "$PKI/late-revoked.key" \
	-CAfile "$PKI/ca.pem" 2>/dev/null | tr -d '\r')
is "$(echo "$out" | sed -n 's/^HTTP\/1.1 \([0-9]*\).*/\1/p' | tr '\n' ' ')" "200 403 " \
	"CRL replaced between two requests on one connection: 200, then 403"
is "$(echo "$out" | sed -n 's/^X-Test-Reason: //p' | tr '\n' ' ')" "MTLS_OK MTLS_E_REVOKED " \
	"the second is MTLS_E_REVOKED"
is "$(($(kept alice) - k0))" 2 "the first of the two was a kept decision"

# A map file edited in place: the next request maps to the new account,
# then to one that does not exist.
# shellcheck disable=SC2046
get $(cert good-rsa)
# shellcheck disable=SC2046
get $(cert good-rsa)
is "$status $user" "200 alice" "map file: alice by CN, kept"
k0=$(kept alice)
printf 'alice erin\n' > "$W/users.map"
# shellcheck disable=SC2046
get $(cert good-rsa)
is "$status $user $(($(kept alice) - k0))" "200 erin 0" "map file edited: the next request maps to erin"
printf 'alice nobody-such\n' > "$W/users.map"
# shellcheck disable=SC2046
get $(cert good-rsa)
is "$status $user $reason" "403  MTLS_E_USER_UNKNOWN" "map file edited again: a missing account, 403"
printf '# CN -> account\n' > "$W/users.map"

# Refusals are never kept: each one is the module's decision.
r0=$(refusals MTLS_E_REVOKED) k0=$(grep -c "kept decision" "$LOG")
# shellcheck disable=SC2046
get $(cert revoked)
# shellcheck disable=SC2046
get $(cert revoked)
is "$status $reason $(($(refusals MTLS_E_REVOKED) - r0)) $(($(grep -c "kept decision" "$LOG") - k0))" \
	"403 MTLS_E_REVOKED 2 0" "a refused certificate is decided anew every time"

# The TTL: a responder keeping decisions two seconds.
env LD_PRELOAD="$SAN_PRELOAD libpam_wrapper.so libnss_wrapper.so" PAM_WRAPPER=1 \
	PAM_WRAPPER_SERVICE_DIR="$WORK/services" PAM_WRAPPER_DEBUGLEVEL=2 \
	perl "$MTLS_SRCDIR/tests/fcgi_launch.pl" "$W/ttl.sock" "$W/ttl.pid" \
	"$MTLS_BUILDDIR/mtls-fastcgi" --service nginx --cache-ttl 2 \
	2>>"$W/logs/ttl.log" &
ttl_launcher=$!
PIDS+=("$ttl_launcher")
for _ in $(seq 50); do [ -S "$W/ttl.sock" ] && [ -s "$W/ttl.pid" ] && break; sleep 0.1; done
ttl_ask() { perl "$MTLS_SRCDIR/tests/fcgi_raw.pl" "$W/ttl.sock" "cert=$PKI/good-ec.pem"; }
ttl_full() { grep -c 'auth service=nginx result=accept reason=MTLS_OK user="bob"' "$W/logs/ttl.log"; }
codes=$({ ttl_ask; ttl_ask; ttl_ask; } | tr '\n' ' ')
is "$codes$(ttl_full) $(grep -c 'kept decision' "$W/logs/ttl.log")" \
	"200 200 200 2 1" "TTL 2 s: decided, decided and kept, kept"
sleep 2.2
is "$(ttl_ask) $(ttl_full) $(grep -c 'kept decision' "$W/logs/ttl.log")" \
	"200 3 1" "TTL 2 s: after 2.2 s decided again"
# SIGKILL: a launcher ending normally under the sanitizers would report
# perl's own leaks into the log checked below.
kill -9 "$ttl_launcher" "$(cat "$W/ttl.pid")"

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
san=$(grep -lE "Sanitizer|runtime error:" "$W/logs/responder.log" "$W/logs/ttl.log" 2>/dev/null)
is "$san" "" "no sanitizer report from the responder"
done_testing
