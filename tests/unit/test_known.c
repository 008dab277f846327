/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* A presented intermediate whose DER is exactly one of intermediates_file
 * is the configured certificate, not a new parse of it; anything else
 * (one byte changed, cut short, followed by more bytes) is parsed and
 * judged as before. */
#include "config.h"

#include "unit.h"

#include <openssl/evp.h>

#include "cert_input.h"
#include "decision.h"

static struct mtls_cfg *
load(void)
{
	char text[16384], err[512];
	struct mtls_cfg *cfg;

	snprintf(text, sizeof(text), "ca_file = %s\n", pki("ca.pem"));
	snprintf(text + strlen(text), sizeof(text) - strlen(text),
	    "intermediates_file = %s\nrevocation = none\nmap = by_cn\n"
	    "[map by_cn]\nsource = cn\nlookup = local\n", pki("chain.pem"));
	cfg = mtls_cfg_load(temp_file(text), err, sizeof(err));
	if (cfg == NULL)
		print_message("# %s\n", err);
	assert_non_null(cfg);
	return cfg;
}

/* The configured intermediates' DER, one after the other. */
static unsigned char *
configured_der(const struct mtls_policy *p, size_t *len)
{
	unsigned char *buf = malloc(65536), *o = buf;
	int i;

	assert_non_null(buf);
	for (i = 0; i < sk_X509_num(p->intermediates); i++)
		assert_true(i2d_X509(sk_X509_value(p->intermediates, i), &o) >
		    0);
	*len = (size_t)(o - buf);
	return buf;
}

/* in as a chain, with the policy's known intermediates or without. */
static STACK_OF(X509) *
chain_of(const char *in, size_t len, const struct mtls_known_certs *known,
    enum mtls_reason want, char *msg, size_t msgsz)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	assert_non_null(sk);
	msg[0] = '\0';
	assert_int_equal(mtls_input_chain(in, len, known, sk, msg, msgsz),
	    want);
	return sk;
}

/* Both configured intermediates come back as the configured objects, in
 * every input form; without the known set they are new parses. */
static void
test_identical_is_configured(void **state)
{
	struct mtls_cfg *cfg = load();
	const struct mtls_policy *p = &cfg->global;
	size_t plen, dlen;
	char *pem = slurp(pki("chain.pem"), &plen), msg[256];
	unsigned char *der = configured_der(p, &dlen);
	char *b64 = calloc(1, dlen * 2 + 4);
	const char *in[3] = { pem, (char *)der, b64 };
	size_t inlen[3] = { plen, dlen, 0 };
	STACK_OF(X509) *sk;
	int f, i;

	(void)state;
	assert_non_null(p->known_intermediates);
	assert_int_equal(p->known_intermediates->n, 2);
	inlen[2] = (size_t)EVP_EncodeBlock((unsigned char *)b64, der,
	    (int)dlen);
	for (f = 0; f < 3; f++) {
		sk = chain_of(in[f], inlen[f], p->known_intermediates,
		    MTLS_OK, msg, sizeof(msg));
		assert_int_equal(sk_X509_num(sk), 2);
		for (i = 0; i < 2; i++)
			assert_ptr_equal(sk_X509_value(sk, i),
			    sk_X509_value(p->intermediates, i));
		sk_X509_pop_free(sk, X509_free);
		sk = chain_of(in[f], inlen[f], NULL, MTLS_OK, msg,
		    sizeof(msg));
		for (i = 0; i < 2; i++) {
			assert_ptr_not_equal(sk_X509_value(sk, i),
			    sk_X509_value(p->intermediates, i));
			assert_int_equal(X509_cmp(sk_X509_value(sk, i),
			    sk_X509_value(p->intermediates, i)), 0);
		}
		sk_X509_pop_free(sk, X509_free);
	}
	/* The stacks' references are gone; the configuration's remain. */
	assert_int_equal(X509_cmp(sk_X509_value(p->intermediates, 0),
	    sk_X509_value(p->intermediates, 0)), 0);
	mtls_cfg_free(cfg);
	free(b64);
	free(der);
	free(pem);
}

/* The same bytes as the first configured intermediate but one (the last
 * of its signature): parsed into a new object. */
static void
test_near_miss_parsed(void **state)
{
	struct mtls_cfg *cfg = load();
	const struct mtls_policy *p = &cfg->global;
	X509 *inter = sk_X509_value(p->intermediates, 0);
	unsigned char *der = NULL;
	int dlen = i2d_X509(inter, &der);
	STACK_OF(X509) *sk;
	char msg[256];

	(void)state;
	der[dlen - 1] ^= 0x01;
	sk = chain_of((char *)der, (size_t)dlen, p->known_intermediates,
	    MTLS_OK, msg, sizeof(msg));
	assert_int_equal(sk_X509_num(sk), 1);
	assert_ptr_not_equal(sk_X509_value(sk, 0), inter);
	assert_int_not_equal(X509_cmp(sk_X509_value(sk, 0), inter), 0);
	sk_X509_pop_free(sk, X509_free);
	/* Cut short by one byte: no match, and not a certificate. */
	der[dlen - 1] ^= 0x01;
	sk = chain_of((char *)der, (size_t)dlen - 1, p->known_intermediates,
	    MTLS_E_BAD_INPUT, msg, sizeof(msg));
	assert_string_equal(msg, "not a DER certificate");
	assert_int_equal(sk_X509_num(sk), 0);
	sk_X509_pop_free(sk, X509_free);
	OPENSSL_free(der);
	mtls_cfg_free(cfg);
}

/* The configured DER followed by more bytes: refused, word for word as
 * without the known set. */
static void
test_trailing_bytes_refused(void **state)
{
	struct mtls_cfg *cfg = load();
	const struct mtls_policy *p = &cfg->global;
	unsigned char *der = NULL, *buf;
	int dlen = i2d_X509(sk_X509_value(p->intermediates, 1), &der);
	STACK_OF(X509) *sk;
	char msg[256], plain[256];

	(void)state;
	buf = malloc((size_t)dlen + 3);
	memcpy(buf, der, (size_t)dlen);
	memcpy(buf + dlen, "XYZ", 3);
	sk = chain_of((char *)buf, (size_t)dlen + 3, NULL, MTLS_E_BAD_INPUT,
	    plain, sizeof(plain));
	sk_X509_pop_free(sk, X509_free);
	sk = chain_of((char *)buf, (size_t)dlen + 3, p->known_intermediates,
	    MTLS_E_BAD_INPUT, msg, sizeof(msg));
	assert_string_equal(msg, "3 bytes after the DER certificate are not "
	    "a certificate");
	assert_string_equal(msg, plain);
	sk_X509_pop_free(sk, X509_free);
	free(buf);
	OPENSSL_free(der);
	mtls_cfg_free(cfg);
}

/* The decision for a chain: reason, and the input check's detail. */
static void
decide(const struct mtls_cfg *cfg, const char *chain, size_t len,
    enum mtls_reason want, const char *input, struct mtls_decision *d)
{
	struct mtls_request req;
	size_t plen;
	char *pem = slurp(pki("good-ec.pem"), &plen);

	memset(&req, 0, sizeof(req));
	req.service = "test";
	req.cert = pem;
	req.cert_len = plen;
	req.chain = chain;
	req.chain_len = len;
	mtls_decide(cfg, &req, d);
	if (d->reason != want)
		print_message("# %s\n", d->message);
	assert_int_equal(d->reason, want);
	assert_string_equal(d->checks[0].name, "input");
	assert_string_equal(d->checks[0].detail, input);
	free(pem);
}

/* Through mtls_decide: the identical chain is accepted as before, the
 * near miss refused at the chain (its signature fails), the trailing
 * bytes refused as bad input. */
static void
test_decision_unchanged(void **state)
{
	struct mtls_cfg *cfg = load();
	struct mtls_decision *d = calloc(1, sizeof(*d));
	size_t plen;
	char *pem = slurp(pki("chain.pem"), &plen);
	unsigned char *der = NULL, *buf;
	int dlen = i2d_X509(sk_X509_value(cfg->global.intermediates, 0), &der);

	(void)state;
	decide(cfg, pem, plen, MTLS_OK, "1 certificate, 2 intermediate(s) "
	    "supplied", d);
	assert_string_equal(d->user, "bob");
	der[dlen - 1] ^= 0x01;
	decide(cfg, (char *)der, (size_t)dlen, MTLS_E_UNTRUSTED_ISSUER,
	    "1 certificate, 1 intermediate(s) supplied", d);
	der[dlen - 1] ^= 0x01;
	buf = malloc((size_t)dlen + 3);
	memcpy(buf, der, (size_t)dlen);
	memcpy(buf + dlen, "XYZ", 3);
	decide(cfg, (char *)buf, (size_t)dlen + 3, MTLS_E_BAD_INPUT,
	    "3 bytes after the DER certificate are not a certificate (in the "
	    "chain)", d);
	free(buf);
	OPENSSL_free(der);
	free(pem);
	free(d);
	mtls_cfg_free(cfg);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_is_configured),
		cmocka_unit_test(test_near_miss_parsed),
		cmocka_unit_test(test_trailing_bytes_refused),
		cmocka_unit_test(test_decision_unchanged),
	};

	(void)argc;
	/* The mapping's local lookup finds bob through nss_wrapper. */
	unit_reexec_with_pam_wrapper(argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
