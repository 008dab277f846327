#!/usr/bin/perl
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The pam_mtls authors
# Raw FastCGI records to a responder, as a broken or hostile peer would
# send them.  Usage: fcgi_raw.pl SOCKET MODE
#   garbage   bytes that are no FastCGI record, then close
#   partial   a request cut off in the middle of its parameters
#   oversized a complete request whose certificate parameter is 300 KB
#   cert=FILE a well-formed request carrying FILE (PEM) as nginx's
#             $ssl_client_escaped_cert does
# Prints the responder's Status line, or "none".
use strict;
use warnings;
use IO::Socket::UNIX;
my ($path, $mode) = @ARGV;
my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path)
    or die "connect $path: $!";
sub rec { my ($type, $body) = @_;
	my $out = '';
	do {
		my $chunk = substr($body, 0, 65535, '');
		$out .= pack('CCnnCC', 1, $type, 1, length($chunk), 0, 0) . $chunk;
	} while (length $body);
	return $out;
}
sub len { my $n = length shift; $n < 128 ? pack('C', $n) : pack('N', $n | 0x80000000) }
sub nv { my ($k, $v) = @_; len($k) . len($v) . $k . $v }
my $begin = rec(1, pack('nCx5', 1, 0));
if ($mode eq 'garbage') {
	print $s "GET / HTTP/1.1\r\n\r\n" . ("\xff" x 64);
} elsif ($mode eq 'partial') {
	my $p = rec(4, nv('REQUEST_METHOD', 'GET') . nv('HTTP_X_SSL_CLIENT_CERT', 'x' x 1000));
	print $s $begin . substr($p, 0, 200);
} elsif ($mode =~ /^cert=(.*)/) {
	open(my $f, '<', $1) or die "$1: $!";
	my $pem = do { local $/; <$f> };
	$pem =~ s/([^A-Za-z0-9._~])/sprintf('%%%02X', ord $1)/ge;
	print $s $begin . rec(4, nv('REQUEST_METHOD', 'GET') .
	    nv('REMOTE_ADDR', '127.0.0.1') .
	    nv('HTTP_X_SSL_CLIENT_CERT', $pem)) . rec(4, '') . rec(5, '');
} else {
	print $s $begin . rec(4, nv('REQUEST_METHOD', 'GET') .
	    nv('HTTP_X_SSL_CLIENT_CERT', 'A' x 300000)) . rec(4, '') . rec(5, '');
}
$s->shutdown(1);
my $in = '';
local $SIG{ALRM} = sub { print "timeout\n"; exit 0 };
alarm 10;
while (sysread($s, my $b, 65536)) { $in .= $b }
print $in =~ /Status: (\d+)/ ? "$1" : "none", "\n";
