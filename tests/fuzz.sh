#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Every libFuzzer target (clang, ASan+UBSan) for FUZZ_SECONDS each (default
# 20) from seed corpora made from the test PKI.  Any crash, sanitizer report
# or leak fails.  For long runs see docs/SECURITY.md.
. "$MTLS_SRCDIR/tests/lib.sh"
[ "${MTLS_SANITIZERS:-no}" = yes ] &&
	skip_all "the fuzz targets carry their own sanitizers; they run in the normal build"
trap 'rm -rf "$WORK" /tmp/mtls-fuzz.*' EXIT
secs=${FUZZ_SECONDS:-20}
bash "$MTLS_SRCDIR/fuzz/build.sh" "$MTLS_BUILDDIR" >"$WORK/build.log" 2>&1 ||
	{ not_ok "fuzz targets build: $(tail -3 "$WORK/build.log")"; done_testing; }
ok "fuzz targets build with clang -fsanitize=fuzzer,address,undefined"
make -C "$MTLS_BUILDDIR" -s bench/bench_nss mtls-sign >/dev/null 2>&1
bash "$MTLS_SRCDIR/fuzz/seeds.sh" "$MTLS_BUILDDIR" "$PKI" "$WORK/corpus" >/dev/null 2>&1
for t in cert_input config challenge ldap_filter nss_cache cgi; do
	mkdir -p "$WORK/corpus/$t"
	"$MTLS_BUILDDIR/fuzz/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=2048 \
		-artifact_prefix="$WORK/crash-$t-" "$WORK/corpus/$t" >"$WORK/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$WORK/$t.log")
	if [ "$rc" = 0 ] && [ -n "$runs" ]; then
		ok "fuzz_$t: $runs runs in ${secs}s, no crash"
	else
		not_ok "fuzz_$t crashed (exit $rc)"
		grep -A15 -E '^==[0-9]+==ERROR|runtime error' "$WORK/$t.log" | head -30 | sed 's/^/#   /'
	fi
done
done_testing
