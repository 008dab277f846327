#!/usr/bin/perl
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Test stand-in for a systemd socket unit: binds a listening unix socket,
# then runs COMMAND... with it as standard input (StandardInput=socket),
# and starts it again whenever it exits (Restart=), keeping the socket
# open in between.  Usage: fcgi_launch.pl SOCKET PIDFILE COMMAND...
use strict;
use warnings;
use IO::Socket::UNIX;
use POSIX qw(dup2);
my ($path, $pidfile, @cmd) = @ARGV;
unlink $path;
my $l = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $path,
    Listen => 128) or die "listen $path: $!";
chmod 0666, $path;
my $pid = 0;
$SIG{TERM} = sub { if ($pid) { kill 'KILL', $pid; waitpid($pid, 0) } exit 0 };
for (;;) {
	$pid = fork() // die "fork: $!";
	if ($pid == 0) {
		dup2(fileno($l), 0) or die "dup2: $!";
		exec @cmd or die "exec: $!";
	}
	open(my $f, '>', "$pidfile.tmp") or die; print $f "$pid\n"; close $f;
	rename "$pidfile.tmp", $pidfile;
	waitpid($pid, 0);
	select(undef, undef, undef, 0.2);
}
