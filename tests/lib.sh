# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Shared helpers for the shell test suites: TAP output, a temp dir cleaned
# on exit, test accounts for nss_wrapper and PAM services for pam_wrapper.
# Sourced by tests/*.sh; `make check` sets MTLS_BUILDDIR, MTLS_SRCDIR and
# MTLS_PKI (the generated test PKI).
set -u

: "${MTLS_BUILDDIR:?run through make check}"
: "${MTLS_PKI:?run through make check}"
PKI=$MTLS_PKI
MODULE=$MTLS_BUILDDIR/.libs/pam_mtls.so
MTLS_CHECK=$MTLS_BUILDDIR/mtls-check
MTLS_AUTH=$MTLS_BUILDDIR/mtls-auth

# In the ASan+UBSan build our modules need the sanitizer runtimes in any
# program that is not itself instrumented (pamtester, getent, id, sshd).
SAN_PRELOAD=
if [ "${MTLS_SANITIZERS:-no}" = yes ]; then
	SAN_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
fi

T_N=0
T_FAILED=0
WORK=$(mktemp -d /tmp/mtls-test.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() {
	T_N=$((T_N + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_N - $*"
}
# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else
		not_ok "$3"
		echo "#   got:  '$1'"
		echo "#   want: '$2'"
	fi
}
# like TEXT PATTERN DESCRIPTION (grep -E)
like() {
	if printf '%s\n' "$1" | grep -qE -- "$2"; then ok "$3"; else
		not_ok "$3"
		printf '%s\n' "$1" | sed 's/^/#   /' | head -20
		echo "#   wanted /$2/"
	fi
}
# unlike TEXT PATTERN DESCRIPTION: no line matches (grep -E)
unlike() {
	if ! printf '%s\n' "$1" | grep -qE -- "$2"; then ok "$3"; else
		not_ok "$3"
		printf '%s\n' "$1" | grep -E -- "$2" | sed 's/^/#   /' | head -5
		echo "#   not wanted /$2/"
	fi
}
done_testing() { echo "1..$T_N"; exit 0; }
# skip_all REASON: a suite that cannot run in this build says so.
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

# Accounts the tests map to; "ghost" is mapped by a map file but absent.
setup_accounts() {
	cat > "$WORK/passwd" <<'PW'
alice:x:1001:1001:Alice:/home/alice:/bin/sh
bob:x:1002:1002:Bob:/home/bob:/bin/sh
carol:x:1003:1003:Carol:/home/carol:/bin/sh
dave:x:1004:1004:Dave:/home/dave:/bin/sh
erin:x:1005:1005:Erin:/home/erin:/bin/sh
frank:x:1006:1006:Frank:/home/frank:/bin/sh
PW
	cat > "$WORK/group" <<'GR'
users:x:100:alice,bob,carol,dave,erin,frank
GR
	export NSS_WRAPPER_PASSWD=$WORK/passwd NSS_WRAPPER_GROUP=$WORK/group
}

# write_config FILE <<EOF ... : config files must not be group/world writable.
write_config() { cat > "$1"; chmod 0644 "$1"; }

# The standard config: our root, intermediates from config, CN → local user.
standard_config() {
	write_config "$1" <<CONF
ca_file = $PKI/ca.pem
intermediates_file = $PKI/chain.pem
crl_file = $PKI/crl.pem
map = by_cn
${2:-}
[map by_cn]
source = cn
lookup = local
CONF
}

# service NAME ARGS...: a pam_wrapper service file using the built module.
service() {
	local name=$1
	shift
	mkdir -p "$WORK/services"
	{
		echo "auth required $MODULE $*"
		echo "account required $MODULE $*"
	} > "$WORK/services/$name"
}

# Runs a command with pam_wrapper and nss_wrapper preloaded; the module's
# syslog lines reach stderr (PAM_WRAPPER_DEBUGLEVEL=2).
pamwrap() {
	env LD_PRELOAD="$SAN_PRELOAD libpam_wrapper.so libnss_wrapper.so" PAM_WRAPPER=1 \
		PAM_WRAPPER_SERVICE_DIR="$WORK/services" \
		PAM_WRAPPER_DEBUGLEVEL=2 "$@"
}

# The export lines of a generated wrapper script (a frontend's hook) that
# runs mtls-auth under pam_wrapper and nss_wrapper; servers such as fcgiwrap
# start their children with a clean environment.
wrapper_exports() {
	echo "export LD_PRELOAD='libpam_wrapper.so libnss_wrapper.so' PAM_WRAPPER=1"
	echo "export PAM_WRAPPER_SERVICE_DIR='$WORK/services' PAM_WRAPPER_DEBUGLEVEL=2"
	echo "export NSS_WRAPPER_PASSWD='$WORK/passwd' NSS_WRAPPER_GROUP='$WORK/group'"
	# The build tree's LDAP module (make check sets the override).
	[ -z "${MTLS_LDAP_MODULE:-}" ] || echo "export MTLS_LDAP_MODULE='$MTLS_LDAP_MODULE'"
	if [ "${MTLS_SANITIZERS:-no}" = yes ]; then
		echo "export ASAN_OPTIONS='${ASAN_OPTIONS:-}' UBSAN_OPTIONS='${UBSAN_OPTIONS:-}'"
		echo "export UID_WRAPPER_DISABLE_DEEPBIND=1 NSS_WRAPPER_DISABLE_DEEPBIND=1"
	fi
}

# Runs a command with only nss_wrapper preloaded (the test accounts).
nsswrap() { env LD_PRELOAD=libnss_wrapper.so "$@"; }

# source_files: every file of the source tree, relative to MTLS_SRCDIR, one
# a line.  In a git checkout that is what git tracks (so build products and
# stray files do not count); in an unpacked tarball it is what the Makefile
# ships (DISTFILES, directories expanded), since a build dir may sit inside
# the tree (distcheck's _build, or an in-tree build).
source_files() {
	local top f
	if git -C "$MTLS_SRCDIR" rev-parse --show-toplevel 2>/dev/null |
	    grep -qxF "$(cd "$MTLS_SRCDIR" && pwd -P)"; then
		git -C "$MTLS_SRCDIR" ls-files
		return
	fi
	top=$(make_var srcdir)
	for f in $(make_var DISTFILES); do
		f=${f#"$top"/}
		if [ -d "$MTLS_SRCDIR/$f" ]; then
			(cd "$MTLS_SRCDIR" && find "$f" -type f)
		elif [ -f "$MTLS_SRCDIR/$f" ]; then
			echo "$f"
		fi
	done | sort -u
}

# make_var NAME: a variable of the build's Makefile as make expands it, so
# tests read the one list the build uses (TESTS, bin_PROGRAMS, ...).  A
# fresh make: not the caller's `make check TESTS=...` override or jobserver.
make_var() {
	printf 'print-var:\n\t@echo $(%s)\n' "$1" |
	    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s \
	    -C "$MTLS_BUILDDIR" -f Makefile -f - print-var
}

# stage_for_unprivileged: a server that drops to nobody runs our programs
# after the drop, and the build tree may sit below a directory only root can
# enter (a CI clone in a 0700 temp dir).  Copies the PKI, the module and
# mtls-auth into WORK (0755) and points PKI, MODULE and MTLS_AUTH there.
stage_for_unprivileged() {
	mkdir -p "$WORK/stage/bin" "$WORK/stage/pki"
	cp -a "$PKI/." "$WORK/stage/pki/"
	cp "$MODULE" "$WORK/stage/bin/pam_mtls.so"
	cp "$MTLS_AUTH" "$WORK/stage/bin/mtls-auth"
	chmod -R go-w,a+rX "$WORK/stage"
	PKI=$WORK/stage/pki
	MODULE=$WORK/stage/bin/pam_mtls.so
	MTLS_AUTH=$WORK/stage/bin/mtls-auth
}
