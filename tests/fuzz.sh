#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Deterministic replay of every libFuzzer target (clang, ASan+UBSan, leak
# detection) over its committed corpus (fuzz/corpus/TARGET) and every input
# that ever crashed or leaked (fuzz/regressions/TARGET), plus seeds made
# from the test PKI: each input runs once, no mutation, so a fresh clone
# gives the same verdict every time.  Any crash, sanitizer report, leak,
# or input taking over 5 s (-timeout) fails.  Exploratory fuzzing is
# `make fuzz` (docs/SECURITY.md).
. "$MTLS_SRCDIR/tests/lib.sh"
[ "${MTLS_SANITIZERS:-no}" = yes ] &&
	skip_all "the fuzz targets carry their own sanitizers; they run in the normal build"
trap 'rm -rf "$WORK" /tmp/mtls-fuzz.*' EXIT
FZ=$MTLS_SRCDIR/fuzz
bash "$FZ/build.sh" "$MTLS_BUILDDIR" >"$WORK/build.log" 2>&1 ||
	{ not_ok "fuzz targets build: $(tail -3 "$WORK/build.log")"; done_testing; }
ok "fuzz targets build with clang -fsanitize=fuzzer,address,undefined"
make -C "$MTLS_BUILDDIR" -s bench/bench_nss mtls-sign >/dev/null 2>&1
bash "$FZ/seeds.sh" "$MTLS_BUILDDIR" "$PKI" "$WORK/seeds" >/dev/null 2>&1 ||
	not_ok "fuzz/seeds.sh makes seeds from the test PKI"

# replay TARGET: one TAP line
replay() {
	local t=$1 files n ran rc
	mapfile -t files < <(find "$FZ/corpus/$t" "$FZ/regressions/$t" \
	    "$WORK/seeds/$t" -type f 2>/dev/null | sort)
	n=${#files[@]}
	if [ "$n" -eq 0 ] || [ ! -d "$FZ/corpus/$t" ]; then
		not_ok "fuzz_$t: no committed corpus in fuzz/corpus/$t"
		return
	fi
	"$MTLS_BUILDDIR/fuzz/fuzz_$t" -rss_limit_mb=2048 -timeout=5 -runs=1 \
	    "${files[@]}" >"$WORK/$t.log" 2>&1
	rc=$?
	ran=$(grep -c '^Executed ' "$WORK/$t.log")
	if [ "$rc" = 0 ] && [ "$ran" = "$n" ]; then
		ok "fuzz_$t: $n inputs replayed, no crash or leak"
	else
		not_ok "fuzz_$t: exit $rc after $ran of $n inputs"
		grep -B2 -A15 -E '^==[0-9]+==ERROR|runtime error|^Running: ' \
		    "$WORK/$t.log" | grep -A17 -E 'ERROR|runtime error' |
		    head -30 | sed 's/^/#   /'
		grep '^Running: ' "$WORK/$t.log" | tail -1 | sed 's/^/#   /'
	fi
}

for src in "$FZ"/fuzz_*.c; do
	t=${src##*/fuzz_}
	replay "${t%.c}"
done
done_testing
