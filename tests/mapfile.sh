#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Map files (mtls-users.map(5)): the shipped example maps as documented,
# comments are whole lines only, and mtls-check --lint reports every line
# that reads differently from how it looks, with file:line.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts

# mapconf NAME SOURCE MAPFILE
mapconf() {
	write_config "$WORK/$1.conf" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
map = by_file
[map by_file]
source = $2
lookup = file:$3
CONF
}
check() {
	out=$(nsswrap "$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/$2.pem")
	got="$? $(jq -r '.reason + " " + (if .user == "" then "-" else .user end)' <<<"$out")"
}

# The EXAMPLE of mtls-users.map(5), exactly as shipped.
sed -n '/^\.SH EXAMPLE/,/^\.fi/p' "$MTLS_SRCDIR/docs/mtls-users.map.5" | sed '1,2d;$d' |
	write_config "$WORK/example.map"
mapconf example subject "$WORK/example.map"
check example good-ec
is "$got" "0 MTLS_OK bob" "the man page's example maps bob's subject"
check example uri
is "$got" "0 MTLS_OK frank" "the man page's example maps a subject with a blank in its CN"
out=$("$MTLS_CHECK" --config "$WORK/example.conf" --lint)
is "$?" 0 "the man page's example lints clean"

# A trailing comment is not a comment: refused at load, with file:line.
printf 'bob@example.com bob # the admin\n' | write_config "$WORK/trailing.map"
mapconf trailing email "$WORK/trailing.map"
out=$("$MTLS_CHECK" --config "$WORK/trailing.conf" --lint 2>&1)
is "$?" 2 "a '#' after a blank inside a line: configuration error"
like "$out" "trailing.map:1: '#' after a blank inside a line: comments are whole lines" "the error names file:line"
printf '  # an indented comment\nbob@example.com bob\n' | write_config "$WORK/indented.map"
mapconf indented email "$WORK/indented.map"
out=$("$MTLS_CHECK" --config "$WORK/indented.conf" --lint)
is "$?" 1 "an indented comment loads, but lint reports it"
like "$out" "indented.map:1: leading blank" "lint: leading blank before a comment"

# Lines that load but read differently from how they look.
printf '%b' 'crlf@example.com alice\r\n  lead@example.com bob\ntrail@example.com carol \n   \ntab@example.com\tdave\ntwo@example.com  erin\na#b@example.com frank\nerin@example.com alice extra\ndup@example.com alice\ndup@example.com bob\n' |
	write_config "$WORK/odd.map"
mapconf odd email "$WORK/odd.map"
out=$("$MTLS_CHECK" --config "$WORK/odd.conf" --lint)
is "$?" 1 "lint findings: exit 1"
M="$WORK/odd.map"
like "$out" "^$M:1: CRLF line ending" "lint: CRLF"
like "$out" "^$M:2: leading blank" "lint: leading blank"
like "$out" "^$M:3: trailing blank" "lint: trailing blank"
like "$out" "^$M:4: a line of blanks only" "lint: blanks only"
like "$out" "^$M:5: key and user are separated by more than one space or by a tab: read as key 'tab@example.com' for user 'dave'" "lint: tab separator"
like "$out" "^$M:6: key and user are separated by more than one space or by a tab" "lint: two spaces"
like "$out" "^$M:7: '#' inside a line is data, not a comment: read as key 'a#b@example.com' for user 'frank'" "lint: '#' inside a line"
like "$out" "^$M:8: trailing text\? a blank inside the key: read as key 'erin@example.com alice' for user 'extra'" "lint: trailing text after the user"
like "$out" "^$M:9: key 'dup@example.com' again on line 10: the certificate maps to several accounts" "lint: duplicate key"
is "$(grep -c "^$M:" <<<"$out")" 9 "lint: nine findings, no more"
done_testing
