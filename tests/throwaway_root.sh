# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# shellcheck shell=bash
# A throwaway root for tests that install packages: an overlayfs whose
# lower layer is / and whose upper layer is a tmpfs, chrooted into.  Every
# change lands in the tmpfs; the machine's / is never written.  Sourced
# after tests/lib.sh, inside a private mount namespace (unshare -m).
#   throwaway_root DIR   sets M (the root), or ROOT_ERR and returns 1
#   inroot CMD...        runs CMD chrooted into M
#   root_changes         lists the files the root added, changed or deleted
#                        (relative paths; deletions as "DELETED path")

# shellcheck disable=SC2034  # ROOT_ERR and M are for the caller
throwaway_root() {
	R=$1
	M=$R/merged
	mkdir -p "$R" || { ROOT_ERR="mkdir $R"; return 1; }
	# The overlay and the mounts below it must go before anything removes
	# $WORK: a recursive rm must never walk into the merged view.
	trap 'umount -R "$R" 2>/dev/null; mountpoint -q "$R" || rm -rf "$WORK"' EXIT
	mount -t tmpfs -o mode=755 tmpfs "$R" || { ROOT_ERR="tmpfs on $R"; return 1; }
	mkdir "$R/upper" "$R/work" "$M"
	mount -t overlay overlay -o "lowerdir=/,upperdir=$R/upper,workdir=$R/work" "$M" ||
		{ ROOT_ERR="overlayfs over /"; return 1; }
	# Own /proc, /dev and /run: nothing in the root reaches the host's
	# device nodes or runtime state by path.
	mount -t proc proc "$M/proc" &&
	mount -t tmpfs -o mode=755 tmpfs "$M/dev" &&
	mount -t tmpfs -o mode=755 tmpfs "$M/run" || { ROOT_ERR="proc/dev/run"; return 1; }
	local n
	for n in null zero full random urandom tty; do
		touch "$M/dev/$n" && mount --bind "/dev/$n" "$M/dev/$n" ||
			{ ROOT_ERR="/dev/$n"; return 1; }
	done
	ln -s /proc/self/fd "$M/dev/fd"
	# What the root's /run starts with, so only the packages' additions
	# show up in root_changes.
	mkdir -p "$M/run/lock"
	return 0
}

inroot() { chroot "$M" "$@"; }

root_changes() {
	(cd "$R/upper" && find . -mindepth 1 \( -type f -o -type l \) -printf '%P\n'
	 cd "$R/upper" && find . -mindepth 1 -type c -printf 'DELETED %P\n') | sort
	# /run is its own tmpfs here: list what is in it apart from our lock dir.
	(cd "$M/run" && find . -mindepth 1 ! -path ./lock -printf 'run/%P\n') | sort
}
