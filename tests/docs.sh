#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Documentation: every man page lints clean (man --warnings), every page is
# installed, and every key the configuration parser accepts is documented
# in mtls.conf(5).
. "$MTLS_SRCDIR/tests/lib.sh"
D=$MTLS_SRCDIR/docs
for page in "$D"/*.[158]; do
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	is "$warn" "" "$(basename "$page") renders without warnings"
done
installed=$(sed -n '/^dist_man_MANS/,/^$/p' "$MTLS_SRCDIR/Makefile.am")
for page in "$D"/*.[158]; do
	like "$installed" "docs/$(basename "$page")" "$(basename "$page") is installed by make install"
done
for prog in $(make_var bin_PROGRAMS) $(make_var sbin_PROGRAMS); do
	ls "$D/$prog".[18] >/dev/null 2>&1 && ok "$prog has a man page" || not_ok "$prog has no man page"
done
undocumented=
while read -r kind key; do
	grep -qE "^\.(B|BR) .*\b$key\b|\\\\fB$key\\\\fR" "$D/mtls.conf.5" || undocumented="$undocumented $kind:$key"
done < <("$MTLS_CHECK" --list-keys)
is "$undocumented" "" "every configuration key is documented in mtls.conf(5) ($("$MTLS_CHECK" --list-keys | wc -l) keys)"
done_testing
