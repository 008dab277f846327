#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Lists kept once: what the parser names in "is not one of" messages is its
# own table (every name listed is accepted), the reason codes of reason.h
# are all in docs/design.md (with pam_result.c's PAM code) and
# mtls-check(1), and .gitignore covers every program the Makefile builds by
# pattern, not by a second list.
. "$MTLS_SRCDIR/tests/lib.sh"

# lint_with LINES...: exit code and output of --lint on a config with LINES.
lint_with() {
	{
		echo "ca_file = $PKI/ca.pem"
		echo "revocation = none"
		echo "map = m"
		echo "[map m]"
		printf '%s\n' "$@"
		echo "lookup = local"
	} | write_config "$WORK/c.conf"
	"$MTLS_CHECK" --config "$WORK/c.conf" --lint 2>&1
}

# choices KEY-LINE: the names after "is not one of" in the error for KEY-LINE.
choices() { lint_with "$@" | sed -n "s/.* is not one of //p" | tr -d ' ' | tr ',' ' '; }

# doc_para KEY: the paragraph of mtls.conf(5) that documents KEY.
doc_para() {
	# a key's own .RS/.RE list (the sources) belongs to its paragraph
	awk -v k="$1" '$0 == ".B " k { on = 1; next }
	    on && /^\.RS/ { d++ } on && /^\.RE/ { d-- }
	    on && d == 0 && /^\.(TP|SH)/ { exit } on' \
	    "$MTLS_SRCDIR/docs/mtls.conf.5"
}
# undocumented KEY NAMES...: the names missing from KEY's paragraph.
undocumented() {
	local key=$1 para n out=
	shift
	para=$(doc_para "$key")
	for n in "$@"; do
		printf '%s\n' "$para" | grep -qw -- "$n" || out="$out $n"
	done
	echo "${out# }"
}

sources=$(choices "source = nosuch")
like "$sources" '^cn subject .*issuer_serial$' "source: the error lists the parser's table"
# shellcheck disable=SC2086
is "$(undocumented source $sources)" "" "source: mtls.conf(5) documents every name the parser offers"
bad=
for s in $sources; do
	lint_with "source = $s" >/dev/null || bad="$bad $s"
done
is "$bad" "" "source: every name the error lists is accepted"

# allowed_curves is a global key: put it before the [map] section.
curve_choices() {
	printf 'allowed_curves = %s\nca_file = %s\nrevocation = none\nmap = m\n[map m]\nsource = cn\nlookup = local\n' \
	    "$1" "$PKI/ca.pem" | write_config "$WORK/c.conf"
	"$MTLS_CHECK" --config "$WORK/c.conf" --lint 2>&1
}
curves=$(curve_choices secp256k1 | sed -n "s/.* is not one of //p" | tr -d ' ' | tr ',' ' ')
like "$curves" '^P-256 .*Ed448$' "allowed_curves: the error lists the parser's table"
# shellcheck disable=SC2086
is "$(undocumented allowed_curves $curves)" "" "allowed_curves: mtls.conf(5) documents every name the parser offers"
bad=
for c in $curves; do
	# exit 1 is a lint warning (the test CA is weaker than P-384 alone):
	# only 2 means the value was refused
	curve_choices "$c" >/dev/null; [ $? -lt 2 ] || bad="$bad $c"
done
is "$bad" "" "allowed_curves: every name the error lists is accepted"

# Reason codes: kept once in common/reason.h; docs/design.md's table lists
# each with the PAM code pam_mtls/pam_result.c gives it, and mtls-check(1)
# names each.
reasons=$(sed -n '/^enum mtls_reason {/,/^};/s/^[[:space:]]*\(MTLS_[A-Z_]*\).*/\1/p' \
    "$MTLS_SRCDIR/common/reason.h" | grep -v '^MTLS_REASON_COUNT$')
like "$(echo "$reasons" | wc -l)" '^[1-9][0-9]$' "reason codes read from reason.h"
# pam_code REASON: the first PAM code pam_result.c returns for it.
pam_code() {
	awk -v r="$1" '
	/case MTLS_/ { gsub(/[:\t ]|case/, ""); lab[$0] = 1; next }
	/default:/ { dflt = 1; next }
	/return PAM_/ {
		code = $2; sub(/;/, "", code)
		if (r in lab || dflt) { print code; exit }
		delete lab
	}' "$MTLS_SRCDIR/pam_mtls/pam_result.c"
}
wrong=
bt='`'
for r in $reasons; do
	want=$(pam_code "$r")
	grep -qE "^\| $bt$r$bt \| [a-z]+ \| $bt$want$bt" "$MTLS_SRCDIR/docs/design.md" ||
	    wrong="$wrong $r:$want"
done
is "$wrong" "" "docs/design.md lists every reason code with its PAM code"
missing=
for r in $reasons; do
	grep -q "$r" "$MTLS_SRCDIR/docs/mtls-check.1" || missing="$missing $r"
done
is "$missing" "" "mtls-check(1) names every reason code"

# Every program the build makes is ignored by git (in a checkout only:
# a tarball carries no .gitignore).
if git -C "$MTLS_SRCDIR" rev-parse --show-toplevel 2>/dev/null |
    grep -qxF "$(cd "$MTLS_SRCDIR" && pwd -P)"; then
	unignored=
	for p in $(make_var bin_PROGRAMS) $(make_var sbin_PROGRAMS) \
	    $(make_var EXTRA_PROGRAMS) $(make_var check_PROGRAMS); do
		git -C "$MTLS_SRCDIR" check-ignore -q "$p" || unignored="$unignored $p"
	done
	is "$unignored" "" ".gitignore covers every program the Makefile builds"
else
	ok "# SKIP .gitignore: not a git checkout"
fi
done_testing
