#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# OpenVPN 2.6 with openvpn-plugin-mtls.so: a real server (server mode,
# user nobody / group nogroup) and real clients on 127.0.0.1.  The server
# configuration is the shipped conf/openvpn/server-mtls-plugin.conf, the
# PAM service the shipped conf/pam.d/openvpn (only install paths replaced).
# Server mode needs a tun device (created, never configured: no address,
# no route); the clients use --dev null.
. "$MTLS_SRCDIR/tests/lib.sh"
. "$MTLS_SRCDIR/tests/slapd.sh"	# free_port
setup_accounts
PLUGIN=$MTLS_BUILDDIR/.libs/openvpn-plugin-mtls.so
PIDS=()
W=$WORK/ovpn
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$W"
# OpenVPN looks up its unprivileged user through nss_wrapper too.
echo 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin' >> "$WORK/passwd"
echo 'nogroup:x:65534:' >> "$WORK/group"
cat "$PKI/root.pem" "$PKI/inter.pem" "$PKI/inter2.pem" > "$W/ca-bundle.pem"

# No intermediates_file: the plugin hands over the chain OpenVPN verified.
write_config "$W/mtls.conf" <<CONF
ca_file = $PKI/ca.pem
crl_file = $PKI/crl.pem
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
mkdir -p "$WORK/services"
sed -e "s|pam_mtls.so|$MODULE|" -e "s|/etc/security/mtls.conf|$W/mtls.conf|" \
	"$MTLS_SRCDIR/conf/pam.d/openvpn" > "$WORK/services/openvpn"
# A PAM stack slower than the plugin's bound (in the account phase: the
# helper has no user name to give before pam_mtls has mapped one).
{ cat "$WORK/services/openvpn"; echo "account required pam_exec.so quiet /bin/sleep 4"; } \
	> "$WORK/services/openvpn-slow"
# The module's checks in the log, to see what the helper was given.
sed 's|$| debug|' "$WORK/services/openvpn" > "$WORK/services/openvpn-debug"
sed "s|/usr/lib/[^ ]*/openvpn-plugin-mtls.so|$PLUGIN|" \
	"$MTLS_SRCDIR/conf/openvpn/server-mtls-plugin.conf" > "$W/plugin.conf"

# start_server CONFIG: sets port, spid, hpid (the helper), slogf.
# With PAMD set, the real libpam reads $PAMD as /etc/pam.d (bind-mounted
# in a mount namespace) instead of pam_wrapper's copy of the services.
start_server() {
	local pam=(env LD_PRELOAD="$SAN_PRELOAD libpam_wrapper.so libnss_wrapper.so"
		PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR="$WORK/services"
		PAM_WRAPPER_DEBUGLEVEL=2)
	[ -z "${PAMD:-}" ] || pam=(env LD_PRELOAD="$SAN_PRELOAD libnss_wrapper.so"
		unshare -m sh -c 'mount --bind "$0" /etc/pam.d && exec "$@"' "$PAMD")
	port=$(free_port)
	slogf=$W/server-$port.log
	"${pam[@]}" openvpn --server 10.199.0.0 255.255.255.0 --topology subnet \
		--dev tun --ifconfig-noexec --route-noexec --disable-dco \
		--proto udp4 --local 127.0.0.1 --port "$port" \
		--ca "$W/ca-bundle.pem" --cert "$PKI/server-chain.pem" \
		--key "$PKI/server.key" --dh none --duplicate-cn --max-clients 100 \
		--verb 3 --config "$1" >"$slogf" 2>&1 &
	spid=$!
	PIDS+=("$spid")
	for _ in $(seq 100); do
		grep -q "Initialization Sequence Completed" "$slogf" && break
		sleep 0.1
	done
	hpid=$(sed -n 's/.*PLUGIN mtls: helper pid=\([0-9]*\) started.*/\1/p' "$slogf")
}
stop_server() { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; }

# client CERT LOG: a client in the background; cpid is its pid.
client() {
	openvpn --dev null --proto udp4 --remote 127.0.0.1 "$port" --nobind \
		--client --ca "$PKI/root.pem" --cert "$PKI/$1.pem" \
		--key "$PKI/$1.key" --remote-cert-tls server --verb 3 \
		--hand-window 20 --tls-exit --connect-retry-max 1 >"$2" 2>&1 &
	cpid=$!
	PIDS+=("$cpid")
}
results() { grep -c "PLUGIN mtls: result=" "$slogf"; }
pushed() { grep -q "PUSH: Received control message: 'PUSH_REPLY" "$1"; }

# connect CERT: one client; sets connected and line (the plugin's line).
connect() {
	local before clog=$W/client.log
	before=$(results)
	client "$1" "$clog"
	connected=no
	for _ in $(seq 150); do
		[ "$(results)" -gt "$before" ] && break
		sleep 0.1
	done
	for _ in $(seq 50); do
		pushed "$clog" && { connected=yes; break; }
		sleep 0.1
	done
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	line=$(grep "PLUGIN mtls: result=" "$slogf" | tail -n +$((before + 1)))
}
gone() { [ ! -e "/proc/$1" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }

is "$(nm -D --defined-only "$PLUGIN" | awk '{print $3}' | sort | tr '\n' ' ')" \
	"openvpn_plugin_client_constructor_v1 openvpn_plugin_client_destructor_v1 openvpn_plugin_close_v1 openvpn_plugin_func_v3 openvpn_plugin_open_v3 " \
	"the plugin exports OpenVPN's entry points only"

# The snippet in docs/frontend-openvpn.md is the sample, as tested here.
doc=$(awk '/^## The plugin/{p=1} p&&/^```/{n++; next} p&&n==1' "$MTLS_SRCDIR/docs/frontend-openvpn.md")
is "$doc" "$(grep -v '^#' "$MTLS_SRCDIR/conf/openvpn/server-mtls-plugin.conf")" \
	"the documented plugin lines are the shipped sample"

start_server "$W/plugin.conf"
like "$(cat "$slogf")" "UID set to nobody" "the server drops to user nobody"
like "$hpid" "^[0-9]+$" "the helper's pid is in the server log"
is "$(stat -c %U "/proc/$hpid" 2>/dev/null)" root "the helper keeps root after OpenVPN drops it"

connect good-ec
is "$connected" yes "good certificate: the client gets its configuration"
like "$line" "result=accept reason=MTLS_OK user=\"bob\" subject=\"O=pam_mtls test,CN=bob\" peer=127\.0\.0\.1:[0-9]+" \
	"accepted: decision, mapped user, subject and peer in OpenVPN's log"
like "$(cat "$slogf")" "PLUGIN mtls: client-connect user=\"bob\"" \
	"the mapped account reaches the client-connect hook"
like "$(cat "$slogf")" "auth service=openvpn result=accept reason=MTLS_OK user=\"bob\"" \
	"the helper ran the PAM stack (chain from OpenVPN, no intermediates_file)"
for c in revoked:MTLS_E_REVOKED:alice no-eku:MTLS_E_EKU:alice \
	unknown-user:MTLS_E_NO_MAPPING:nobody-here; do
	connect "${c%%:*}"
	r=${c#*:}
	is "$connected" no "${c%%:*}: refused"
	like "$line" "result=refuse reason=${r%%:*} subject=\"[^\"]*CN=${r#*:}\" peer=" \
		"${c%%:*}: ${r%%:*} in OpenVPN's log next to the subject"
done

# 50 clients at once: 40 good ones spread over three key types, 10 bad.
# OpenVPN calls the plugin from its one thread: decisions are serialized.
before=$(results)
n_good=0
for i in $(seq 50); do
	case $((i % 5)) in
	0) cert=revoked ;;
	1) cert=good-rsa ;;
	2) cert=good-ed25519 ;;
	*) cert=good-ec ;;
	esac
	client "$cert" "$W/many-$i-$cert.log"
	[ "$cert" = revoked ] || n_good=$((n_good + 1))
done
for _ in $(seq 600); do
	[ "$(results)" -ge $((before + 50)) ] && break
	sleep 0.1
done
sleep 2
got=0
bad_pushed=0
for f in "$W"/many-*.log; do
	case $f in
	*-revoked.log) pushed "$f" && bad_pushed=$((bad_pushed + 1)) ;;
	*) pushed "$f" && got=$((got + 1)) ;;
	esac
done
new=$(grep "PLUGIN mtls: result=" "$slogf" | tail -n +$((before + 1)))
is "$(printf '%s\n' "$new" | grep -c 'result=accept reason=MTLS_OK user="bob" subject="[^"]*CN=bob"')" 20 \
	"50 at once: 20 EC certificates accepted as bob"
is "$(printf '%s\n' "$new" | grep -c 'result=accept reason=MTLS_OK user="alice" subject="[^"]*CN=alice"')" 10 \
	"50 at once: 10 RSA certificates accepted as alice"
is "$(printf '%s\n' "$new" | grep -c 'result=accept reason=MTLS_OK user="carol" subject="[^"]*CN=carol"')" 10 \
	"50 at once: 10 Ed25519 certificates accepted as carol"
is "$(printf '%s\n' "$new" | grep -c 'result=refuse reason=MTLS_E_REVOKED')" 10 \
	"50 at once: 10 revoked certificates refused with MTLS_E_REVOKED"
is "$got" "$n_good" "50 at once: every good client got its configuration"
is "$bad_pushed" 0 "50 at once: no revoked client got one"

# A killed helper: every later connection is refused, with a clear line.
kill "$hpid"
sleep 0.3
connect good-ec
is "$connected" no "helper killed: a good certificate is refused"
like "$line" "result=refuse reason=MTLS_E_INTERNAL .*msg=\"the helper is gone: restart OpenVPN\"" \
	"helper killed: MTLS_E_INTERNAL in the log"
like "$(cat "$slogf")" "PLUGIN mtls: helper pid=$hpid is gone \(connection closed\)" \
	"helper killed: the log says the helper is gone"
connect good-rsa
is "$connected" no "helper killed: the next one is refused too"
like "$line" "result=refuse reason=MTLS_E_INTERNAL" "helper killed: still MTLS_E_INTERNAL"
stop_server

# OpenVPN stops: the helper exits with it (socket closed, or the parent's
# death signal when OpenVPN is killed outright).
start_server "$W/plugin.conf"
h=$hpid
stop_server
sleep 0.5
gone "$h" && ok "the helper exits when OpenVPN closes the plugin" || not_ok "helper $h still runs after OpenVPN stopped"
start_server "$W/plugin.conf"
h=$hpid
kill -9 "$spid"
wait "$spid" 2>/dev/null
sleep 0.5
gone "$h" && ok "the helper exits when OpenVPN is killed" || not_ok "helper $h survives a killed OpenVPN"

# A helper slower than timeout=1 is a refusal; the late answer is dropped.
sed "s|openvpn timeout=10|openvpn-slow timeout=1|" "$W/plugin.conf" > "$W/slow.conf"
start_server "$W/slow.conf"
connect good-ec
is "$connected" no "slow PAM stack: refused"
like "$line" "result=refuse reason=MTLS_E_BACKEND_DOWN .*msg=\"no answer from the helper within 1 s\"" \
	"slow PAM stack: MTLS_E_BACKEND_DOWN after the bound"
stop_server

# OpenVPN calls the plugin for the root (depth 2), the intermediate and the
# leaf: the self-signed root is not handed over, the intermediate is.
sed "s|openvpn timeout=10|openvpn-debug timeout=10|" "$W/plugin.conf" > "$W/debug.conf"
start_server "$W/debug.conf"
connect good-ec
is "$connected" yes "debug service: accepted"
like "$(cat "$slogf")" "auth check input=pass 1 certificate, 1 intermediate\(s\) supplied" \
	"the helper gets the intermediate, not the self-signed root"
like "$(cat "$slogf")" "auth check chain=pass " "and the chain still verifies"
stop_server

# Arguments are checked: an unknown one stops OpenVPN from starting.
sed "s|openvpn timeout=10|openvpn tiemout=10|" "$W/plugin.conf" > "$W/bad.conf"
start_server "$W/bad.conf"
like "$(cat "$slogf")" "PLUGIN mtls: unknown or invalid argument \"tiemout=10\"" "a misspelt argument is reported"
sleep 0.5
gone "$spid" && ok "and OpenVPN does not start" || not_ok "OpenVPN started with a bad plugin argument"
stop_server
# The real libpam with the system's /etc/pam.d (whose other names more
# modules: pam_unix on Debian) and the shipped service file.  The helper
# keeps what the stack loaded mapped between connections, and libpam still
# reads the service file at each one: a change applies to the next client.
PAMD=$W/pam.d
cp -a /etc/pam.d "$PAMD"
cp "$WORK/services/openvpn" "$PAMD/openvpn"
sed '/^map = /i deny_users = root, bob' "$W/mtls.conf" | write_config "$W/deny.conf"
service() { cat > "$PAMD/openvpn.new" && mv "$PAMD/openvpn.new" "$PAMD/openvpn"; }
start_server "$W/plugin.conf"
connect good-ec
is "$connected" yes "real libpam and /etc/pam.d: a good certificate is accepted"
like "$line" "result=accept reason=MTLS_OK user=\"bob\"" "real libpam: accepted as bob"
like "$(grep -o '/[^ ]*/pam_unix\.so' "/proc/$hpid/maps" | sort -u)" "pam_unix\.so" \
	"between connections the helper still maps pam_unix.so (from other)"
sed "s|$W/mtls.conf|$W/deny.conf|" "$WORK/services/openvpn" | service
connect good-ec
is "$connected" no "service file changed to another config: refused"
like "$line" "result=refuse reason=MTLS_E_USER_UNKNOWN subject=\"[^\"]*CN=bob\"" \
	"the changed service file applies to the next connection"
# pam_env (not in other: loaded for the first time) passes, pam_deny fails.
{ printf 'auth optional pam_env.so\nauth requisite pam_deny.so\n'
	cat "$WORK/services/openvpn"; } | service
connect good-ec
is "$connected" no "modules added in front, one that fails: refused"
like "$line" "result=refuse reason=MTLS_E_INTERNAL .*msg=\"Authentication failure\"" \
	"the added pam_deny decides at the next connection (PAM_AUTH_ERR)"
like "$(grep -o '/[^ ]*/pam_env\.so' "/proc/$hpid/maps" | sort -u)" "pam_env\.so" \
	"a module added later is kept mapped too"
service < "$WORK/services/openvpn"
connect good-ec
is "$connected" yes "service file restored: accepted again"
stop_server
unset PAMD

# In the ASan+UBSan build the plugin runs inside OpenVPN: no report.
san=$(grep -lE "Sanitizer|runtime error:" "$W"/server-*.log 2>/dev/null | head -3)
is "$san" "" "no sanitizer report in any server log"
done_testing
