#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# The on-disk CRL index (crl_cache_dir): built by the process that parsed
# and verified a CRL, used by the next one without parsing, and ignored --
# with exactly the decision the CRL itself gives -- whenever it cannot be
# trusted.  That a process answered from an index is read from its
# decision record (the "crl_index" check, "index hit FILE"), which is what
# pam_mtls logs at debug level.  Every case asserts exit status and reason.
. "$MTLS_SRCDIR/tests/lib.sh"
setup_accounts

# mkcase NAME [EXTRA CONFIG LINE]: a root-owned crl_dir NAME holding one
# CRL per CA, an empty index directory NAME.cache (0700), NAME.conf using
# both, and a PAM service NAME.
mkcase() {
	local name=$1
	mkdir -m 755 "$WORK/$name"
	cp "$PKI/inter.crl" "$PKI/root.crl" "$PKI/inter2.crl" "$WORK/$name/"
	mkdir -m 700 "$WORK/$name.cache"
	standard_config "$WORK/$name.conf" "crl_cache_dir = $WORK/$name.cache
${2:-}"
	sed -i "s|^crl_file = .*|crl_dir = $WORK/$name|" "$WORK/$name.conf"
	service "$name" config="$WORK/$name.conf"
}
# check NAME CERT: got="exit reason", out = the JSON record.
check() {
	out=$(nsswrap "$MTLS_CHECK" --config "$WORK/$1.conf" --json "$PKI/$2.pem")
	got="$? $(jq -r .reason <<<"$out")"
}
hit() { jq -r '.checks[] | select(.name=="crl_index") | .detail' <<<"${1:-$out}"; }
revdetail() { jq -r '.checks[] | select(.name=="revocation") | .status + " " + .detail' <<<"$out"; }
# auth NAME CERT: rc and out of one mtls-auth process (PAM, pam_wrapper).
auth() {
	out=$(pamwrap "$MTLS_AUTH" --service "$1" --cert-file "$PKI/$2.pem" 2>&1)
	rc=$?
}
# idx NAME FILE: the index of crl_dir NAME's FILE.
idx() {
	printf '%s/%s.idx' "$WORK/$1.cache" \
		"$(printf '%s' "$WORK/$1/$2" | sha256sum | cut -d' ' -f1)"
}
# flip FILE OFFSET: inverts one byte in place.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((b ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# --- Built by the first process, used by the next ---------------------
mkcase a
check a revoked
is "$got" "1 MTLS_E_REVOKED" "first process: revoked (CRL parsed)"
is "$(hit)" "" "first process: no index yet, so no index hit"
first=$(revdetail)
is "$(stat -c %a:%U "$(idx a inter.crl)")" "644:root" "the verified CRL's index is written, 0644 root"
is "$(ls "$WORK/a.cache" | grep -c '\.idx$')" 2 "only the CRLs that decided are indexed (the intermediate's and the root's)"
check a revoked
is "$got" "1 MTLS_E_REVOKED" "second process: revoked"
like "$(hit)" "index hit .*$WORK/a/inter\.crl" "second process: answered from the index of inter.crl"
is "$(revdetail)" "$first" "same revocation record as from the parsed CRL (date, reason, file)"
check a good-ec
is "$got" "0 MTLS_OK" "good certificate through the index: accepted"
like "$(hit)" "index hit .*$WORK/a/inter\.crl" "good certificate: index hit"
check a under-revoked-inter
is "$got" "1 MTLS_E_REVOKED" "a revoked intermediate found in the root's index"
auth a revoked
is "$rc" 1 "PAM through the index: revoked certificate exit 1"
like "$out" "refused: MTLS_E_REVOKED \(Authentication failure\)" "PAM through the index: MTLS_E_REVOKED"
auth a good-ec
is "$rc:$(tail -n1 <<<"$out")" "0:bob" "PAM through the index: good certificate accepted"

# --- A CRL replaced at the same path is seen by the very next login ------
cp "$PKI/inter-later.crl" "$WORK/a/inter.crl"
check a late-revoked
is "$got" "1 MTLS_E_REVOKED" "CRL rewritten in place: the next login sees the new entry"
is "$(hit | grep -c "a/inter.crl")" 0 "the old index is not used for the new file"
check a late-revoked
is "$got" "1 MTLS_E_REVOKED" "and the login after that, from the fresh index"
like "$(hit)" "a/inter\.crl" "the rewritten index is used"
cp "$PKI/inter.crl" "$WORK/inter.new"
mv "$WORK/inter.new" "$WORK/a/inter.crl"
check a late-revoked
is "$got" "0 MTLS_OK" "CRL renamed over (older content): the next login sees it"
# Same size and modification time, other content: only the change time
# tells (a restored backup, touch -r).
cp -p "$WORK/a/inter.crl" "$WORK/keep.crl"
check a revoked
cp "$PKI/inter.crl" "$WORK/a/inter.crl"
touch -r "$WORK/keep.crl" "$WORK/a/inter.crl"
check a revoked
is "$got" "1 MTLS_E_REVOKED" "rewritten with the same size and mtime: decided from the file"
is "$(hit | grep -c "a/inter.crl")" 0 "the change time alone invalidates the index"

# --- An index that cannot be trusted: the decision the CRL gives --------
# damaged LABEL CMD...: a fresh case with a built index, CMD damages it,
# then a revoked and a good certificate get what the CRL says.
damaged() {
	local label=$1
	name=d$T_N
	shift
	mkcase "$name"
	check "$name" revoked
	ix=$(idx "$name" inter.crl)
	"$@"
	check "$name" revoked
	dout=$out
	is "$got" "1 MTLS_E_REVOKED" "$label: revoked certificate still refused"
	check "$name" good-ec
	is "$got" "0 MTLS_OK" "$label: good certificate accepted"
	auth "$name" revoked
	is "$rc:$(grep -c 'refused: MTLS_E_REVOKED (Authentication failure)' <<<"$out")" "1:1" \
		"$label: PAM refuses the revoked certificate (MTLS_E_REVOKED)"
}
hdr_flip() { flip "$ix" 100; }
damaged "header byte flipped" hdr_flip
is "$(hit "$dout" | grep -c inter.crl)" 0 "header byte flipped: the index is not used"
check "$name" revoked
like "$(hit)" "inter\.crl" "header byte flipped: a fresh index was written and is used"
# The one record of inter.crl's index (its only entry) is on every
# search path: the lookup finds it damaged and the parsed CRL answers.
rec_flip() { flip "$ix" $(($(stat -c %s "$ix") - 30)); }
damaged "record byte flipped (serial)" rec_flip
check "$name" revoked
is "$got" "1 MTLS_E_REVOKED" "record byte flipped: and after the rewrite"
like "$(hit)" "inter\.crl" "record byte flipped: the index was rewritten and is used again"
rec_chk_flip() { flip "$ix" $(($(stat -c %s "$ix") - 1)); }
damaged "record check bytes flipped" rec_chk_flip
trunc() { truncate -s -1 "$ix"; }
damaged "index truncated by one byte" trunc
trunc_hdr() { truncate -s 100 "$ix"; }
damaged "index truncated inside the header" trunc_hdr
version() { printf '\002' | dd of="$ix" bs=1 seek=8 conv=notrunc status=none; }
damaged "another format version" version
other_hdr() { cp "$(idx "$name" root.crl)" "$ix"; }
damaged "the index of another CRL under this name" other_hdr
is "$(hit "$dout" | grep -c inter.crl)" 0 "another CRL's index: not used for this file"
empty() { : > "$ix"; }
damaged "empty index file" empty
dir_gw() { chmod 770 "$WORK/$name.cache"; }
damaged "group-writable index directory" dir_gw
is "$(hit "$dout")" "" "group-writable directory: no index used"
dir_ow() { chmod 757 "$WORK/$name.cache"; }
damaged "world-writable index directory" dir_ow
is "$(hit "$dout")" "" "world-writable directory: no index used"
before=$(stat -c %Y.%i "$ix")
check "$name" revoked
is "$(stat -c %Y.%i "$ix")" "$before" "world-writable directory: no index written there either"
owner() { chown nobody "$ix"; }
damaged "index owned by another user" owner
is "$(hit "$dout" | grep -c inter.crl)" 0 "index owned by nobody: not used"
mode() { chmod 664 "$ix"; }
damaged "group-writable index file" mode
is "$(hit "$dout" | grep -c inter.crl)" 0 "group-writable index: not used"
link() { ln -sf "$(idx "$name" root.crl)" "$ix.tmp" && mv "$ix.tmp" "$ix"; }
damaged "index replaced by a symlink to another index" link

# --- crl_cache_dir = none ------------------------------------------------
mkcase n "crl_cache_dir = none"
sed -i "/^crl_cache_dir = .*cache$/d" "$WORK/n.conf"
check n revoked
check n revoked
is "$got" "1 MTLS_E_REVOKED" "crl_cache_dir = none: revoked"
is "$(hit)" "" "crl_cache_dir = none: no index used"
check n good-ec
is "$got" "0 MTLS_OK" "crl_cache_dir = none: good accepted"
is "$(ls "$WORK/n.cache" | wc -l)" 0 "crl_cache_dir = none: nothing written"

# --- Files with several CRLs are parsed as before -------------------------
mkdir -m 700 "$WORK/multi.cache"
standard_config "$WORK/multi.conf" "crl_cache_dir = $WORK/multi.cache"
check multi revoked
check multi revoked
is "$got" "1 MTLS_E_REVOKED" "crl_file with three CRLs: revoked"
is "$(ls "$WORK/multi.cache" | wc -l):$(hit)" "0:" "a file holding several CRLs is not indexed"

# --- A CRL past its nextUpdate, through the index -------------------------
mkcase s "revocation_fail = soft"
cp "$PKI/inter-stale.crl" "$WORK/s/inter.crl"
check s revoked
check s revoked
is "$got" "1 MTLS_E_REVOKED" "stale CRL listing the serial, soft fail, through the index: still revoked"
like "$(hit)" "s/inter\.crl" "stale-but-listed: answered from the index"
like "$(revdetail)" "past its nextUpdate: still proof of revocation" "stale-but-listed: says the CRL is stale"
check s good-ec
is "$got" "0 MTLS_OK" "stale CRL, not listed, soft fail: accepted"
like "$(revdetail)" "^warn .*MTLS_E_CRL_STALE" "stale CRL, soft: accepted with a warning"
sed -i "/^revocation_fail = soft$/d" "$WORK/s.conf"
check s good-ec
is "$got" "1 MTLS_E_CRL_STALE" "stale CRL, fail closed, through the index: MTLS_E_CRL_STALE"
like "$(hit)" "s/inter\.crl" "stale, closed: from the index"

# --- Built by mtls-crl-fetch --index-only ----------------------------------
mkcase f
"$MTLS_BUILDDIR/mtls-crl-fetch" --config "$WORK/f.conf" --index-only --verbose > "$WORK/f.out" 2>&1
is "$?" 0 "mtls-crl-fetch --index-only: exit 0"
like "$(cat "$WORK/f.out")" "indexed $WORK/f/inter\.crl in $WORK/f\.cache" "--index-only says what it indexed"
like "$(cat "$WORK/f.out")" "3 CRL file\(s\) indexed, 0 failed" "--index-only: the three CA's CRLs"
check f revoked
is "$got" "1 MTLS_E_REVOKED" "after --index-only: revoked"
like "$(hit)" "f/inter\.crl" "after --index-only: the very first login uses the index"
chmod 770 "$WORK/f.cache"
err=$("$MTLS_BUILDDIR/mtls-crl-fetch" --config "$WORK/f.conf" --index-only 2>&1)
is "$?" 1 "--index-only into a group-writable directory: exit 1"
like "$err" "cannot index .*f\.cache" "and it says why"

# --- The early warning: a CRL within crl_warning_hours of its nextUpdate --
mkdir "$WORK/db"
cp "$PKI/db-inter/index.txt" "$WORK/db/"
echo 2000 > "$WORK/db/crlnumber"
sed -e "s|db-inter/|$WORK/db/|" -e "s|^certificate = .*|certificate = $PKI/inter.pem|" \
	-e "s|^private_key = .*|private_key = $PKI/inter.key|" "$PKI/inter.cnf" > "$WORK/db/ca.cnf"
# 30 days of validity issued 29 days and 18 hours ago: 6 hours left.
faketime -f -714h openssl ca -config "$WORK/db/ca.cnf" -gencrl -out "$WORK/soon.crl" 2>/dev/null
mkcase w
cp "$WORK/soon.crl" "$WORK/w/inter.crl"
check w good-ec
is "$got" "0 MTLS_OK" "CRL 6 hours from its nextUpdate: still accepted"
like "$(jq -r '.checks[] | select(.name=="crl_warning") | .status + " " + .detail' <<<"$out")" \
	"^warn $WORK/w/inter\.crl passes its nextUpdate .* in 3[0-9][0-9] minutes \(crl_warning_hours = 24\)" \
	"mtls-check shows the early warning"
check w good-ec
like "$(hit)" "w/inter\.crl" "the warning also comes from an index"
is "$(jq -r '[.checks[] | select(.name=="crl_warning")] | length' <<<"$out")" 1 "warning through the index too"
auth w good-ec
like "$out" "crl_warning $WORK/w/inter\.crl passes its nextUpdate" "pam_mtls logs the warning line"
is "$rc" 0 "and the login succeeds"
# Both CRLs of the chain near their nextUpdate: one check names both, and
# the record keeps every other check.
sed -i "s|^crl_cache_dir = .*|&\ncrl_warning_hours = 2000|" "$WORK/w.conf"
check w good-ec
is "$got:$(jq -r '[.checks[] | select(.name=="crl_warning")] | length' <<<"$out")" "0 MTLS_OK:1" \
	"two CRLs near their nextUpdate: one crl_warning check"
like "$(jq -r '.checks[] | select(.name=="crl_warning") | .detail' <<<"$out")" "w/inter\.crl passes .*; .*w/root\.crl passes" \
	"the check names both CRL files"
is "$(jq -r '[.checks[].name] | map(select(. == "revocation" or . == "mapping" or . == "account")) | join(" ")' <<<"$out")" \
	"revocation mapping account" "the record keeps the revocation, mapping and account checks"
sed -i "s|^crl_warning_hours = 2000$|crl_warning_hours = 5|" "$WORK/w.conf"
check w good-ec
is "$got:$(jq -r '[.checks[] | select(.name=="crl_warning")] | length' <<<"$out")" "0 MTLS_OK:0" \
	"crl_warning_hours = 5: no warning for a CRL 6 hours from its nextUpdate"

# --- mtls-check --lint says when an index directory is ignored -----------
mkcase l
out=$("$MTLS_CHECK" --config "$WORK/l.conf" --lint 2>&1)
is "$?:$(grep -c crl_cache_dir <<<"$out")" "0:0" "lint: a safe index directory is no finding"
chmod 775 "$WORK/l.cache"
out=$("$MTLS_CHECK" --config "$WORK/l.conf" --lint 2>&1)
is "$?" 2 "lint: a group-writable index directory is a finding (exit 2)"
like "$out" "^$WORK/l\.conf:[0-9]+: crl_cache_dir: .*l\.cache.*: its CRL indexes are ignored" \
	"lint: the finding names the key, its line and the directory"
rmdir "$WORK/l.cache"
out=$("$MTLS_CHECK" --config "$WORK/l.conf" --lint 2>&1)
is "$?:$(grep -c crl_cache_dir <<<"$out")" "0:0" "lint: a missing index directory is no finding (not installed yet)"

# --- A process that may not write the directory just parses --------------
# (mtls-auth run as www-data by fcgiwrap, say); it reads an index it may
# read, which root's processes wrote.
stage_for_unprivileged
cp "$MTLS_CHECK" "$WORK/stage/bin/mtls-check"
MTLS_CHECK=$WORK/stage/bin/mtls-check
asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
mkcase u
out=$(asnobody env LD_PRELOAD=libnss_wrapper.so "$MTLS_CHECK" --config "$WORK/u.conf" --json "$PKI/revoked.pem")
is "$? $(jq -r .reason <<<"$out")" "1 MTLS_E_REVOKED" "as nobody, index directory 0700 root: revoked (parsed)"
is "$(ls "$WORK/u.cache" | wc -l):$(hit)" "0:" "as nobody: no index read or written"
check u revoked
chmod 755 "$WORK/u.cache"
out=$(asnobody env LD_PRELOAD=libnss_wrapper.so "$MTLS_CHECK" --config "$WORK/u.conf" --json "$PKI/revoked.pem")
is "$? $(jq -r .reason <<<"$out")" "1 MTLS_E_REVOKED" "as nobody, root's index in a 0755 directory: revoked"
like "$(hit)" "u/inter\.crl" "as nobody: root's index is used"
out=$(asnobody env LD_PRELOAD=libnss_wrapper.so "$MTLS_CHECK" --config "$WORK/u.conf" --json "$PKI/good-ec.pem")
is "$? $(jq -r .reason <<<"$out")" "0 MTLS_OK" "as nobody, through the index: good certificate accepted"

# --- make install creates the default directory 0755 root ----------------
make -s -C "$MTLS_BUILDDIR" install-data-hook DESTDIR="$WORK/inst" >/dev/null 2>&1
is "$(stat -c %a "$WORK/inst$(make_var localstatedir)/cache/mtls/crl" 2>&1)" 755 \
	"make install (install-data-hook) creates the CRL index directory 0755"

done_testing
