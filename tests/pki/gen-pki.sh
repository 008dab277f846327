#!/bin/bash
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

rm -f ./*.srl

# Ed448, for challenge answers (allowed_curves must name it); a serial of
# its own, clear of the ranges above.
( serial=$((serial + 500)); leaf good-ed448 ed448 carol client )
touch .complete
