#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# The tarball is complete: `make dist` (into a temp dir, so the build dir
# keeps no tarball) ships every test in TESTS, the sources of every test
# program, and every file those scripts source or read from the source
# tree.  Cheap stand-in for a distcheck with the full test list.
. "$MTLS_SRCDIR/tests/lib.sh"
# A fresh make: not the caller's `make check TESTS=...` override or jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL
make() { command make --no-print-directory "$@"; }

make -s -C "$MTLS_BUILDDIR" dist distdir="$WORK/pam_mtls" >"$WORK/dist.log" 2>&1
is "$?" 0 "make dist"
prefix=${WORK#/}/pam_mtls/
tar -tzf "$WORK/pam_mtls.tar.gz" 2>/dev/null | sed "s|^$prefix||" | sort -u > "$WORK/shipped"
like "$(wc -l < "$WORK/shipped")" '^[0-9]{3,}$' "the tarball lists its files"

# The test list as make sees it, not as a grep of Makefile.inc sees it.
tests=$(make_var TESTS)
like "$tests" 'tests/docs\.sh' "TESTS is read from the Makefile"

shipped() { grep -qxF "$1" "$WORK/shipped" || grep -q "^$1/" "$WORK/shipped"; }

# refs SCRIPT: what SCRIPT names under $MTLS_SRCDIR.
refs() {
	grep -oE '\$\{?MTLS_SRCDIR\}?/[A-Za-z0-9_./-]*[A-Za-z0-9_-]' "$MTLS_SRCDIR/$1" |
	    sed -E 's|^\$\{?MTLS_SRCDIR\}?/||' | sort -u
}

missing=
seen=" "
check() {
	local f=$1 r
	case $seen in *" $f "*) return ;; esac
	seen="$seen$f "
	shipped "$f" || missing="$missing $f"
	case $f in *.sh) for r in $(refs "$f"); do check "$r"; done ;; esac
}
n=0
for t in $tests; do
	n=$((n + 1))
	case $t in
	*.sh) check "$t" ;;
	*) check "$t.c" ;;	# a test program: its source
	esac
done
is "$missing" "" "the tarball holds all $n tests in TESTS and every file they source or read"
done_testing
