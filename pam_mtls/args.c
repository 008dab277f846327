/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "args.h"

static const char *
value_of(const char *arg, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	return NULL;
}

static int
bad(pam_handle_t *pamh, const char *arg, const char *why)
{
	pam_syslog(pamh, LOG_ERR, "module option '%s': %s", arg, why);
	return -1;
}

int
pam_args_parse(pam_handle_t *pamh, int argc, const char **argv,
    struct pam_args *a)
{
	const char *v;
	int i;

	memset(a, 0, sizeof(*a));
	a->config = MTLS_DEFAULT_CONFIG;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "debug") == 0)
			a->debug = 1;
		else if ((v = value_of(arg, "config")) != NULL) {
			if (v[0] != '/')
				return bad(pamh, arg, "path must be absolute "
				    "in a PAM line (only the tools' --config "
				    "resolves relative paths)");
			a->config = v;
		} else if ((v = value_of(arg, "profile")) != NULL) {
			if (v[0] == '\0')
				return bad(pamh, arg, "empty profile name");
			a->profile = v;
		} else if ((v = value_of(arg, "no_cert")) != NULL) {
			if (strcmp(v, "ignore") == 0)
				a->no_cert_ignore = 1;
			else if (strcmp(v, "fail") == 0)
				a->no_cert_ignore = 0;
			else
				return bad(pamh, arg, "expected ignore or fail");
		} else if ((v = value_of(arg, "cert_source")) != NULL) {
			if (strcmp(v, "challenge") == 0)
				a->challenge = 1;
			else if (strcmp(v, "pam_env") == 0)
				a->challenge = 0;
			else
				return bad(pamh, arg,
				    "expected pam_env or challenge");
		} else
			return bad(pamh, arg, "unknown option");
	}
	return 0;
}
