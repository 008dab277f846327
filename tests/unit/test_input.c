/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* Certificate input decoding: every accepted form yields the same
 * certificate; everything else is MTLS_E_BAD_INPUT. */
#include "config.h"

#include "unit.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cert_input.h"
#include "decision.h"

static X509 *
decode_ok(const char *in, size_t len)
{
	char msg[256] = "";
	X509 *x = NULL;

	assert_int_equal(mtls_input_cert(in, len, &x, msg, sizeof(msg)),
	    MTLS_OK);
	assert_non_null(x);
	return x;
}

static void
decode_bad(const char *in, size_t len, const char *want)
{
	char msg[256] = "";
	X509 *x = NULL;

	assert_int_equal(mtls_input_cert(in, len, &x, msg, sizeof(msg)),
	    MTLS_E_BAD_INPUT);
	assert_null(x);
	assert_string_equal(msg, want);
}

static void
test_forms(void **state)
{
	size_t len, i, o = 0;
	char *pem = slurp(pki("good-ec.pem"), &len);
	X509 *ref = decode_ok(pem, len), *x;
	unsigned char *der = NULL;
	int dlen = i2d_X509(ref, &der);
	char *b64 = calloc(1, (size_t)dlen * 2 + 4), *esc = calloc(1, len * 3 + 1);

	(void)state;
	EVP_EncodeBlock((unsigned char *)b64, der, dlen);
	x = decode_ok(b64, strlen(b64));
	assert_int_equal(X509_cmp(ref, x), 0);
	X509_free(x);
	x = decode_ok((char *)der, (size_t)dlen);
	assert_int_equal(X509_cmp(ref, x), 0);
	X509_free(x);
	for (i = 0; i < len; i++) {
		if (pem[i] == '\n' || pem[i] == ' ' || pem[i] == '+' ||
		    pem[i] == '/' || pem[i] == '=')
			o += (size_t)sprintf(esc + o, "%%%02X",
			    (unsigned char)pem[i]);
		else
			esc[o++] = pem[i];
	}
	x = decode_ok(esc, o);
	assert_int_equal(X509_cmp(ref, x), 0);
	X509_free(x);
	OPENSSL_free(der);
	X509_free(ref);
	free(b64);
	free(esc);
	free(pem);
}

static void
test_bad(void **state)
{
	size_t len, n1, n2;
	char *big = calloc(1, MTLS_INPUT_MAX + 2);
	char *two, *a = slurp(pki("good-ec.pem"), &n1);
	char *b = slurp(pki("good-rsa.pem"), &n2);
	char *key = slurp(pki("good-ec.key"), &len);

	(void)state;
	decode_bad("", 0, "empty certificate input");
	decode_bad("   \n", 4, "empty certificate input");
	decode_bad("hello world", 11, "neither PEM, escaped PEM, base64 nor DER");
	decode_bad("%2D%2D%ZZ", 9, "bad %-escape in escaped PEM");
	decode_bad("%41%42", 6, "escaped input is not PEM");
	decode_bad("\x30\x03\x02\x01\x01", 5, "not a DER certificate");
	decode_bad(key, len, "PEM block 'PRIVATE KEY' is not a plain CERTIFICATE");
	memset(big, 'A', MTLS_INPUT_MAX + 1);
	decode_bad(big, MTLS_INPUT_MAX + 1, "input larger than 65536 bytes");
	two = calloc(1, n1 + n2 + 1);
	memcpy(two, a, n1);
	memcpy(two + n1, b, n2);
	decode_bad(two, n1 + n2, "expected one certificate, got 2 (pass "
	    "intermediates separately)");
	a[30] = '\0';
	decode_bad(a, n1, "NUL byte in PEM text");
	free(two);
	free(a);
	free(b);
	free(key);
	free(big);
}

/* Strict encodings: one DER certificate and nothing after it, no text
 * after a PEM block, base64 exactly as RFC 4648 writes it. */
static void
test_strict(void **state)
{
	size_t len;
	char *pem = slurp(pki("good-ec.pem"), &len), *buf, msg[256];
	X509 *ref = decode_ok(pem, len);
	unsigned char *der = NULL;
	int dlen = i2d_X509(ref, &der);
	char *b64 = calloc(1, (size_t)dlen * 2 + 8);
	STACK_OF(X509) *sk = sk_X509_new_null();
	size_t blen, i, o;

	(void)state;
	buf = calloc(1, len * 2 + (size_t)dlen + 64);
	memcpy(buf, der, (size_t)dlen);
	memcpy(buf + dlen, "\n", 1);
	decode_bad(buf, (size_t)dlen + 1, "1 bytes after the DER certificate "
	    "are not a certificate");
	memcpy(buf + dlen, "XYZ", 3);
	decode_bad(buf, (size_t)dlen + 3, "3 bytes after the DER certificate "
	    "are not a certificate");
	/* The same certificate with a BER length (30 83 00 LL LL). */
	assert_int_equal(der[1], 0x82);
	buf[0] = 0x30;
	buf[1] = (char)0x83;
	buf[2] = 0;
	memcpy(buf + 3, der + 2, (size_t)dlen - 2);
	decode_bad(buf, (size_t)dlen + 1, "certificate is not DER encoded");

	memcpy(buf, pem, len);
	memcpy(buf + len, "\nsubject=CN=mallory\n", 20);
	decode_bad(buf, len + 20, "text after the PEM block");
	memcpy(buf + len, "  \n\t\n", 5);
	X509_free(decode_ok(buf, len + 5));	/* white space is fine */
	memcpy(buf + len, "junk\n", 5);
	memcpy(buf + len + 5, pem, len);
	assert_int_equal(mtls_input_chain(buf, len * 2 + 5, NULL, sk, msg,
	    sizeof(msg)), MTLS_E_BAD_INPUT);
	assert_string_equal(msg, "text after the PEM block");

	EVP_EncodeBlock((unsigned char *)b64, der, dlen);
	blen = strlen(b64);
	for (i = 0, o = 0; i < blen; i++) {	/* wrapped lines: fine */
		buf[o++] = b64[i];
		if (i % 64 == 63)
			buf[o++] = '\n';
	}
	X509_free(decode_ok(buf, o));
	memcpy(buf, b64, blen);
	buf[4] = '=';
	decode_bad(buf, blen, "neither PEM, escaped PEM, base64 nor DER");
	memcpy(buf, b64, blen);
	buf[blen] = 'A';
	decode_bad(buf, blen + 1, "neither PEM, escaped PEM, base64 nor DER");
	buf[10] = '*';
	decode_bad(buf, blen, "neither PEM, escaped PEM, base64 nor DER");
	sk_X509_pop_free(sk, X509_free);
	X509_free(ref);
	OPENSSL_free(der);
	free(b64);
	free(buf);
	free(pem);
}

static void
test_chain(void **state)
{
	size_t len;
	char *pem = slurp(pki("chain.pem"), &len), msg[256];
	STACK_OF(X509) *sk = sk_X509_new_null();

	(void)state;
	assert_int_equal(mtls_input_chain(pem, len, NULL, sk, msg,
	    sizeof(msg)), MTLS_OK);
	assert_int_equal(sk_X509_num(sk), 2);	/* two intermediates */
	sk_X509_pop_free(sk, X509_free);
	free(pem);
}

/* --json output is valid UTF-8 whatever the strings hold: well-formed
 * UTF-8 passes, control bytes and bytes outside well-formed UTF-8 (a lone
 * lead byte, a truncated sequence, an overlong form, a surrogate) become
 * \u00XX escapes. */
static void
test_json_utf8(void **state)
{
	struct mtls_decision *d = calloc(1, sizeof(*d));
	char *json = malloc(32768);

	(void)state;
	strcpy(d->subject, "CN=\xff\xc3(\x01\x7f\xe2\x82\xac\"\\");
	strcpy(d->issuer, "CN=\xc0\xaf\xed\xa0\x80\xe2\x82");
	mtls_decision_json(d, json, 32768);
	assert_non_null(strstr(json, "\"subject\":\"CN=\\u00ff\\u00c3("
	    "\\u0001\\u007f\xe2\x82\xac\\\"\\\\\""));
	assert_non_null(strstr(json, "\"issuer\":\"CN=\\u00c0\\u00af"
	    "\\u00ed\\u00a0\\u0080\\u00e2\\u0082\""));
	free(json);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_json_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
