/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Length-prefixed, size-limited messages over a stream socket. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

static void
put_u32(unsigned char *p, size_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static size_t
get_u32(const unsigned char *p)
{
	return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 |
	    (size_t)p[3];
}

enum proto_status
proto_send(int fd, const char *const *fields, size_t n)
{
	unsigned char *buf, *p;
	size_t i, total = 0, off = 0;
	ssize_t w;

	if (n > PROTO_FIELDS_MAX)
		return PROTO_ERROR;
	for (i = 0; i < n; i++)
		total += 4 + strlen(fields[i]) + 1;
	if (total > PROTO_MSG_MAX || (buf = malloc(4 + total)) == NULL)
		return PROTO_ERROR;
	put_u32(buf, total);
	p = buf + 4;
	for (i = 0; i < n; i++) {
		size_t l = strlen(fields[i]) + 1;

		put_u32(p, l);
		memcpy(p + 4, fields[i], l);
		p += 4 + l;
	}
	while (off < 4 + total) {
		/* MSG_NOSIGNAL: a dead peer is an error to report, not a
		 * signal that kills OpenVPN. */
		w = send(fd, buf + off, 4 + total - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			free(buf);
			return errno == EPIPE || errno == ECONNRESET ?
			    PROTO_EOF : PROTO_ERROR;
		}
		off += (size_t)w;
	}
	free(buf);
	return PROTO_OK;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Exactly len bytes before the deadline (-1: none). */
static enum proto_status
read_full(int fd, long deadline, unsigned char *p, size_t len)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	size_t off = 0;
	ssize_t r;
	int wait, pr;

	while (off < len) {
		wait = deadline < 0 ? -1 : (int)(deadline - now_ms());
		if (deadline >= 0 && wait <= 0)
			return PROTO_TIMEOUT;
		pr = poll(&pfd, 1, wait);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return PROTO_ERROR;
		if (pr == 0)
			return PROTO_TIMEOUT;
		r = read(fd, p + off, len - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return PROTO_EOF;
		if (r < 0)
			return errno == ECONNRESET ? PROTO_EOF : PROTO_ERROR;
		off += (size_t)r;
	}
	return PROTO_OK;
}

enum proto_status
proto_recv(int fd, int timeout_ms, char **buf, size_t *len)
{
	unsigned char hdr[4];
	long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	enum proto_status st;

	*buf = NULL;
	*len = 0;
	if ((st = read_full(fd, deadline, hdr, 4)) != PROTO_OK)
		return st;
	*len = get_u32(hdr);
	if (*len == 0 || *len > PROTO_MSG_MAX ||
	    (*buf = malloc(*len)) == NULL)
		return PROTO_ERROR;
	if ((st = read_full(fd, deadline, (unsigned char *)*buf, *len)) !=
	    PROTO_OK) {
		free(*buf);
		*buf = NULL;
	}
	return st;
}

int
proto_fields(char *buf, size_t len, const char **fields, size_t n)
{
	size_t i, off = 0, l;

	for (i = 0; i < n; i++) {
		if (len - off < 4)
			return -1;
		l = get_u32((unsigned char *)buf + off);
		off += 4;
		/* One NUL, at the end: a field is a C string and no more. */
		if (l == 0 || l > len - off || buf[off + l - 1] != '\0' ||
		    memchr(buf + off, '\0', l - 1) != NULL)
			return -1;
		fields[i] = buf + off;
		off += l;
	}
	return off == len ? 0 : -1;
}
