/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The plugin <-> helper protocol over a socketpair.  A message is a 4-byte
 * big-endian length followed by that many bytes: a sequence of fields, each
 * a 4-byte length and that many bytes ending in the field's only NUL (so a
 * received field is a C string in place).  Both ends treat the other's
 * bytes as untrusted: sizes are capped and every byte is accounted for. */
#ifndef MTLS_OVPN_PROTO_H
#define MTLS_OVPN_PROTO_H

#include <stddef.h>

/* A leaf and a chain of MTLS_CHAIN_MAX certificates in PEM fit easily. */
#define PROTO_MSG_MAX (256 * 1024)
#define PROTO_FIELDS_MAX 8

enum proto_status {
	PROTO_OK = 0,
	PROTO_EOF,	/* the peer closed: the helper or OpenVPN is gone */
	PROTO_TIMEOUT,
	PROTO_ERROR	/* I/O error or a malformed message */
};

/* Sends n C strings as one message; never raises SIGPIPE. */
enum proto_status proto_send(int fd, const char *const *fields, size_t n);
/* Reads one message within timeout_ms (-1: no bound) into *buf (malloc'd,
 * freed by the caller). */
enum proto_status proto_recv(int fd, int timeout_ms, char **buf,
    size_t *len);
/* Splits a received message into exactly n fields pointing into buf. */
int proto_fields(char *buf, size_t len, const char **fields, size_t n);

#endif
