#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Builds the libFuzzer targets with clang, ASan and UBSan:
#   fuzz/build.sh BUILDDIR      (a configured build dir, for config.h)
# The targets land in BUILDDIR/fuzz/.  Run one for hours with
#   BUILDDIR/fuzz/fuzz_config -max_total_time=14400 CORPUS_DIR
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: fuzz/build.sh BUILDDIR}" && pwd)
out=$build/fuzz
mkdir -p "$out"
CC=${CLANG:-clang}
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
 -I$build -I$src/common -I$src/cache"
# The core names its LDAP module's path (Makefile.am); no target opens it.
FLAGS="$FLAGS -DMTLS_LDAP_MODULE=\"/nonexistent/mtls-ldap.so\""
LIBS="$(pkg-config --libs libcrypto libssl ldap) -llber -lpthread"
core=$(ls "$src"/common/*.c)
nss="$src/cache/cache_read.c $src/nss_mtls/passwd.c $src/nss_mtls/group.c $src/nss_mtls/initgroups.c"
nss="$nss $src/nss_mtls/nss_map.c"
for t in cert_input config challenge ldap_filter; do
	# shellcheck disable=SC2086
	$CC $FLAGS -o "$out/fuzz_$t" "$src/fuzz/fuzz_$t.c" $core "$src/cache/cache_read.c" $LIBS
done
# shellcheck disable=SC2086
$CC $FLAGS -I"$src/nss_mtls" -o "$out/fuzz_nss_cache" "$src/fuzz/fuzz_nss_cache.c" $nss
# shellcheck disable=SC2086
$CC $FLAGS -I"$src/tools" -o "$out/fuzz_cgi" "$src/fuzz/fuzz_cgi.c" "$src/tools/cgi.c" \
	$core "$src/cache/cache_read.c" $LIBS
# The CRL index reader (common/crl_index_read.c).
# shellcheck disable=SC2086
$CC $FLAGS -o "$out/fuzz_crl_index" "$src/fuzz/fuzz_crl_index.c" $core "$src/cache/cache_read.c" $LIBS
echo "fuzz targets in $out"
