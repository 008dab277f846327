#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Generates the test PKI with the openssl CLI: a root, an intermediate and a
# leaf for every policy case.  Nothing here is checked in; run it into an
# empty directory:  tests/pki/gen-pki.sh OUTDIR
set -euo pipefail

out=${1:?usage: gen-pki.sh OUTDIR}
mkdir -p "$out"
cd "$out"
ORG="O=pam_mtls test"
serial=4096
# The impostor section reads its key identifier from here; "hash" until known.
export REAL_SKI=hash

cat > ext.cnf <<'CNF'
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[impostor_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = ${ENV::REAL_SKI}
[inter]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server_only]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[no_eku]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[no_digsig]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_leaf]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyCertSign
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[crit_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1 = critical,DER:05:00
[upn]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:dave@EXAMPLE.COM
[email]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = email:erin@example.com
[dns]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:sensor1.iot.example.com
[ocsp]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = IP:127.0.0.1,DNS:localhost
[uri]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = URI:spiffe://example.com/ns/prod/sa/frank
CNF

key() { # key NAME TYPE
	case $2 in
	rsa*) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2#rsa}" -out "$1.key" 2>/dev/null ;;
	ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1.key" ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$1.key" ;;
	ed448) openssl genpkey -algorithm ED448 -out "$1.key" ;;
	esac
}

# sign NAME SUBJECT ISSUER EXT [extra x509 options...]
sign() {
	local name=$1 subj=$2 issuer=$3 ext=$4
	shift 4
	serial=$((serial + 1))
	openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
	openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" \
		-set_serial "$serial" -days "${DAYS:-825}" -extfile ext.cnf \
		-extensions "$ext" -out "$name.pem" "${@:--sha256}" 2>/dev/null
	rm -f "$name.csr"
}

leaf() { # leaf NAME KEYTYPE CN EXT [issuer] [x509 options]
	local name=$1 type=$2 cn=$3 ext=$4 issuer=${5:-inter}
	shift 5 2>/dev/null || shift $#
	key "$name" "$type"
	sign "$name" "/CN=$cn/$ORG" "$issuer" "$ext" "$@"
}

# Trust anchor and intermediate.
key root ec
openssl req -new -x509 -key root.key -subj "/CN=pam_mtls Test Root/$ORG" \
	-days 3650 -extensions root -config <(cat /etc/ssl/openssl.cnf ext.cnf) \
	-out root.pem -sha256 2>/dev/null
key inter ec
sign inter "/CN=pam_mtls Test Intermediate/$ORG" root inter
cp root.pem ca.pem
cp inter.pem chain.pem

# The cases: one certificate per policy outcome.
leaf good-rsa rsa2048 alice client
leaf good-ec ec bob client
leaf good-ed25519 ed25519 carol client
leaf wrong-eku ec alice server_only
leaf no-eku ec alice no_eku
leaf no-digsig ec alice no_digsig
leaf rsa1024 rsa1024 alice client
leaf sha1 ec alice client inter -sha1
leaf ca-leaf ec alice ca_leaf
leaf crit-ext ec alice crit_ext
leaf upn ec "Dave Example" upn
leaf email ec "Erin Example" email
leaf dns ec sensor1 dns
leaf uri ec "workload frank" uri
leaf unknown-user ec nobody-here client
leaf meta ec 'x*)(uid=*\\;$(id)`|&' client
leaf p384 p384 bob client
leaf server ec localhost server
cat server.pem inter.pem > server-chain.pem
DAYS=30 faketime '2020-01-01 00:00:00' bash -c "$(declare -f key sign leaf); serial=$((serial + 100)) ORG='$ORG'; leaf expired ec alice client"
# Valid from an hour from now: inside a generous clock_skew, outside zero.
faketime -f "+1h" bash -c "$(declare -f key sign leaf); serial=$((serial + 300)) ORG='$ORG'; leaf skew ec alice client"
DAYS=30 faketime '2035-01-01 00:00:00' bash -c "$(declare -f key sign leaf); serial=$((serial + 200)) ORG='$ORG'; leaf not-yet-valid ec alice client"

# An outsider CA: a different root altogether.
key other-root ec
openssl req -new -x509 -key other-root.key -subj "/CN=Other Root/O=elsewhere" \
	-days 3650 -extensions root -config <(cat /etc/ssl/openssl.cnf ext.cnf) \
	-out other-root.pem -sha256 2>/dev/null
leaf other-ca ec alice client other-root

# An impostor: same name and key identifier as our root, different key.
REAL_SKI=$(openssl x509 -in root.pem -noout -ext subjectKeyIdentifier |
	sed -n '2s/^ *//p')
export REAL_SKI
key impostor-root ec
openssl req -new -x509 -key impostor-root.key -subj "/CN=pam_mtls Test Root/$ORG" \
	-days 3650 -extensions impostor_root -config <(cat /etc/ssl/openssl.cnf ext.cnf) \
	-out impostor-root.pem -sha256 2>/dev/null
leaf impostor ec alice client impostor-root

# --- Revocation: a CA database per issuer, CRLs made with `openssl ca`. ---
# catool NAME: writes NAME.cnf for the CA whose cert/key are NAME.pem/.key.
catool() {
	mkdir -p "db-$1"
	: > "db-$1/index.txt"
	echo 1000 > "db-$1/crlnumber"
	cat > "$1.cnf" <<CACNF
[ca]
default_ca = ca_default
[ca_default]
database = db-$1/index.txt
crlnumber = db-$1/crlnumber
certificate = $1.pem
private_key = $1.key
default_md = sha256
default_crl_days = 30
unique_subject = no
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
CACNF
}
gencrl() { # gencrl CA OUT [faketime offset]
	if [ -n "${3:-}" ]; then
		faketime -f "$3" openssl ca -config "$1.cnf" -gencrl -out "$2" 2>/dev/null
	else
		openssl ca -config "$1.cnf" -gencrl -out "$2" 2>/dev/null
	fi
}

# A second intermediate, to be revoked by the root, with a leaf under it.
key inter2 ec
sign inter2 "/CN=pam_mtls Revoked Intermediate/$ORG" root inter
cat inter2.pem >> chain.pem
leaf under-revoked-inter ec bob client inter2

leaf revoked ec alice client
leaf late-revoked ec alice client
catool inter
catool root
catool inter2
# The OCSP responder knows the good leaves as valid (V) entries.
for c in good-ec good-rsa good-ed25519 late-revoked; do
	openssl ca -config inter.cnf -valid $c.pem 2>/dev/null
done
leaf ocsp ec "pam_mtls Test OCSP Responder" ocsp
openssl ca -config inter.cnf -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config root.cnf -revoke inter2.pem -crl_reason cACompromise 2>/dev/null
gencrl inter inter.crl
# The next CRL also revokes late-revoked: for re-checks after auth.
openssl ca -config inter.cnf -revoke late-revoked.pem -crl_reason superseded 2>/dev/null
gencrl inter inter-later.crl
gencrl root root.crl
gencrl inter2 inter2.crl
cat inter.crl root.crl inter2.crl > crl.pem
cat inter-later.crl root.crl inter2.crl > crl-later.pem
# The same CRLs with the intermediate's past its nextUpdate (issued 40
# days ago for 30 days).
gencrl inter inter-stale.crl -40d
cat inter-stale.crl root.crl inter2.crl > crl-stale.pem
# A CRL in the intermediate's name signed by another key.
key impostor-inter ec
openssl req -new -x509 -key impostor-inter.key -days 30 -out impostor-inter.pem \
	-subj "/CN=pam_mtls Test Intermediate/$ORG" 2>/dev/null
catool impostor-inter
gencrl impostor-inter wrongkey.crl
cat wrongkey.crl root.crl inter2.crl > crl-wrongkey.pem
# Without the intermediate's CRL at all.
cat root.crl inter2.crl > crl-noleafcrl.pem
# A directory of DER CRLs, one per issuer.
mkdir crl.d
for c in inter root inter2; do openssl crl -in $c.crl -outform DER -out crl.d/$c.der; done

# --- RFC 5280 path cases (tests/check_cases.sh): CA EKU, policy
# constraints, RSA exponents, serial numbers, pinned self-signed leaves. ---
cat >> ext.cnf <<'CNF'
[inter_eku_server]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[inter_eku_any]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = serverAuth,anyExtendedKeyUsage
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[inter_policy]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
certificatePolicies = 1.3.6.1.4.1.55555.2
policyConstraints = critical,requireExplicitPolicy:0
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_policy]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
certificatePolicies = 1.3.6.1.4.1.55555.2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[pinned]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
CNF
key inter-eku-server ec
sign inter-eku-server "/CN=pam_mtls serverAuth-only Intermediate/$ORG" root inter_eku_server
leaf under-eku-server-inter ec bob client inter-eku-server
key inter-eku-any ec
sign inter-eku-any "/CN=pam_mtls anyEKU Intermediate/$ORG" root inter_eku_any
leaf under-eku-any-inter ec bob client inter-eku-any
key inter-policy ec
sign inter-policy "/CN=pam_mtls Explicit Policy Intermediate/$ORG" root inter_policy
leaf no-policy ec bob client inter-policy
leaf with-policy ec bob client_policy inter-policy
# RSA public exponent 3 (real key), and e = 1 (a key no one can generate:
# a real modulus with e = 1, certified through -force_pubkey).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-pkeyopt rsa_keygen_pubexp:3 -out rsa-e3.key 2>/dev/null
sign rsa-e3 "/CN=alice/$ORG" inter client
modulus=$(openssl rsa -in rsa-e3.key -noout -modulus | sed 's/.*=//')
printf 'asn1=SEQUENCE:spki\n[spki]\nalg=SEQUENCE:alg\nkey=BITWRAP,SEQUENCE:rsa\n[alg]\noid=OID:rsaEncryption\nnull=NULL\n[rsa]\nn=INTEGER:0x%s\ne=INTEGER:1\n' \
	"$modulus" > rsa-e1.cnf
openssl asn1parse -genconf rsa-e1.cnf -out rsa-e1.der >/dev/null
openssl pkey -pubin -inform DER -in rsa-e1.der -out rsa-e1.pub
openssl req -new -key rsa-e3.key -subj "/CN=alice/$ORG" -out rsa-e1.csr
openssl x509 -req -in rsa-e1.csr -force_pubkey rsa-e1.pub -CA inter.pem \
	-CAkey inter.key -set_serial 8191 -days 825 -extfile ext.cnf \
	-extensions client -out rsa-e1.pem -sha256 2>/dev/null
rm -f rsa-e1.csr rsa-e1.der rsa-e1.cnf
# Serial numbers: zero, negative, 21 octets (RFC 5280 allows 1..20).
for s in 0:serial-zero -4242:serial-negative \
    0x7f0102030405060708090a0b0c0d0e0f1011121314:serial-long; do
	key "${s#*:}" ec
	openssl req -new -key "${s#*:}.key" -subj "/CN=alice/$ORG" -out "${s#*:}.csr"
	openssl x509 -req -in "${s#*:}.csr" -CA inter.pem -CAkey inter.key \
		-set_serial "${s%%:*}" -days 825 -extfile ext.cnf -extensions client \
		-out "${s#*:}.pem" -sha256 2>/dev/null
	rm -f "${s#*:}.csr"
done
# Pinned self-signed client certificates, each its own trust anchor.
pinned() { # pinned NAME KEYTYPE [x509 options]
	local name=$1 type=$2
	shift 2
	key "$name" "$type"
	openssl req -new -x509 -key "$name.key" -subj "/CN=alice/O=pinned" \
		-days 825 -extensions pinned -config <(cat /etc/ssl/openssl.cnf ext.cnf) \
		-out "$name.pem" "${@:--sha256}" 2>/dev/null
}
pinned pinned-ec ec
pinned pinned-rsa1024 rsa1024
pinned pinned-sha1 ec -sha1

# inhibitPolicyMapping: a CA that forbids mapping above one that maps
# policy .2 to .3, over a leaf with .3 only; and the same without the ban.
cat >> ext.cnf <<'CNF'
[inter_inhibit_map]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
certificatePolicies = 1.3.6.1.4.1.55555.2
policyConstraints = critical,requireExplicitPolicy:0,inhibitPolicyMapping:0
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[inter_allow_map]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
certificatePolicies = 1.3.6.1.4.1.55555.2
policyConstraints = critical,requireExplicitPolicy:0
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[inter_mapping]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
certificatePolicies = 1.3.6.1.4.1.55555.2
policyMappings = critical,1.3.6.1.4.1.55555.2:1.3.6.1.4.1.55555.3
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_policy3]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
certificatePolicies = 1.3.6.1.4.1.55555.3
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
for v in inhibit allow; do
	key "inter-$v-map" ec
	sign "inter-$v-map" "/CN=pam_mtls $v-mapping Intermediate/$ORG" root "inter_${v}_map"
	key "inter-mapping-$v" ec
	sign "inter-mapping-$v" "/CN=pam_mtls Mapping Intermediate ($v)/$ORG" "inter-$v-map" inter_mapping
	cat "inter-$v-map.pem" "inter-mapping-$v.pem" > "polmap-$v-chain.pem"
	leaf "mapped-policy-$v" ec bob client_policy3 "inter-mapping-$v"
done

# An intermediate with serial number zero: the serial rule covers CAs too.
key inter-serial-zero ec
openssl req -new -key inter-serial-zero.key -subj "/CN=pam_mtls Serial Zero Intermediate/$ORG" \
	-out inter-serial-zero.csr
openssl x509 -req -in inter-serial-zero.csr -CA root.pem -CAkey root.key -set_serial 0 \
	-days 825 -extfile ext.cnf -extensions inter -out inter-serial-zero.pem -sha256 2>/dev/null
rm -f inter-serial-zero.csr
leaf under-serial-zero-inter ec bob client inter-serial-zero
# Identity values (issue 11): several values of one source, SAN addresses
# beside a legacy subject emailAddress, more values than the limit
# (MTLS_VALUES_MAX = 16), and certificates naming system accounts.
idext() { # idext SECTION SAN
	printf '[%s]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\nsubjectAltName = %s\n' "$1" "$2" >> ext.cnf
}
UPN=otherName:1.3.6.1.4.1.311.20.2.3
idext two_emails "email:erin@example.com,email:frank@example.com"
idext email_unknown "email:erin@example.com,email:nobody-here@example.com"
idext two_upns "$UPN;UTF8:dave@EXAMPLE.COM,$UPN;UTF8:erin@EXAMPLE.COM"
idext many_emails "$(for i in $(seq 17); do printf 'email:erin%d@example.com,' "$i"; done | sed 's/,$//')"
key two-cn ec
sign two-cn "/CN=alice/CN=bob/$ORG" inter client
leaf two-emails ec "Two Emails" two_emails
leaf email-unknown ec "Email Unknown" email_unknown
leaf two-upns ec "Two UPNs" two_upns
leaf many-emails ec "Many Emails" many_emails
key email-legacy ec
sign email-legacy "/CN=Legacy/emailAddress=alice@example.com/$ORG" inter email
key email-subject ec
sign email-subject "/CN=Subject Only/emailAddress=erin@example.com/$ORG" inter client
leaf root-cn ec root client
leaf daemon-cn ec daemon client

rm -f ./*.srl

# Ed448, for challenge answers (allowed_curves must name it); a serial of
# its own, clear of the ranges above.
( serial=$((serial + 500)); leaf good-ed448 ed448 carol client )
touch .complete
