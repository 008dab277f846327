#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# mtls-crl-fetch against a loopback HTTP server: a good CRL is installed
# and used by the next login; a badly signed, stale, garbage, replayed or
# missing answer keeps the old CRL and fails naming the CA and the URL;
# 304 Not Modified keeps it quietly.  Then what mtls-check --lint and
# --health say about the same CRLs, with their exit codes.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
FETCH=$MTLS_BUILDDIR/mtls-crl-fetch
INTER="O=pam_mtls test,CN=pam_mtls Test Intermediate"
hash() { openssl x509 -noout -subject_hash -in "$PKI/$1.pem"; }
stem() { # the installed name: subject hash, first 4 bytes of SHA-256(SPKI)
	echo "$(hash "$1")-$(openssl x509 -in "$PKI/$1.pem" -noout -pubkey |
		openssl pkey -pubin -outform DER | openssl dgst -sha256 -r |
		cut -c1-8).crl.pem"
}

# Our own copies of the CA databases: CRL numbers are ours to choose.
mkdir -p "$WORK/ca" "$WORK/www" "$WORK/crl"
for c in inter root inter2; do
	cp -r "$PKI/db-$c" "$PKI/$c.cnf" "$PKI/$c.pem" "$PKI/$c.key" "$WORK/ca/"
done
# mkcrl CA OUT NUMBER [faketime offset]: a DER CRL with that CRL number
# (openssl ca wants an even number of hex digits).
mkcrl() {
	(cd "$WORK/ca" && printf '%X\n' "$3" > "db-$1/crlnumber" &&
	if [ -n "${4:-}" ]; then
		faketime -f "$4" openssl ca -config "$1.cnf" -gencrl -out "$2.pem"
	else
		openssl ca -config "$1.cnf" -gencrl -out "$2.pem"
	fi 2>/dev/null && openssl crl -in "$2.pem" -outform DER -out "$2")
}
mkcrl inter "$WORK/inter-old.der" 5000
mkcrl inter "$WORK/inter-good.der" 6000
mkcrl inter "$WORK/inter-stale.der" 7000 -40d
mkcrl root "$WORK/www/root.crl" 6000
mkcrl inter2 "$WORK/www/inter2.crl" 6000
openssl crl -in "$PKI/wrongkey.crl" -outform DER -out "$WORK/inter-badsig.der"
head -c 3000 /dev/urandom > "$WORK/inter-garbage.der"

# serve FILE: what http://.../inter.crl answers from now on, newer than
# the installed copy so that If-Modified-Since does not hide it.
serve() {
	cp "$1" "$WORK/www/inter.crl"
	touch -d "@$(($(date +%s) + 120))" "$WORK/www/inter.crl"
}

# A static server (it answers If-Modified-Since with 304), a listener that
# never answers, and a port nobody listens on.
cat > "$WORK/serve.py" <<'PY'
import functools, http.server, socket, sys, time
mode, portfile = sys.argv[1], sys.argv[2]
if mode == "silent":
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    open(portfile, "w").write(str(s.getsockname()[1]))
    time.sleep(600)
elif mode == "always304":
    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(304)
            self.end_headers()
        def log_message(self, *a):
            pass
    srv = http.server.HTTPServer(("127.0.0.1", 0), H)
    open(portfile, "w").write(str(srv.server_address[1]))
    srv.serve_forever()
elif mode == "closed":
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    open(portfile, "w").write(str(s.getsockname()[1]))
else:
    h = functools.partial(http.server.SimpleHTTPRequestHandler,
                          directory=sys.argv[3])
    h.func.log_message = lambda *a: None
    srv = http.server.HTTPServer(("127.0.0.1", 0), h)
    open(portfile, "w").write(str(srv.server_address[1]))
    srv.serve_forever()
PY
start() { # start MODE NAME [DIR]: sets PORT_NAME
	python3 "$WORK/serve.py" "$1" "$WORK/$2.port" "${3:-}" &
	PIDS="${PIDS:-} $!"
	for _ in $(seq 50); do [ -s "$WORK/$2.port" ] && break; sleep 0.1; done
	eval "PORT_$2=$(cat "$WORK/$2.port")"
}
trap 'kill $PIDS 2>/dev/null; rm -rf "$WORK"' EXIT
start static web "$WORK/www"
start silent hang
start always304 n304
python3 "$WORK/serve.py" closed "$WORK/closed.port"
PORT_closed=$(cat "$WORK/closed.port")
BASE=http://127.0.0.1:$PORT_web

# conf URL-FOR-INTER [extra lines]
conf() {
	write_config "$WORK/c.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_dir = $WORK/crl
crl_url = $(hash inter) $1, $(hash root) $BASE/root.crl, $(hash inter2) $BASE/inter2.crl
map = by_cn
${2:-}
[map by_cn]
source = cn
lookup = local
CONF
}
service fetched config="$WORK/c.conf"
INSTALLED=$WORK/crl/$(stem inter)

# fetch: runs the tool; sets rc, out, err.
fetch() {
	out=$("$FETCH" --config "$WORK/c.conf" --timeout 2 "$@" 2>"$WORK/err")
	rc=$?
	err=$(cat "$WORK/err")
}
# kept DESCRIPTION: the installed CRL is the last good one.
kept() { cmp -s "$INSTALLED" "$WORK/installed.before" && ok "$1: old CRL kept" || not_ok "$1: old CRL kept"; }

conf "$BASE/inter.crl"
serve "$WORK/inter-old.der"
fetch
is "$rc:$err" "0:" "first fetch: exit 0, nothing on stderr"
is "$out" "" "quiet when not on a terminal"
is "$(ls "$WORK/crl" | sort | tr '\n' ' ')" "$( (stem inter; stem inter2; stem root) | sort | tr '\n' ' ')" \
	"one CRL per CA, named by subject hash and key"
is "$(stat -c %a:%U "$INSTALLED")" "644:root" "installed 0644, owned by root"
like "$(openssl crl -in "$INSTALLED" -noout -crlnumber)" "crlNumber=0x1388" "the CRL served is the one installed"

auth_revoked() {
	out=$(pamwrap "$MTLS_AUTH" --service fetched --cert-file "$PKI/revoked.pem" 2>&1)
	rc=$?
}
auth_revoked
is "$rc" 1 "login with the fetched CRL: revoked certificate exit 1"
like "$out" "refused: MTLS_E_REVOKED \(Authentication failure\)" "the fetched CRL refuses it with MTLS_E_REVOKED"
out=$(pamwrap "$MTLS_AUTH" --service fetched --cert-file "$PKI/good-ec.pem" 2>/dev/null)
is "$?:$out" "0:bob" "and a good certificate is accepted through the fetched CRLs"

serve "$WORK/inter-good.der"
fetch --verbose
is "$rc" 0 "a newer CRL: exit 0"
like "$out" "^$INTER: installed $WORK/crl/$(stem inter) \(2 entries, CRL number 6000, nextUpdate in 7[12][0-9] hours\)" "--verbose says what it installed"
like "$out" "^3 CA\(s\): 1 installed, 2 not modified, 0 failed, 0 without CRL checking$" "--verbose counts"
cp "$INSTALLED" "$WORK/installed.before"

# Not modified: the server's copy is older than the installed one.
touch -d '2020-01-01' "$WORK/www/inter.crl" "$WORK/www/root.crl" "$WORK/www/inter2.crl"
fetch --verbose
is "$rc:$err" "0:" "304 Not Modified: exit 0"
like "$out" "^$INTER: not modified$" "304 Not Modified is reported"
like "$out" "0 installed, 3 not modified" "every CA not modified"
kept "304"
# 304 for a CRL that is past its nextUpdate by now (40 days on): no success.
out=$(faketime -f +40d "$FETCH" --config "$WORK/c.conf" --timeout 2 2>&1)
is "$?" 1 "304 but the installed CRL is stale: exit 1"
like "$out" "^mtls-crl-fetch: CA '$INTER': $BASE/inter.crl: not modified, and the installed CRL is unusable \(stale: past its nextUpdate\); keeping the installed CRL$" \
	"304 but stale: said so"
kept "304 but stale"

# failing WHAT FILE MESSAGE-REGEX
failing() {
	serve "$2"
	fetch
	is "$rc" 1 "$1: exit 1"
	like "$err" "^mtls-crl-fetch: CA '$INTER': $BASE/inter.crl: $3; keeping the installed CRL$" "$1: message names the CA and the URL"
	kept "$1"
}
failing "badly signed CRL" "$WORK/inter-badsig.der" "not signed by the CA's key"
failing "stale CRL" "$WORK/inter-stale.der" "stale: past its nextUpdate"
failing "garbage" "$WORK/inter-garbage.der" "(missing asn1 encoding|the answer is not a CRL)"
failing "lower CRL number" "$WORK/inter-old.der" "CRL number 5000 is lower than the installed 6000 \(a replayed CRL\)"
failing "a CRL of another CA" "$WORK/www/root.crl" "issued by another CA"

conf "http://127.0.0.1:$PORT_closed/inter.crl"
fetch
is "$rc" 1 "connection refused: exit 1"
like "$err" "^mtls-crl-fetch: CA '$INTER': http://127.0.0.1:$PORT_closed/inter.crl: .*; keeping the installed CRL$" "connection refused: message names the CA and the URL"
kept "connection refused"

conf "http://127.0.0.1:$PORT_hang/inter.crl"
t0=$(date +%s)
fetch
t1=$(date +%s)
is "$rc" 1 "silent server: exit 1"
like "$err" "^mtls-crl-fetch: CA '$INTER': http://127.0.0.1:$PORT_hang/inter.crl: transfer timeout; keeping the installed CRL$" "silent server: transfer timeout"
[ $((t1 - t0)) -le 4 ] && ok "silent server: bounded by --timeout 2 ($((t1 - t0))s)" || not_ok "silent server: took $((t1 - t0))s"
kept "silent server"

# A server that says 304 when nothing was installed (no If-Modified-Since).
mkdir -p "$WORK/crl-empty"
sed "s|^crl_dir = .*|crl_dir = $WORK/crl-empty|" "$WORK/c.conf" > "$WORK/in"
write_config "$WORK/c.conf" < "$WORK/in"
sed -i "s|$(hash inter) http://[^,]*|$(hash inter) http://127.0.0.1:$PORT_n304/inter.crl|" "$WORK/c.conf"
fetch
is "$rc" 1 "304 to an unconditional request: exit 1"
like "$err" "^mtls-crl-fetch: CA '$INTER': http://127.0.0.1:$PORT_n304/inter.crl: 304 Not Modified to an unconditional request; no CRL installed$" \
	"304 to an unconditional request: refused"
is "$(ls "$WORK/crl-empty" | grep -c "^$(hash inter)-")" 0 "304 to an unconditional request: nothing installed"

# A CA whose certificate names its distribution point: no crl_url needed.
(cd "$WORK/ca" && cat > cdp.ext <<EXT
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
crlDistributionPoints = URI:ldap://ldap.invalid/cn=cdp,URI:$BASE/cdp.crl
EXT
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout cdp.key -subj "/CN=CDP Test CA" -days 30 -extensions cdp \
		-config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[cdp]\n'; cat cdp.ext) \
		-out cdp.pem 2>/dev/null &&
	mkdir -p db-cdp && : > db-cdp/index.txt && echo 01 > db-cdp/crlnumber &&
	sed -e 's/db-inter/db-cdp/g; s/inter\.pem/cdp.pem/; s/inter\.key/cdp.key/' inter.cnf > cdp.cnf)
mkcrl cdp "$WORK/www/cdp.crl" 16
mkdir -p "$WORK/crl-cdp"
write_config "$WORK/c.conf" <<CONF
ca_file = $WORK/ca/cdp.pem
crl_dir = $WORK/crl-cdp
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
fetch --verbose
is "$rc:$err" "0:" "CA with a distribution point: exit 0"
like "$out" "^CN=CDP Test CA: fetching $BASE/cdp.crl$" "the http:// distribution point is used, the ldap:// one skipped"
like "$out" "CN=CDP Test CA: installed $WORK/crl-cdp/.*\(0 entries, CRL number 16, " "its CRL is installed"

# No URL at all: the test CAs have no distribution point.
write_config "$WORK/c.conf" <<CONF
ca_file = $PKI/ca.pem
crl_dir = $WORK/crl
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
fetch
is "$rc" 1 "no distribution point and no crl_url: exit 1"
like "$err" "^mtls-crl-fetch: CA 'O=pam_mtls test,CN=pam_mtls Test Root': no http:// CRL distribution point; add 'crl_url = $(hash root) http://...'$" \
	"no URL: says which crl_url line to add"
{ echo "crl_url = 1234 http://x"; cat "$WORK/c.conf"; } > "$WORK/in"; write_config "$WORK/c.conf" < "$WORK/in"
fetch
is "$rc" 2 "a bad crl_url: exit 2"
like "$err" "^mtls-crl-fetch: $WORK/c.conf:1: crl_url: '1234' is not a CA subject hash" "a bad crl_url: file:line"

# --- mtls-check --lint: what the config points at --------------------------
# lint_conf CRL-LINES [more]: the standard CAs with these CRL sources.
lint_conf() {
	write_config "$WORK/l.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
$1
map = by_cn
${2:-}
[map by_cn]
source = cn
lookup = local
CONF
	out=$("$MTLS_CHECK" --config "$WORK/l.conf" --lint 2>&1)
	rc=$?
}
L=$WORK/l.conf
ROOT="O=pam_mtls test,CN=pam_mtls Test Root"
lint_conf "crl_dir = $WORK/crl"
is "$rc" 0 "lint: the fetched CRLs cover every CA: exit 0"
like "$out" "OK \(0 profile\(s\), 1 map rule\(s\)\)" "lint: clean summary"
lint_conf "crl_dir = $WORK/crl.misspelt"
is "$rc" 2 "lint: misspelled crl_dir: exit 2"
like "$out" "^$L:3: crl_dir: $WORK/crl.misspelt: No such file or directory$" "lint: misspelled crl_dir named with its line"
lint_conf "crl_file = $WORK/missing.pem"
is "$rc" 2 "lint: missing crl_file: exit 2"
like "$out" "^$L:3: crl_file: $WORK/missing.pem: " "lint: missing crl_file named with its line"
lint_conf "crl_file = $PKI/crl-noleafcrl.pem"
is "$rc" 2 "lint: a CA without a CRL: exit 2"
like "$out" "^$L:2: intermediates_file: CA '$INTER' \($(hash inter)\): no CRL in crl_file or crl_dir$" "lint: names the CA without a CRL"
lint_conf "crl_file = $PKI/crl-stale.pem"
is "$rc" 2 "lint: stale CRL: exit 2"
like "$out" "^$L:2: intermediates_file: CA '$INTER' \($(hash inter)\): $PKI/crl-stale.pem: CRL stale: past its nextUpdate \(nextUpdate " "lint: stale CRL named"
lint_conf "crl_file = $PKI/crl-wrongkey.pem"
is "$rc" 2 "lint: badly signed CRL: exit 2"
like "$out" "^$L:2: intermediates_file: CA '$INTER' \($(hash inter)\): its CRL is not signed by its key$" "lint: badly signed CRL named"
cp "$WORK/inter-garbage.der" "$WORK/garbage.crl"
lint_conf "crl_file = $WORK/garbage.crl"
is "$rc" 2 "lint: unparseable CRL file: exit 2"
like "$out" "^$L:3: crl_file: $WORK/garbage.crl: " "lint: unparseable CRL file named"
mkdir -m 0777 "$WORK/crl-open"
lint_conf "crl_dir = $WORK/crl-open"
like "$out" "^$L:3: crl_dir: $WORK/crl-open: directory must not be writable by group or others$" "lint: a world-writable crl_dir is refused"
lint_conf "crl_dir = $WORK/crl" "[profile vpn]
crl_dir = $WORK/crl.vpn"
is "$rc" 2 "lint: a profile's misspelled crl_dir: exit 2"
like "$out" "^$L:6: crl_dir: $WORK/crl.vpn: No such file or directory$" "lint: the profile's line is named"
lint_conf "crl_file = $PKI/crl-stale.pem" "revocation = none"
is "$rc" 0 "lint: revocation = none needs no CRL per CA"
# The shipped sample, paths pointed at the test PKI.
sed -e "s|/etc/ssl/mtls/ca.pem|$PKI/ca.pem|; s|/etc/ssl/mtls/intermediates.pem|$PKI/chain.pem|; s|/etc/ssl/mtls/crl|$PKI/crl.d|" \
	"$MTLS_SRCDIR/conf/mtls.conf" | write_config "$WORK/sample.conf"
out=$("$MTLS_CHECK" --config "$WORK/sample.conf" --lint 2>&1)
is "$?" 0 "lint: conf/mtls.conf with the test PKI's CRLs lints clean"

# --- mtls-check --health: 0 fine, 1 warning, 2 failing ---------------------
health() {
	out=$("$MTLS_CHECK" --config "$WORK/l.conf" --health "$@" 2>&1)
	rc=$?
}
lint_conf "crl_dir = $WORK/crl" "crl_url = $(hash inter) $BASE/inter.crl"
health
is "$rc" 0 "health: fresh CRLs: exit 0"
like "$out" "^ok +CA $INTER \($(hash inter), global\): expires in [0-9]+ days$" "health: the CA and its days to expiry"
like "$out" "^ok +CRL $INSTALLED: nextUpdate in 7[0-9][0-9] hours, 2 entries, CRL number 6000, source $BASE/inter.crl, fetched [0-9T:-]+Z$" \
	"health: the CRL's hours, entries, number, source and fetch time"
like "$out" "^ok: 3 CA\(s\)$" "health: summary"
health --json
is "$rc" 0 "health --json: exit 0"
like "$out" "\"subject\":\"$INTER\",\"hash\":\"$(hash inter)\",\"policy\":\"global\",\"status\":\"ok\",\"ca_days_left\":[0-9]+,\"crl_checked\":true,\"crl_path\":\"$INSTALLED\",\"crl_hours_left\":7[0-9][0-9],\"crl_entries\":2,\"crl_number\":\"6000\",\"crl_fetched\":\"[0-9T:-]+Z\",\"crl_url\":\"$BASE/inter.crl\",\"problem\":\"\"" "health --json: one object per CA"
printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["status"] != "ok" or len(d["cas"]) != 3)' &&
	ok "health --json: parses, status ok, 3 CAs" || not_ok "health --json: parses, status ok, 3 CAs"
lint_conf "crl_dir = $WORK/crl" "crl_warning_hours = 1000"
health
is "$rc" 1 "health: a CRL within crl_warning_hours: exit 1"
like "$out" "^warning +the CRL reaches its nextUpdate within crl_warning_hours$" "health: warning explained"
like "$out" "^warning: 3 CA\(s\)$" "health: warning summary"
lint_conf "crl_file = $PKI/crl-stale.pem"
health
is "$rc" 2 "health: a stale CRL: exit 2"
like "$out" "^failing +the CRL is stale: past its nextUpdate$" "health: stale explained"
lint_conf "crl_file = $PKI/crl-wrongkey.pem"
health
is "$rc" 2 "health: a badly signed CRL: exit 2"
like "$out" "^failing +the CRL in its name is not signed by the CA's key$" "health: bad signature explained"
lint_conf "crl_dir = $WORK/crl.misspelt"
health --json
is "$rc" 2 "health: a missing crl_dir: exit 2"
like "$out" "^{\"status\":\"failing\",\"error\":\"$L:3: crl_dir: $WORK/crl.misspelt: No such file or directory\"" "health --json: failing, with the load error"
lint_conf "crl_file = $WORK/garbage.crl"
health
is "$rc" 2 "health: an unparseable CRL file: exit 2"
# A CA about to expire and one expired (revocation off: only the CA counts).
(cd "$WORK" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout soon.key -subj "/CN=Soon Expiring CA" -days 10 -out soon.pem 2>/dev/null &&
	faketime '2020-01-01 00:00:00' openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	-nodes -keyout old.key -subj "/CN=Expired CA" -days 30 -out old.pem 2>/dev/null)
caconf() {
	write_config "$WORK/l.conf" <<CONF
ca_file = $1
revocation = none
map = by_cn
[map by_cn]
source = cn
lookup = local
CONF
}
caconf "$WORK/soon.pem"
health
is "$rc" 1 "health: a CA within 30 days of expiry: exit 1"
like "$out" "^warning +the CA expires in [0-9]+ days$" "health: CA expiry warning"
like "$out" "^ok +CRL not checked: revocation does not use CRLs$" "health: CRLs not checked under revocation = none"
caconf "$WORK/old.pem"
health
is "$rc" 2 "health: an expired CA: exit 2"
like "$out" "^failing +the CA has expired$" "health: expired CA"

{ good_url="crl_url = $(hash inter) $BASE/a.crl"; echo "$good_url, $(hash inter) $BASE/b.crl"; echo "revocation = none"; echo "ca_file = $PKI/ca.pem"; echo "map = by_cn"; echo "[map by_cn]"; echo "source = cn"; echo "lookup = local"; } > "$WORK/in"
write_config "$WORK/c.conf" < "$WORK/in"
out=$("$MTLS_CHECK" --config "$WORK/c.conf" --lint 2>&1)
is "$?" 2 "crl_url listing a CA twice: exit 2"
like "$out" "^$WORK/c.conf:1: crl_url: $(hash inter) is listed twice$" "crl_url listing a CA twice: file:line"
sed -i "1s|.*|crl_url = $(hash inter) https://x/a.crl|" "$WORK/c.conf"
out=$("$MTLS_CHECK" --config "$WORK/c.conf" --lint 2>&1)
like "$out" "^$WORK/c.conf:1: crl_url: 'https://x/a.crl' is not one http:// URL$" "crl_url with https://: refused at load"

# The shipped units, as installed (only the binary's path substituted), and
# the cron line of the man page runs the same command as the service.
mkdir -p "$WORK/units"
sed "s|/usr/sbin/mtls-crl-fetch|$FETCH|" "$MTLS_SRCDIR/conf/systemd/mtls-crl-fetch.service" > "$WORK/units/mtls-crl-fetch.service"
cp "$MTLS_SRCDIR/conf/systemd/mtls-crl-fetch.timer" "$WORK/units/"
out=$(systemd-analyze verify --man=no "$WORK/units/mtls-crl-fetch.service" "$WORK/units/mtls-crl-fetch.timer" 2>&1)
rc=$?
is "$rc:$(printf '%s\n' "$out" | grep mtls-crl-fetch)" "0:" "systemd-analyze verify: the service and timer are clean"
exec_start=$(sed -n 's/^ExecStart=//p' "$MTLS_SRCDIR/conf/systemd/mtls-crl-fetch.service")
cron=$(sed -n 's/^17 \* \* \* \* root //p' "$MTLS_SRCDIR/docs/mtls-crl-fetch.8" | sed 's/\\-/-/g')
is "$cron" "$exec_start" "the documented cron line runs what the service runs"
# The service's command line under a timer: quiet, exit 0, CRLs current.
conf "$BASE/inter.crl"
serve "$WORK/inter-good.der"
out=$(${exec_start/\/usr\/sbin\/mtls-crl-fetch/$FETCH} --config "$WORK/c.conf" 2>&1)
is "$?:$out" "0:" "ExecStart as shipped: exit 0, silent"
# The documented crl_url example is accepted as written.
example=$(sed -n 's/^crl_url = /crl_url = /p' "$MTLS_SRCDIR/docs/mtls.conf.5")
{ echo "$example"; echo "revocation = none"; echo "ca_file = $PKI/ca.pem"; echo "map = by_cn"; echo "[map by_cn]"; echo "source = cn"; echo "lookup = local"; } > "$WORK/in"
write_config "$WORK/ex.conf" < "$WORK/in"
out=$("$MTLS_CHECK" --config "$WORK/ex.conf" --lint 2>&1)
is "$?" 0 "mtls.conf(5)'s crl_url example lints clean"

done_testing
