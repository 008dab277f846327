/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Turning a decision record into text: the syslog line and JSON. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decision.h"
#include "util.h"

void
mtls_check_add(struct mtls_decision *d, const char *name,
    enum mtls_check_status st, const char *fmt, ...)
{
	struct mtls_check *c;
	va_list ap;

	if (d->nchecks == MTLS_CHECKS_MAX)
		return;
	c = &d->checks[d->nchecks++];
	c->name = name;
	c->status = st;
	va_start(ap, fmt);
	mtls_vfmt(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

void
mtls_decision_fail(struct mtls_decision *d, const char *service,
    enum mtls_reason r, const char *detail)
{
	memset(d, 0, sizeof(*d));
	mtls_strlcpy(d->service, service ? service : "-", sizeof(d->service));
	d->reason = r;
	d->result = mtls_reason_result(r);
	mtls_fmt(d->message, sizeof(d->message), "%s: %s",
	    mtls_reason_text(r), detail);
}

/* Appends to buf at *off without overflowing; later pieces are dropped once
 * the buffer is full, and the line stays NUL-terminated. */
static void
append(char *buf, size_t sz, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
append(char *buf, size_t sz, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= sz)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, sz - *off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*off = (size_t)n >= sz - *off ? sz : *off + (size_t)n;
}

static const char *
or_dash(const char *s)
{
	return s[0] ? s : "-";
}

void
mtls_decision_kv(const struct mtls_decision *d, char *buf, size_t sz)
{
	char subject[1536], issuer[1536], msg[1024], user[384];
	size_t off = 0;

	mtls_escape_log(or_dash(d->subject), subject, sizeof(subject));
	mtls_escape_log(or_dash(d->issuer), issuer, sizeof(issuer));
	mtls_escape_log(d->message, msg, sizeof(msg));
	mtls_escape_log(or_dash(d->user), user, sizeof(user));
	buf[0] = '\0';
	append(buf, sz, &off, "service=%s result=%s reason=%s user=\"%s\" "
	    "rule=%s profile=%s subject=\"%s\" issuer=\"%s\" serial=%s "
	    "sha256=%s msg=\"%s\"", or_dash(d->service),
	    mtls_result_name(d->result), mtls_reason_name(d->reason), user,
	    or_dash(d->rule), or_dash(d->profile), subject, issuer,
	    or_dash(d->serial), or_dash(d->sha256), msg);
}

const char *
mtls_check_status_name(enum mtls_check_status st)
{
	switch (st) {
	case MTLS_CHECK_PASS:
		return "pass";
	case MTLS_CHECK_FAIL:
		return "fail";
	case MTLS_CHECK_WARN:
		return "warn";
	case MTLS_CHECK_SKIP:
		break;
	}
	return "skip";
}

static void
json_field(char *buf, size_t sz, size_t *off, const char *key,
    const char *val, int comma)
{
	char esc[1536];

	mtls_escape_json(val, esc, sizeof(esc));
	append(buf, sz, off, "%s\"%s\":\"%s\"", comma ? "," : "", key, esc);
}

void
mtls_decision_json(const struct mtls_decision *d, char *buf, size_t sz)
{
	size_t off = 0, i;

	buf[0] = '\0';
	append(buf, sz, &off, "{");
	json_field(buf, sz, &off, "result", mtls_result_name(d->result), 0);
	json_field(buf, sz, &off, "reason", mtls_reason_name(d->reason), 1);
	json_field(buf, sz, &off, "message", d->message, 1);
	json_field(buf, sz, &off, "service", d->service, 1);
	json_field(buf, sz, &off, "profile", d->profile, 1);
	json_field(buf, sz, &off, "user", d->user, 1);
	json_field(buf, sz, &off, "rule", d->rule, 1);
	json_field(buf, sz, &off, "subject", d->subject, 1);
	json_field(buf, sz, &off, "issuer", d->issuer, 1);
	json_field(buf, sz, &off, "serial", d->serial, 1);
	json_field(buf, sz, &off, "sha256", d->sha256, 1);
	json_field(buf, sz, &off, "not_after", d->not_after, 1);
	append(buf, sz, &off, ",\"checks\":[");
	for (i = 0; i < d->nchecks; i++) {
		append(buf, sz, &off, "%s{", i ? "," : "");
		json_field(buf, sz, &off, "name", d->checks[i].name, 0);
		json_field(buf, sz, &off, "status",
		    mtls_check_status_name(d->checks[i].status), 1);
		json_field(buf, sz, &off, "detail", d->checks[i].detail, 1);
		append(buf, sz, &off, "}");
	}
	append(buf, sz, &off, "]}");
}
