#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# valgrind memcheck over our code in real use: logins through libpam and
# pam_mtls.so, the NSS module over good and damaged caches, mtls-check over
# the PKI corpus.  Zero bytes definitely or indirectly lost, no invalid
# access (any memcheck error fails the run).
. "$MTLS_SRCDIR/tests/lib.sh"
[ "${MTLS_SANITIZERS:-no}" = yes ] &&
	skip_all "valgrind cannot run ASan binaries; this suite runs in the normal build"
setup_accounts
VG=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --track-fds=no)

# summary FILE: "definitely lost + indirectly lost" in bytes, 0 when clean.
lost() { awk '/definitely lost:|indirectly lost:/ { gsub(",", "", $4); s += $4 } END { print s + 0 }' "$1"; }

out=$(env LD_PRELOAD="libpam_wrapper.so libnss_wrapper.so" PAM_WRAPPER=1 \
	"${VG[@]}" --log-file="$WORK/vg-pam.log" "$MTLS_BUILDDIR/tests/load/test_load" --count 120 2>&1)
rc=$?
is "$rc $(echo "$out" | tail -1)" "0 0 wrong answers" "120 mixed logins through libpam under memcheck: no error"
is "$(lost "$WORK/vg-pam.log")" 0 "logins: 0 bytes definitely/indirectly lost"
[ "$rc" = 0 ] || sed 's/^/# /' "$WORK/vg-pam.log" | head -40

out=$(env MTLS_BUILDDIR="$MTLS_BUILDDIR" CMOCKA_MESSAGE_OUTPUT=stdout \
	"${VG[@]}" --log-file="$WORK/vg-nss.log" "$MTLS_BUILDDIR/tests/nss/test_nss" 2>&1)
rc=$?
is "$rc" 0 "the NSS suite (damaged caches, 8 threads) under memcheck: no error"
is "$(lost "$WORK/vg-nss.log")" 0 "NSS: 0 bytes definitely/indirectly lost"
[ "$rc" = 0 ] || sed 's/^/# /' "$WORK/vg-nss.log" | head -40

standard_config "$WORK/std.conf"
bad=0
for c in good-ec good-rsa expired revoked wrong-eku impostor meta upn under-revoked-inter; do
	env LD_PRELOAD=libnss_wrapper.so "${VG[@]}" --log-file="$WORK/vg-check-$c.log" \
		"$MTLS_CHECK" --config "$WORK/std.conf" --json "$PKI/$c.pem" >/dev/null 2>&1
	rc=$?
	if [ "$rc" = 99 ] || [ "$(lost "$WORK/vg-check-$c.log")" != 0 ]; then
		bad=$((bad + 1))
		sed 's/^/# /' "$WORK/vg-check-$c.log" | head -20
	fi
done
is "$bad" 0 "mtls-check over 9 certificates under memcheck: no error, nothing lost"
done_testing
