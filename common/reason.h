/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Stable reason codes: the vocabulary shared by syslog, mtls-check --json and
 * the PAM environment.  Names never change once released; add at the end. */
#ifndef MTLS_REASON_H
#define MTLS_REASON_H

enum mtls_reason {
	MTLS_OK = 0,
	MTLS_E_EXPIRED,
	MTLS_E_NOT_YET_VALID,
	MTLS_E_UNTRUSTED_ISSUER,
	MTLS_E_CHAIN_INCOMPLETE,
	MTLS_E_CHAIN_TOO_LONG,
	MTLS_E_REVOKED,
	MTLS_E_REVOCATION_UNKNOWN,
	MTLS_E_CRL_STALE,
	MTLS_E_EKU,
	MTLS_E_KEY_USAGE,
	MTLS_E_CA_LEAF,
	MTLS_E_WEAK_KEY,
	MTLS_E_WEAK_SIGNATURE,
	MTLS_E_UNKNOWN_CRITICAL_EXT,
	MTLS_E_NO_MAPPING,
	MTLS_E_AMBIGUOUS_MAPPING,
	MTLS_E_USER_UNKNOWN,
	MTLS_E_USER_MISMATCH,
	MTLS_E_NO_CERT,
	MTLS_E_BAD_INPUT,
	MTLS_E_BAD_SIGNATURE,
	MTLS_E_CONFIG,
	MTLS_E_BACKEND_DOWN,
	MTLS_E_INTERNAL,
	MTLS_E_CERT_POLICY,
	MTLS_REASON_COUNT
};

/* What a reason means for the caller: accepted, refused on the merits of
 * the certificate or account, or not decided because something is broken. */
enum mtls_result {
	MTLS_RESULT_ACCEPT,
	MTLS_RESULT_REFUSE,
	MTLS_RESULT_ERROR
};

const char *mtls_reason_name(enum mtls_reason r);
const char *mtls_reason_text(enum mtls_reason r);
enum mtls_result mtls_reason_result(enum mtls_reason r);
const char *mtls_result_name(enum mtls_result r);
/* Returns MTLS_REASON_COUNT when the name is unknown. */
enum mtls_reason mtls_reason_from_name(const char *name);

#endif
