#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Licence: COPYING holds the BSD-2-Clause text, and every source file
# (C, shell, make, autoconf, linker version scripts, man pages, and any
# file starting with #!) carries the SPDX line and the copyright line in
# its first lines (after a #! line).  Files are taken from git in a
# checkout, so a new file without a header fails here.
. "$MTLS_SRCDIR/tests/lib.sh"
cd "$MTLS_SRCDIR" || exit 1
SPDX='SPDX-License-Identifier: BSD-2-Clause'
COPYRIGHT='Copyright (c) 2026 The pam_mtls authors'

like "$(cat COPYING 2>&1)" 'Redistributions in binary form must reproduce' "COPYING holds the BSD-2-Clause text"
like "$(head -3 COPYING 2>&1)" "$(printf '%s' "$COPYRIGHT" | sed 's/[()]/\\&/g')" "COPYING names the copyright holder"
like "$(cat debian/copyright)" 'License: BSD-2-Clause' "debian/copyright says BSD-2-Clause"
like "$(cat debian/copyright)" 'SUBSTITUTE GOODS' "debian/copyright holds the full licence text"

# is_source FILE: the files a licence header belongs in.  What autotools
# generate into a tarball is theirs, not ours; fuzz inputs are data, even
# when the fuzzer made one start with #!.
is_source() {
	case $1 in
	build-aux/* | m4/* | autom4te.cache/* | configure | aclocal.m4 | \
	    config.h.in | Makefile.in | */Makefile.in | tests/pki-out/* | \
	    fuzz/corpus/* | fuzz/regressions/*) return 1 ;;
	*.c | *.h | *.sh | *.map | *.sym | *.am | *.ac | *.inc | \
	    docs/*.[158]) return 0 ;;
	esac
	[ -f "$1" ] && head -c 2 "$1" | grep -q '^#!'
}

n=0
missing=()
while read -r f; do
	is_source "$f" || continue
	n=$((n + 1))
	head=$(head -3 "$f")
	case $head in
	*"$SPDX"*"$COPYRIGHT"*) ;;
	*) missing+=("$f") ;;
	esac
done < <(source_files)
if [ ${#missing[@]} = 0 ]; then
	ok "all $n source files carry the SPDX and copyright lines"
else
	not_ok "${#missing[@]} of $n source files lack the SPDX or copyright line:"
	printf '#   %s\n' "${missing[@]}"
fi
done_testing
