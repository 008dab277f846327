#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Sums automake's "# PASS: N" lines over the given make-check logs and
# prints the closing line: "N passed, N failed[, N skipped]".
pass=0 fail=0 skip=0
for log in "$@"; do
	while read -r key n; do
		case $key in
		PASS:) pass=$((pass + n)) ;;
		FAIL: | XPASS: | ERROR:) fail=$((fail + n)) ;;
		SKIP: | XFAIL:) skip=$((skip + n)) ;;
		esac
	done < <(sed -n 's/^# \([A-Z]*:\) *\([0-9]*\)$/\1 \2/p' "$log")
done
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
