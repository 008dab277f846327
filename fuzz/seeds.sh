#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Seed corpora from the test PKI and the shipped samples:
#   fuzz/seeds.sh BUILDDIR PKI OUTDIR   -> OUTDIR/<target>/...
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$1 pki=$2 out=$3
mkdir -p "$out"/{cert_input,config,challenge,ldap_filter,nss_cache,cgi}
i=0
for c in good-ec good-rsa good-ed25519 upn meta chain crl-noleafcrl; do
	f=$pki/$c.pem
	[ -f "$f" ] || continue
	i=$((i + 1))
	cp "$f" "$out/cert_input/pem$i"
	openssl x509 -in "$f" -outform DER -out "$out/cert_input/der$i" 2>/dev/null || true
	openssl x509 -in "$f" -outform DER 2>/dev/null | base64 -w0 > "$out/cert_input/b64$i" || true
	sed 's/-/%2D/g; s/ /%20/g; s/+/%2B/g; s|/|%2F|g; s/=/%3D/g' "$f" |
		awk '{ printf "%s%%0A", $0 }' > "$out/cert_input/esc$i"
done
printf 'X-SSL-Client-Cert' > "$out/cgi/header"
printf 'MTLS_OK\r\nX-Evil: 1' > "$out/cgi/crlf"
cp "$out/cert_input/"esc* "$out/cgi/"
cp "$src/conf/mtls.conf" "$out/config/sample"
printf 'ca_file = %s/ca.pem\ncrl_file = %s/crl.pem\nmap = a, b\n[profile vpn]\nrequire_eku = clientAuth, 1.2.3.4\n[map a]\nsource = email\nlowercase = yes\nstrip_suffix = @x\nlookup = local\n[map b]\nsource = cn\nmatch = ^([a-z]+)$\nlookup = ldap\nldap_filter = (uid={key})\n' "$pki" "$pki" > "$out/config/full"
c="mtls-challenge v1 sshd host 1764000000 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
for k in good-ec good-ed25519 good-rsa; do
	"$build/mtls-sign" --host host --cert "$pki/$k.pem" --key "$pki/$k.key" \
		"$c" > "$out/challenge/answer-$k"
done
printf %s "$c" | openssl cms -sign -binary -nosmimecap -signer "$pki/good-ec.pem" \
	-inkey "$pki/good-ec.key" -outform DER | base64 -w0 > "$out/challenge/answer-cms"
echo "prompt: $c answer part 2:" > "$out/challenge/prompt"
echo "(alice@host) $c answer:" > "$out/challenge/askpass"
printf '(&(objectClass=posixAccount)(mail={key}))' > "$out/ldap_filter/f1"
printf 'x*)(uid=*\\\\;$(id)' > "$out/ldap_filter/f2"
"$build/bench/bench_nss" gen 20 "$out/nss_cache" >/dev/null 2>&1 || true
rm -f "$out/nss_cache/passwd"
