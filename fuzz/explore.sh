#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Exploratory fuzzing, outside CI (`make fuzz` runs this):
#   fuzz/explore.sh BUILDDIR [TARGET...]
# Builds the targets, then runs each (all by default) for FUZZ_SECONDS
# (default 600), one at a time, from a scratch copy of its committed corpus
# and regressions plus seeds made from the test PKI when BUILDDIR has one.
# Findings land in BUILDDIR/fuzz/findings/; new coverage in
# BUILDDIR/fuzz/work/TARGET.  To keep them, see docs/SECURITY.md.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: fuzz/explore.sh BUILDDIR [TARGET...]}" && pwd)
shift
secs=${FUZZ_SECONDS:-600}
bash "$src/fuzz/build.sh" "$build" || exit 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in "$src"/fuzz/fuzz_*.c; do
		f=${f##*/fuzz_}
		targets+=("${f%.c}")
	done
fi
seeds=$build/fuzz/seeds
if [ -d "$build/tests/pki-out" ]; then
	rm -rf "$seeds"
	bash "$src/fuzz/seeds.sh" "$build" "$build/tests/pki-out" "$seeds" \
	    >/dev/null 2>&1 || true
fi
mkdir -p "$build/fuzz/findings"
rc=0
for t in "${targets[@]}"; do
	work=$build/fuzz/work/$t
	mkdir -p "$work"
	for d in "$src/fuzz/corpus/$t" "$src/fuzz/regressions/$t" "$seeds/$t"; do
		[ -d "$d" ] && cp -f "$d"/* "$work"/ 2>/dev/null
	done
	echo "fuzz_$t: ${secs}s from $(find "$work" -type f | wc -l) inputs"
	"$build/fuzz/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$build/fuzz/findings/$t-" \
	    "$work" >"$build/fuzz/$t.explore.txt" 2>&1 || {
		rc=1
		echo "fuzz_$t: FOUND something, see $build/fuzz/$t.explore.txt"
	}
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' \
	    "$build/fuzz/$t.explore.txt" | sed "s/^/fuzz_$t: /"
done
exit $rc
