/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Certificate and chain input as frontends send it: PEM, %-escaped PEM,
 * base64 DER, DER.  The chain is read twice, the second time with the
 * certificates of the first as known ones (a policy's intermediates):
 * the answer must not change, only where the certificates come from. */
#include "config.h"

#include "fuzz.h"

#include "cert_input.h"

static void
same_with_known(const uint8_t *data, size_t size, STACK_OF(X509) *sk,
    enum mtls_reason r, const char *msg)
{
	struct mtls_known_certs *k = mtls_known_new(sk);
	STACK_OF(X509) *again = sk_X509_new_null();
	char msg2[256];
	int i;

	if (k != NULL && again != NULL) {
		if (mtls_input_chain((const char *)data, size, k, again, msg2,
		    sizeof(msg2)) != r || sk_X509_num(again) != sk_X509_num(sk))
			abort();
		if (r != MTLS_OK && strcmp(msg, msg2) != 0)
			abort();
		for (i = 0; i < sk_X509_num(sk); i++)
			if (X509_cmp(sk_X509_value(sk, i),
			    sk_X509_value(again, i)) != 0)
				abort();
	}
	sk_X509_pop_free(again, X509_free);
	mtls_known_free(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	X509 *x = NULL;
	enum mtls_reason r;
	char msg[256];

	mtls_input_cert((const char *)data, size, &x, msg, sizeof(msg));
	X509_free(x);
	if (sk != NULL) {
		r = mtls_input_chain((const char *)data, size, NULL, sk, msg,
		    sizeof(msg));
		same_with_known(data, size, sk, r, msg);
	}
	sk_X509_pop_free(sk, X509_free);
	return 0;
}
