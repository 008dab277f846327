# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# A real slapd for the LDAP suites: temp config and mdb database, data
# loaded with slapadd, listening on 127.0.0.1 (ldap:// and ldaps://) with
# the test PKI's server certificate.  Sourced after lib.sh.
# start_slapd LDIF: sets LDAP_PORT, LDAPS_PORT, SLAPD_PID.
SLAPD_DIR=$WORK/slapd

listening() { [ -n "$(ss -ltnH "sport = :$1")" ]; }
free_port() {
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
wait_port() {
	for _ in $(seq 100); do
		listening "$1" && return 0
		sleep 0.1
	done
	return 1
}

start_slapd() {
	mkdir -p "$SLAPD_DIR/db"
	cat > "$SLAPD_DIR/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile $SLAPD_DIR/slapd.pid
argsfile $SLAPD_DIR/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile $PKI/ca.pem
TLSCertificateFile $PKI/server-chain.pem
TLSCertificateKeyFile $PKI/server.key
sizelimit 1000
database mdb
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw secret
directory $SLAPD_DIR/db
maxsize 1073741824
index uid,mail,cn,description eq
access to * by * read
CONF
	slapadd -q -f "$SLAPD_DIR/slapd.conf" -l "$1" 2>"$SLAPD_DIR/slapadd.log" ||
		{ echo "# slapadd failed: $(cat "$SLAPD_DIR/slapadd.log")"; return 1; }
	LDAP_PORT=$(free_port)
	LDAPS_PORT=$(free_port)
	slapd -f "$SLAPD_DIR/slapd.conf" -d 0 \
		-h "ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/" \
		>"$SLAPD_DIR/slapd.log" 2>&1 &
	SLAPD_PID=$!
	wait_port "$LDAP_PORT" && wait_port "$LDAPS_PORT" ||
		{ echo "# slapd did not start: $(tail -5 "$SLAPD_DIR/slapd.log")"; return 1; }
}

stop_slapd() {
	[ -n "${SLAPD_PID:-}" ] && kill "$SLAPD_PID" 2>/dev/null && wait "$SLAPD_PID" 2>/dev/null
	SLAPD_PID=
}

# b64 FILE.pem: the certificate's DER in base64 on one line, for LDIF.
b64der() { openssl x509 -in "$1" -outform DER | base64 -w0; }
