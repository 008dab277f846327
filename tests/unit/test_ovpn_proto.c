/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The plugin <-> helper protocol: round trip, and every malformed or
 * oversized message, timeout and closed peer refused the way the plugin
 * relies on (it fails the client closed on anything but PROTO_OK). */
#include "config.h"

#include "unit.h"

#include <sys/socket.h>

#include "proto.h"

static void
pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static void
put_u32(unsigned char *p, size_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
test_round_trip(void **state)
{
	const char *out[3] = { "7", "-----BEGIN CERTIFICATE-----\n", "" };
	const char *in[3];
	char *buf;
	size_t len;
	int sv[2];

	(void)state;
	pair(sv);
	assert_int_equal(proto_send(sv[0], out, 3), PROTO_OK);
	assert_int_equal(proto_recv(sv[1], 1000, &buf, &len), PROTO_OK);
	assert_int_equal(proto_fields(buf, len, in, 3), 0);
	assert_string_equal(in[0], "7");
	assert_string_equal(in[1], out[1]);
	assert_string_equal(in[2], "");
	/* Asking for more or fewer fields than were sent is malformed. */
	assert_int_equal(proto_fields(buf, len, in, 2), -1);
	free(buf);
	close(sv[0]);
	close(sv[1]);
}

/* Raw bytes as a peer could send them; returns what proto_fields says
 * about the 2 fields it expects, or the receive status + 100. */
static int
raw(const unsigned char *msg, size_t n)
{
	const char *f[2];
	char *buf;
	size_t len;
	int sv[2], r;

	pair(sv);
	assert_int_equal(write(sv[0], msg, n), (ssize_t)n);
	close(sv[0]);
	if ((r = proto_recv(sv[1], 1000, &buf, &len)) != PROTO_OK) {
		close(sv[1]);
		return 100 + r;
	}
	r = proto_fields(buf, len, f, 2);
	free(buf);
	close(sv[1]);
	return r;
}

static void
test_malformed(void **state)
{
	unsigned char m[64];

	(void)state;
	/* Good: "a" and "" */
	put_u32(m, 11);
	put_u32(m + 4, 2);
	memcpy(m + 8, "a", 2);
	put_u32(m + 10, 1);
	m[14] = '\0';
	assert_int_equal(raw(m, 15), 0);
	/* A field without its NUL. */
	m[9] = 'b';
	assert_int_equal(raw(m, 15), -1);
	/* A NUL inside a field. */
	memcpy(m + 8, "\0", 2);
	assert_int_equal(raw(m, 15), -1);
	/* A field longer than the message. */
	memcpy(m + 8, "a", 2);
	put_u32(m + 10, 9);
	assert_int_equal(raw(m, 15), -1);
	/* A zero-length field (no room for its NUL). */
	put_u32(m + 10, 0);
	assert_int_equal(raw(m, 15), -1);
	/* Bytes after the last field. */
	put_u32(m, 12);
	put_u32(m + 10, 1);
	m[15] = 'x';
	assert_int_equal(raw(m, 16), -1);
	/* A truncated header, then a short body: the peer closed. */
	assert_int_equal(raw(m, 2), 100 + PROTO_EOF);
	assert_int_equal(raw(m, 10), 100 + PROTO_EOF);
	/* Empty and oversized lengths are refused before any allocation. */
	put_u32(m, 0);
	assert_int_equal(raw(m, 4), 100 + PROTO_ERROR);
	put_u32(m, PROTO_MSG_MAX + 1);
	assert_int_equal(raw(m, 4), 100 + PROTO_ERROR);
	put_u32(m, 0xffffffffu);
	assert_int_equal(raw(m, 4), 100 + PROTO_ERROR);
}

static void
test_limits(void **state)
{
	const char *f[PROTO_FIELDS_MAX + 1];
	char *big;
	int sv[2], i;

	(void)state;
	pair(sv);
	for (i = 0; i <= PROTO_FIELDS_MAX; i++)
		f[i] = "x";
	assert_int_equal(proto_send(sv[0], f, PROTO_FIELDS_MAX + 1),
	    PROTO_ERROR);
	big = malloc(PROTO_MSG_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', PROTO_MSG_MAX);
	big[PROTO_MSG_MAX] = '\0';
	f[0] = big;
	assert_int_equal(proto_send(sv[0], f, 1), PROTO_ERROR);
	free(big);
	close(sv[0]);
	close(sv[1]);
}

static void
test_timeout_and_eof(void **state)
{
	const char *f[1] = { "x" };
	char *buf;
	size_t len;
	int sv[2];

	(void)state;
	pair(sv);
	assert_int_equal(proto_recv(sv[1], 50, &buf, &len), PROTO_TIMEOUT);
	assert_null(buf);
	close(sv[0]);
	assert_int_equal(proto_recv(sv[1], 50, &buf, &len), PROTO_EOF);
	/* Writing to a closed peer reports it, without SIGPIPE killing us. */
	assert_int_equal(proto_send(sv[1], f, 1), PROTO_EOF);
	close(sv[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_timeout_and_eof),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
