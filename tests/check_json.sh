#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# mtls-check --json, field by field, against what openssl itself says.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts
standard_config "$WORK/std.conf"

field() { jq -r ".$1" <<<"$out"; }
serial() { openssl x509 -in "$PKI/$1.pem" -noout -serial | sed 's/.*=//'; }
sha256() { openssl x509 -in "$PKI/$1.pem" -noout -fingerprint -sha256 |
	sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'; }

out=$(nsswrap "$MTLS_CHECK" --config "$WORK/std.conf" --json "$PKI/good-ec.pem")
is "$?" 0 "accept exits 0"
is "$(field result)" accept "result"
is "$(field reason)" MTLS_OK "reason"
is "$(field user)" bob "user"
is "$(field rule)" by_cn "rule"
is "$(field subject)" "O=pam_mtls test,CN=bob" "subject (RFC 2253)"
is "$(field issuer)" "O=pam_mtls test,CN=pam_mtls Test Intermediate" "issuer"
is "$(field serial)" "$(serial good-ec)" "serial matches openssl x509 -serial"
is "$(field sha256)" "$(sha256 good-ec)" "sha256 matches openssl's fingerprint"
like "$(field not_after)" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "not_after"
is "$(jq -r '[.checks[].name] | join(",")' <<<"$out")" \
	"input,chain,not_ca,eku,key_usage,key,signature,revocation,mapping,account" \
	"checks are listed in order"
is "$(jq -r '[.checks[].status] | unique | join(",")' <<<"$out")" pass \
	"every check passes"

out=$(nsswrap "$MTLS_CHECK" --config "$WORK/std.conf" --json "$PKI/wrong-eku.pem")
is "$?" 1 "refusal exits 1"
is "$(field result)" refuse "refusal result"
is "$(field reason)" MTLS_E_EKU "refusal reason"
is "$(field user)" "" "no user on refusal"
like "$(field message)" "TLS Web Client Authentication .1\.3\.6\.1\.5\.5\.7\.3\.2. required" \
	"message names the missing purpose"
is "$(jq -r '.checks[] | select(.name=="eku") | .status' <<<"$out")" fail \
	"the eku check is the failing one"
is "$(jq -r '.checks[] | select(.name=="mapping") | .status' <<<"$out")" skip \
	"mapping is skipped for a refused certificate"

# Hostile text in the subject stays inside its JSON string.
out=$(nsswrap "$MTLS_CHECK" --config "$WORK/std.conf" --json "$PKI/meta.pem")
is "$(jq -r .reason <<<"$out")" MTLS_E_NO_MAPPING "metacharacter CN parses as JSON"
like "$(field subject)" 'CN=x\*\)\(uid=\*' "metacharacters survive in the subject"

out=$("$MTLS_CHECK" --config "$WORK/missing.conf" --json "$PKI/good-ec.pem")
is "$?" 2 "unreadable config exits 2"
is "$(field result) $(field reason)" "error MTLS_E_CONFIG" "config error in JSON"

# Human output: every check on its own line, then the verdict.
out=$(nsswrap "$MTLS_CHECK" --config "$WORK/std.conf" "$PKI/expired.pem")
like "$out" '\[fail\] chain +depth 0 .*certificate has expired' "human output shows the failing check"
like "$out" '^refuse  MTLS_E_EXPIRED' "human output ends with the verdict"
out=$(nsswrap "$MTLS_CHECK" --config "$WORK/std.conf" - < "$PKI/good-rsa.pem")
like "$out" '^accept  user=alice rule=by_cn$' "certificate from stdin"
"$MTLS_CHECK" --config "$WORK/std.conf" --at yesterday "$PKI/good-ec.pem" >/dev/null 2>&1
is "$?" 2 "bad --at is a usage error"
done_testing
