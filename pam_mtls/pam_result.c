/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <security/pam_modules.h>

#include "pam_result.h"

int
mtls_pam_code(enum mtls_reason r)
{
	switch (r) {
	case MTLS_OK:
		return PAM_SUCCESS;
	case MTLS_E_USER_UNKNOWN:
		return PAM_USER_UNKNOWN;
	case MTLS_E_NO_CERT:
	case MTLS_E_BACKEND_DOWN:
	case MTLS_E_REVOCATION_UNKNOWN:
	case MTLS_E_CRL_STALE:
		return PAM_AUTHINFO_UNAVAIL;
	case MTLS_E_CONFIG:
		return PAM_SERVICE_ERR;
	case MTLS_E_INTERNAL:
		return PAM_SYSTEM_ERR;
	default:
		/* Every refusal on the merits, and any code added later that
		 * is not listed here: fail closed. */
		return PAM_AUTH_ERR;
	}
}
