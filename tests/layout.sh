#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Layout: a part includes only its own headers, the core's (common/) and the
# cache contract (cache/).  The NSS module and the cache reader see nothing
# of the core, so they stay libc only; nothing reaches into nss_mtls/,
# pam_mtls/ or tools/ from outside.
. "$MTLS_SRCDIR/tests/lib.sh"
cd "$MTLS_SRCDIR" || exit 1

# allowed FILE: the folders whose headers FILE may include.
allowed() {
	case $1 in
	cache/cache_write.c)	echo "cache common" ;;
	cache/*)		echo "cache" ;;
	nss_mtls/*)		echo "nss_mtls cache" ;;
	common/*)		echo "common cache" ;;
	pam_mtls/* | tools/* | ldap/*)	echo "${1%%/*} common cache" ;;
	esac
}

# where HEADER: the part folders that hold a header of that name.
where() {
	local d
	for d in common cache nss_mtls pam_mtls tools ldap; do
		[ -f "$d/$1" ] && echo "$d"
	done
}

check_file() {
	local f=$1 h d ok_dirs
	ok_dirs=$(allowed "$f")
	sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
	while read -r h; do
		[ "$h" = config.h ] && continue
		d=$(where "$h")
		[ -n "$d" ] || { echo "$f: $h (no such header in any part)"; continue; }
		case " $ok_dirs " in *" $d "*) ;; *) echo "$f: $h (from $d/)" ;; esac
	done
}

files=$(source_files | grep -E '^(common|cache|nss_mtls|pam_mtls|tools|ldap)/[^/]*\.[ch]$')
n=$(printf '%s\n' "$files" | wc -l)
crossing=$(for f in $files; do check_file "$f"; done)
is "$crossing" "" "no include crosses from one part into another ($n files)"

# The build must not put another part's folder on the core's include path.
flags=$(sed -n 's/^AM_CPPFLAGS = //p' Makefile.am)
like "$flags" '^-I\$\(top_srcdir\)/common -I\$\(top_srcdir\)/cache ' \
    "the core's include path is common/ and cache/"
case $flags in
*nss_mtls* | *tools* | *pam_mtls*) not_ok "core include path reaches into a front end: $flags" ;;
*) ok "core include path names no front end folder" ;;
esac
nss=$(sed -n 's/^libnss_mtls_la_CPPFLAGS = //p' Makefile.am)
is "$nss" '-I$(top_srcdir)/cache' "the NSS module is built with cache/ only (no OpenSSL, LDAP or core headers)"
done_testing
