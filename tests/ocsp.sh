#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# OCSP against a real `openssl ocsp` responder on 127.0.0.1, and against
# listeners that refuse, hang or answer garbage.  Every case asserts the
# exact reason code; the hanging one also bounds the time taken.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT

# Ports are probed with ss, never by connecting: `openssl ocsp` and `nc -l`
# serve one connection at a time, and a probe would use it up.
# libfaketime preloaded directly: one process, so the PID is the server's.
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
listening() { [ -n "$(ss -ltnH "sport = :$1")" ]; }
free_port() { # a port nobody listens on now
	local p
	for _ in $(seq 50); do
		# Below the kernel's ephemeral range (32768-60999): a port some
		# client connection holds locally is not listening, so ss cannot
		# see it, and the server's bind would fail.
		p=$((10000 + RANDOM % 22000))
		listening "$p" || { echo "$p"; return; }
	done
	return 1
}
wait_port() { # wait_port PORT: up to 5 s for a listener
	for _ in $(seq 50); do
		listening "$1" && return 0
		sleep 0.1
	done
	return 1
}
# start_responder [faketime offset [validity options]]: sets OCSP_PORT and
# OCSP_PID; without -ndays/-nmin `openssl ocsp` omits nextUpdate.
start_responder() {
	local fake=${1:-+0} try
	# A port another test took between our probe and the bind: try
	# another one, up to three times.
	for try in 1 2 3; do
		OCSP_PORT=$(free_port)
		# shellcheck disable=SC2086
		env LD_PRELOAD=$FAKETIME_LIB FAKETIME="$fake" openssl ocsp -index "$PKI/db-inter/index.txt" -port "$OCSP_PORT" \
			-rsigner "$PKI/ocsp.pem" -rkey "$PKI/ocsp.key" -CA "$PKI/inter.pem" \
			${2--ndays 1} >"$WORK/ocsp.log" 2>&1 &
		OCSP_PID=$!
		PIDS+=("$OCSP_PID")
		wait_port "$OCSP_PORT" && return 0
		grep -q 'Address already in use' "$WORK/ocsp.log" || break
		echo "# port $OCSP_PORT taken (try $try), another"
	done
	echo "# responder did not start: $(cat "$WORK/ocsp.log")"
}
# ocsp_config NAME URL [extra lines]: the leaf by OCSP only, unless the
# extra lines say otherwise.
ocsp_config() {
	write_config "$WORK/$1.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
ocsp_responder = $2
ocsp_timeout = 2
${3:-revocation = ocsp
crl_check = leaf}
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
}
# check CONF CERT: sets got="exit reason" and out (the JSON).
check() {
	out=$(nsswrap "$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/$2.pem")
	got="$? $(jq -r .reason <<<"$out")"
}
revdetail() { jq -r '.checks[] | select(.name=="revocation") | .status + " " + .detail' <<<"$out"; }

start_responder
url=http://127.0.0.1:$OCSP_PORT
ocsp_config live "$url"
check live good-ec; is "$got" "0 MTLS_OK" "OCSP good: accepted"
like "$(revdetail)" "^pass .*OCSP $url" "mtls-check names the responder that answered"
check live revoked; is "$got" "1 MTLS_E_REVOKED" "OCSP revoked: refused"
like "$(revdetail)" "revoked on .* \(keyCompromise\) per OCSP" "revocation reason and time in the message"
check live email; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "responder does not know the certificate: unknown, refused"
like "$(revdetail)" "does not know this certificate" "unknown status is explained"
ocsp_config fallback "$url" "revocation = ocsp,crl
crl_check = chain"
check fallback p384; is "$got" "0 MTLS_OK" "ocsp,crl over the chain: unknown to OCSP, good by CRL"
check fallback under-revoked-inter; is "$got" "1 MTLS_E_REVOKED" "ocsp,crl over the chain: revoked intermediate found in the CRL"
ocsp_config nononce "$url" "revocation = ocsp
crl_check = leaf
ocsp_nonce = no"
check nononce good-ec; is "$got" "0 MTLS_OK" "ocsp_nonce = no still verifies the response"

# A certificate whose AIA names the responder: no ocsp_responder needed.
openssl req -new -key "$PKI/good-ec.key" -subj "/CN=bob/O=pam_mtls test" -out "$WORK/aia.csr"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\nauthorityInfoAccess=OCSP;URI:%s\n' "$url" > "$WORK/aia.ext"
openssl x509 -req -in "$WORK/aia.csr" -CA "$PKI/inter.pem" -CAkey "$PKI/inter.key" \
	-set_serial 0x1003 -days 30 -extfile "$WORK/aia.ext" -out "$WORK/aia.pem" 2>/dev/null
write_config "$WORK/aia.conf" < <(sed '/^ocsp_responder/d' "$WORK/live.conf")
out=$(nsswrap "$MTLS_CHECK" --config "$WORK/aia.conf" --json "$WORK/aia.pem")
is "$? $(jq -r .reason <<<"$out")" "0 MTLS_OK" "responder taken from the certificate's AIA"

# Cache: answers kept until nextUpdate serve while the responder is down.
mkdir -m 700 "$WORK/cache"
ocsp_config cached "$url" "revocation = ocsp
crl_check = leaf
ocsp_cache_dir = $WORK/cache"
check cached good-ec; is "$got" "0 MTLS_OK" "cache: first answer from the responder"
is "$(ls "$WORK/cache" | wc -l)" 1 "cache: one response file written"
kill "$OCSP_PID"; wait "$OCSP_PID" 2>/dev/null
check cached good-ec; is "$got" "0 MTLS_OK" "cache: answer served with the responder stopped"
like "$(revdetail)" "^pass .*OCSP cache" "mtls-check says the answer came from the cache"

# Responder down: connection refused.
check live good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "responder down: refused (fail closed)"
like "$(revdetail)" "no answer within 2s" "responder down: explained"
ocsp_config soft "$url" "revocation = ocsp
crl_check = leaf
revocation_fail = soft"
check soft good-ec; is "$got" "0 MTLS_OK" "responder down, revocation_fail = soft: accepted"
like "$(revdetail)" "^warn revocation_fail = soft" "soft failure is recorded as a warning"
service ocsp-live config="$WORK/live.conf"
out=$(pamwrap "$MTLS_AUTH" --service ocsp-live --cert-file "$PKI/good-ec.pem" 2>&1)
like "$out" "refused: MTLS_E_REVOCATION_UNKNOWN \(Authentication service cannot retrieve authentication info\)" \
	"PAM: responder down -> PAM_AUTHINFO_UNAVAIL"

# A listener that accepts and never answers: the timeout holds.
port=$(free_port)
nc -l 127.0.0.1 "$port" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$port"
ocsp_config silent "http://127.0.0.1:$port"
t0=$(date +%s%N)
check silent good-ec
elapsed=$((($(date +%s%N) - t0) / 1000000))
is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "silent responder: refused"
if [ "$elapsed" -ge 1500 ] && [ "$elapsed" -lt 4500 ]; then
	ok "silent responder: gave up after ${elapsed} ms (ocsp_timeout = 2 s)"
else
	not_ok "silent responder: took ${elapsed} ms, wanted about 2000"
fi

# Answers without nextUpdate ("always fresh"): good only while thisUpdate
# is younger than ocsp_max_age (default 300 s), from the network or the
# cache; thisUpdate in the future beyond clock_skew is refused.
# fakecheck OFFSET CONF CERT: mtls-check with the clock moved.
fakecheck() {
	out=$(env LD_PRELOAD="libnss_wrapper.so $FAKETIME_LIB" \
		FAKETIME="$1" "$MTLS_CHECK" --config "$WORK/$2.conf" --json "$PKI/$3.pem")
	got="$? $(jq -r .reason <<<"$out")"
}
start_responder +0 ""
url=http://127.0.0.1:$OCSP_PORT
ocsp_config nonext "$url"
check nonext good-ec; is "$got" "0 MTLS_OK" "no nextUpdate, thisUpdate now: accepted"
kill "$OCSP_PID"; wait "$OCSP_PID" 2>/dev/null
start_responder -10m ""
url=http://127.0.0.1:$OCSP_PORT
ocsp_config nonext "$url"
check nonext good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "no nextUpdate, thisUpdate 10 min old, ocsp_max_age 300: refused"
like "$(revdetail)" "no nextUpdate: thisUpdate older than ocsp_max_age" "the refusal names ocsp_max_age"
ocsp_config nonext900 "$url" "revocation = ocsp
crl_check = leaf
ocsp_max_age = 900"
check nonext900 good-ec; is "$got" "0 MTLS_OK" "no nextUpdate, 10 min old, ocsp_max_age = 900: accepted"
kill "$OCSP_PID"; wait "$OCSP_PID" 2>/dev/null
start_responder +1h
url=http://127.0.0.1:$OCSP_PORT
ocsp_config future "$url"
check future good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "thisUpdate 1 h in the future (clock_skew 300): refused"
kill "$OCSP_PID"; wait "$OCSP_PID" 2>/dev/null
start_responder +0 ""
url=http://127.0.0.1:$OCSP_PORT
mkdir -m 700 "$WORK/cache2"
ocsp_config nonextcache "$url" "revocation = ocsp
crl_check = leaf
ocsp_cache_dir = $WORK/cache2"
check nonextcache good-ec; is "$got" "0 MTLS_OK" "no nextUpdate: first answer from the responder"
is "$(ls "$WORK/cache2" | wc -l)" 1 "no nextUpdate: the answer is cached (for ocsp_max_age)"
kill "$OCSP_PID"; wait "$OCSP_PID" 2>/dev/null
check nonextcache good-ec; is "$got" "0 MTLS_OK" "no nextUpdate: cached answer used while young, responder stopped"
like "$(revdetail)" "^pass .*OCSP cache" "no nextUpdate: the young answer came from the cache"
fakecheck +10m nonextcache good-ec
is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "no nextUpdate: cached answer 10 min old is not replayed"

# A listener that answers garbage.
port=$(free_port)
printf 'HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 9\r\n\r\nnot-ocsp!' |
	nc -l 127.0.0.1 "$port" >/dev/null 2>&1 &
PIDS+=($!)
wait_port "$port"
ocsp_config garbage "http://127.0.0.1:$port"
check garbage good-ec; is "$got" "1 MTLS_E_REVOCATION_UNKNOWN" "garbage answer: refused"
done_testing
