/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* RFC 4515 escaping and filter templates. */
#include "config.h"

#include "fuzz.h"

#include "ldap_filter.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[4096], err[256], *t = malloc(size + 1);

	(void)mtls_ldap_escape(data, size, 0, out, sizeof(out));
	(void)mtls_ldap_escape(data, size, 1, out, sizeof(out));
	if (t == NULL)
		return 0;
	memcpy(t, data, size);
	t[size] = '\0';
	if (mtls_ldap_template_check(t, err, sizeof(err)) == 0 &&
	    mtls_ldap_template_uses_key(t) && !strstr(t, "{c") &&
	    !strstr(t, "{s") && !strstr(t, "{i") && !strstr(t, "{e") &&
	    !strstr(t, "{u") && !strstr(t, "{d"))
		(void)mtls_ldap_expand(t, NULL, "us(e)r*\\", out, sizeof(out));
	free(t);
	return 0;
}
