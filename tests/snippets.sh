#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# What users copy is what the tests run: every mtls.conf snippet shipped in
# README.md and docs/*.md (a ```ini block) and every mtls.conf-style file in
# conf/ passes `mtls-check --lint` as shipped, with only the install paths
# below replaced by test files.  A block whose info string says
# "ini fragment" is linted on top of a minimal base (trust anchors,
# revocation = none) for the global keys it does not set itself.  A block
# that holds mtls.conf keys but is not marked ```ini fails: it would escape
# this test.
. "$MTLS_SRCDIR/tests/lib.sh"
cd "$MTLS_SRCDIR" || exit 1

printf 'alice alice\n' > "$WORK/users.map"
# Install path in the docs -> test file.  Keep in step with the docs: a
# path missing here makes its snippet fail, which names it.
paths() {
	sed -e "s|/etc/ssl/mtls/ca.pem|$PKI/ca.pem|g" \
	    -e "s|/etc/ssl/mtls/intermediates.pem|$PKI/chain.pem|g" \
	    -e "s|/etc/ssl/mtls/crl|$PKI/crl.d|g" \
	    -e "s|/etc/ssl/certs/ldap-ca.pem|$PKI/ca.pem|g" \
	    -e "s|/etc/security/mtls-users.map|$WORK/users.map|g"
}

# Every key the parser knows, for spotting unmarked mtls.conf blocks.
keys=$("$MTLS_CHECK" --list-keys | awk '{print $2}' | sort -u | paste -sd'|')

# blocks FILE: writes each fenced block of FILE to $WORK/snip/FILE:LINE with
# its info string in FILE:LINE.info.
blocks() {
	awk -v out="$WORK/snip/$(echo "$1" | tr / _)" '
	/^```/ {
		if (inblock) { inblock = 0; close(f); next }
		inblock = 1; f = out ":" NR
		info = substr($0, 4); print info > (f ".info"); close(f ".info")
		printf "" > f
		next
	}
	inblock { print > f }
	' "$1"
}

# lint NAME FILE: mtls-check --lint on FILE (paths replaced) as a test case.
lint() {
	paths < "$2" | write_config "$WORK/lint.conf"
	out=$("$MTLS_CHECK" --lint --config "$WORK/lint.conf" 2>&1)
	if [ $? = 0 ]; then ok "$1 lints clean"; else
		not_ok "$1 lints clean"
		echo "$out" | sed "s|^$WORK/lint.conf:|line |; s/^/#   /"
	fi
}

# with_base FRAGMENT: the base's global keys the fragment does not set,
# then the fragment.
with_base() {
	local line key
	for line in "ca_file = /etc/ssl/mtls/ca.pem" "revocation = none"; do
		key=${line%% =*}
		grep -qE "^$key[[:space:]]*=" "$1" || echo "$line"
	done
	cat "$1"
}

mkdir -p "$WORK/snip"
for doc in README.md docs/*.md; do
	blocks "$doc"
done
n=0
for f in "$WORK"/snip/*; do
	case $f in *.info | *.conf) continue ;; esac
	info=$(cat "$f.info")
	name=$(basename "$f" | sed 's|^docs_|docs/|')
	case $info in
	"ini fragment"*)
		n=$((n + 1))
		with_base "$f" > "$f.conf"
		lint "$name (fragment)" "$f.conf" ;;
	ini*)
		n=$((n + 1))
		lint "$name" "$f" ;;
	*)
		if grep -qE "^($keys)[[:space:]]*=" "$f"; then
			not_ok "$name holds mtls.conf keys but is not marked \`\`\`ini"
		fi ;;
	esac
done
like "$n" '^[1-9]' "found the ini snippets of README.md and docs/*.md ($n)"

# conf/ files whose first setting is an mtls.conf key are mtls.conf files.
for f in $(source_files | grep '^conf/'); do
	first=$(grep -vE '^[[:space:]]*(#|$)' "$f" | head -1)
	printf '%s\n' "$first" | grep -qE "^($keys)[[:space:]]*=" || continue
	lint "$f" "$f"
done
done_testing
