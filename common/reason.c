/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The reason table: one row per code, so name, sentence and class can never
 * drift apart. */
#include "config.h"

#include <string.h>

#include "reason.h"

struct reason_row {
	const char *name;
	const char *text;
	enum mtls_result result;
};

static const struct reason_row rows[MTLS_REASON_COUNT] = {
	[MTLS_OK] = { "MTLS_OK", "certificate accepted",
	    MTLS_RESULT_ACCEPT },
	[MTLS_E_EXPIRED] = { "MTLS_E_EXPIRED",
	    "a certificate in the chain has expired", MTLS_RESULT_REFUSE },
	[MTLS_E_NOT_YET_VALID] = { "MTLS_E_NOT_YET_VALID",
	    "a certificate in the chain is not yet valid", MTLS_RESULT_REFUSE },
	[MTLS_E_UNTRUSTED_ISSUER] = { "MTLS_E_UNTRUSTED_ISSUER",
	    "the certificate was not issued by a trusted CA",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_CHAIN_INCOMPLETE] = { "MTLS_E_CHAIN_INCOMPLETE",
	    "no path to a trust anchor: an issuer certificate is missing",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_CHAIN_TOO_LONG] = { "MTLS_E_CHAIN_TOO_LONG",
	    "the chain has more intermediates than max_depth allows",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_REVOKED] = { "MTLS_E_REVOKED",
	    "a certificate in the chain is revoked", MTLS_RESULT_REFUSE },
	[MTLS_E_REVOCATION_UNKNOWN] = { "MTLS_E_REVOCATION_UNKNOWN",
	    "revocation status could not be established", MTLS_RESULT_REFUSE },
	[MTLS_E_CRL_STALE] = { "MTLS_E_CRL_STALE",
	    "the CRL is past its nextUpdate", MTLS_RESULT_REFUSE },
	[MTLS_E_EKU] = { "MTLS_E_EKU",
	    "the certificate lacks a required extended key usage",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_KEY_USAGE] = { "MTLS_E_KEY_USAGE",
	    "the certificate lacks a required key usage", MTLS_RESULT_REFUSE },
	[MTLS_E_CA_LEAF] = { "MTLS_E_CA_LEAF",
	    "a CA certificate cannot be used to log in", MTLS_RESULT_REFUSE },
	[MTLS_E_WEAK_KEY] = { "MTLS_E_WEAK_KEY",
	    "the key type or size is not allowed", MTLS_RESULT_REFUSE },
	[MTLS_E_WEAK_SIGNATURE] = { "MTLS_E_WEAK_SIGNATURE",
	    "a certificate is signed with a weak algorithm",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_UNKNOWN_CRITICAL_EXT] = { "MTLS_E_UNKNOWN_CRITICAL_EXT",
	    "a certificate has an unknown critical extension",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_NO_MAPPING] = { "MTLS_E_NO_MAPPING",
	    "no mapping rule yields an account for this certificate",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_AMBIGUOUS_MAPPING] = { "MTLS_E_AMBIGUOUS_MAPPING",
	    "the certificate maps to more than one account",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_USER_UNKNOWN] = { "MTLS_E_USER_UNKNOWN",
	    "the mapped account does not exist or may not be handed out "
	    "(min_uid, deny_users, a local account of the same name)",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_USER_MISMATCH] = { "MTLS_E_USER_MISMATCH",
	    "the certificate maps to another account than the one requested",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_NO_CERT] = { "MTLS_E_NO_CERT",
	    "no certificate was presented", MTLS_RESULT_REFUSE },
	[MTLS_E_BAD_INPUT] = { "MTLS_E_BAD_INPUT",
	    "the certificate input is malformed", MTLS_RESULT_REFUSE },
	[MTLS_E_BAD_SIGNATURE] = { "MTLS_E_BAD_SIGNATURE",
	    "the proof-of-possession signature does not verify",
	    MTLS_RESULT_REFUSE },
	[MTLS_E_CONFIG] = { "MTLS_E_CONFIG",
	    "the configuration is invalid", MTLS_RESULT_ERROR },
	[MTLS_E_BACKEND_DOWN] = { "MTLS_E_BACKEND_DOWN",
	    "a required backend is unreachable", MTLS_RESULT_ERROR },
	[MTLS_E_INTERNAL] = { "MTLS_E_INTERNAL",
	    "internal error", MTLS_RESULT_ERROR },
	[MTLS_E_CERT_POLICY] = { "MTLS_E_CERT_POLICY",
	    "a CA in the chain requires a certificate policy the certificate "
	    "does not carry", MTLS_RESULT_REFUSE },
};

static const struct reason_row *
row(enum mtls_reason r)
{
	if ((unsigned)r >= MTLS_REASON_COUNT)
		return &rows[MTLS_E_INTERNAL];
	return &rows[r];
}

const char *
mtls_reason_name(enum mtls_reason r)
{
	return row(r)->name;
}

const char *
mtls_reason_text(enum mtls_reason r)
{
	return row(r)->text;
}

enum mtls_result
mtls_reason_result(enum mtls_reason r)
{
	return row(r)->result;
}

const char *
mtls_result_name(enum mtls_result r)
{
	switch (r) {
	case MTLS_RESULT_ACCEPT:
		return "accept";
	case MTLS_RESULT_REFUSE:
		return "refuse";
	case MTLS_RESULT_ERROR:
		break;
	}
	return "error";
}

enum mtls_reason
mtls_reason_from_name(const char *name)
{
	unsigned i;

	for (i = 0; i < MTLS_REASON_COUNT; i++)
		if (strcmp(rows[i].name, name) == 0)
			return (enum mtls_reason)i;
	return MTLS_REASON_COUNT;
}
