/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Certificate and chain input as frontends send it: PEM, %-escaped PEM,
 * base64 DER, DER. */
#include "config.h"

#include "fuzz.h"

#include "cert_input.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	X509 *x = NULL;
	char msg[256];

	mtls_input_cert((const char *)data, size, &x, msg, sizeof(msg));
	X509_free(x);
	if (sk != NULL)
		mtls_input_chain((const char *)data, size, NULL, sk, msg,
		    sizeof(msg));
	sk_X509_pop_free(sk, X509_free);
	return 0;
}
