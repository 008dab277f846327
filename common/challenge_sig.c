/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The "mtls-sig v1" envelope (challenge_sig.h): parsed strictly, every
 * token bounded before it is decoded, the signature checked over the
 * exact challenge bytes.  The signer's certificate is judged afterwards by
 * the full policy, like the CMS form's. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "challenge.h"
#include "base64.h"
#include "challenge_sig.h"
#include "util.h"

struct envelope {
	char digest[8];			/* sha256 sha384 sha512 none */
	unsigned char *sig;
	size_t siglen;
	STACK_OF(X509) *certs;		/* the signer first */
};

char *
mtls_challenge_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p, *out = NULL;
	long n;

	if (b != NULL && PEM_write_bio_X509(b, x) &&
	    (n = BIO_get_mem_data(b, &p)) > 0)
		out = strndup(p, (size_t)n);
	BIO_free(b);
	return out;
}

int
mtls_sig_is_envelope(const char *answer, size_t len)
{
	size_t n = strlen(MTLS_SIG_PREFIX);

	return len >= n && memcmp(answer, MTLS_SIG_PREFIX, n) == 0;
}

/* One DER certificate, nothing after it. */
static X509 *
cert_of(const char *p, size_t n)
{
	unsigned char *der;
	const unsigned char *q;
	size_t len;
	X509 *x = NULL;

	if ((der = mtls_base64_decode(p, n, 0, MTLS_SIG_DER_MAX, &len)) == NULL)
		return NULL;
	q = der;
	x = d2i_X509(NULL, &q, (long)len);
	if (x != NULL && q != der + len) {
		X509_free(x);
		x = NULL;
	}
	free(der);
	return x;
}

static void
envelope_free(struct envelope *e)
{
	free(e->sig);
	sk_X509_pop_free(e->certs, X509_free);
}

/* Token k (0: digest, 1: signature, 2...: certificates) into e. */
static int
take_token(struct envelope *e, int k, const char *p, size_t n)
{
	X509 *x;

	if (k == 0) {
		if (n == 0 || n >= sizeof(e->digest))
			return -1;
		memcpy(e->digest, p, n);
		e->digest[n] = '\0';
		return 0;
	}
	if (k == 1)
		return (e->sig = mtls_base64_decode(p, n, 0, MTLS_SIG_SIG_MAX,
		    &e->siglen)) == NULL ? -1 : 0;
	if (k - 1 > MTLS_SIG_CERTS_MAX || (x = cert_of(p, n)) == NULL)
		return -1;
	if (sk_X509_push(e->certs, x) <= 0) {
		X509_free(x);
		return -1;
	}
	return 0;
}

/* "mtls-sig v1 " then tokens separated by single spaces. */
static enum mtls_reason
parse_envelope(const char *answer, size_t len, struct envelope *e,
    char *msg, size_t msgsz)
{
	const char *p = answer + strlen(MTLS_SIG_PREFIX), *end = answer + len;
	const char *sp;
	int k = 0;

	memset(e, 0, sizeof(*e));
	if (len > MTLS_ANSWER_MAX || memchr(answer, '\0', len) != NULL ||
	    (e->certs = sk_X509_new_null()) == NULL)
		goto bad;
	while (p < end) {
		if ((sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
			sp = end;
		if (take_token(e, k++, p, (size_t)(sp - p)) != 0)
			goto bad;
		p = sp + (sp < end);
		if (sp + 1 == end)
			goto bad;	/* a trailing space */
	}
	if (k < 3)
		goto bad;
	return MTLS_OK;
bad:
	mtls_fmt(msg, msgsz, "the answer is not \"mtls-sig v1 DIGEST "
	    "SIGNATURE CERT [CHAIN...]\" (base64 tokens, at most %d "
	    "certificates)", MTLS_SIG_CERTS_MAX);
	return MTLS_E_BAD_INPUT;
}

static int
is_eddsa(EVP_PKEY *k)
{
	return EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519 ||
	    EVP_PKEY_get_base_id(k) == EVP_PKEY_ED448;
}

/* SHA-2 for RSA and ECDSA, none for EdDSA (which hashes internally);
 * the name for EVP_DigestVerifyInit_ex, NULL for none. */
static enum mtls_reason
digest_for(const char *digest, EVP_PKEY *k, const char **md, char *msg,
    size_t msgsz)
{
	int id = EVP_PKEY_get_base_id(k);

	*md = NULL;
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC && !is_eddsa(k)) {
		mtls_fmt(msg, msgsz, "the signer's key is not RSA, ECDSA, "
		    "Ed25519 or Ed448");
		return MTLS_E_WEAK_KEY;
	}
	if (is_eddsa(k) && strcmp(digest, "none") == 0)
		return MTLS_OK;
	if (!is_eddsa(k) && (strcmp(digest, "sha256") == 0 ||
	    strcmp(digest, "sha384") == 0 || strcmp(digest, "sha512") == 0)) {
		*md = digest;
		return MTLS_OK;
	}
	mtls_fmt(msg, msgsz, "digest not allowed: RSA and ECDSA answers use "
	    "sha256, sha384 or sha512; Ed25519 and Ed448 use none");
	return MTLS_E_WEAK_SIGNATURE;
}

static int
verify_sig(const struct envelope *e, EVP_PKEY *k, const char *md,
    const char *challenge)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx != NULL && EVP_DigestVerifyInit_ex(ctx, NULL, md, NULL, NULL,
	    k, NULL) == 1 && EVP_DigestVerify(ctx, e->sig, e->siglen,
	    (const unsigned char *)challenge, strlen(challenge)) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* The certificates after the signer, PEM, concatenated; NULL if none. */
static char *
chain_pem(STACK_OF(X509) *certs)
{
	char *out = NULL, *p, *grown;
	size_t len = 0, n;
	int i;

	for (i = 1; i < sk_X509_num(certs); i++) {
		if ((p = mtls_challenge_pem(sk_X509_value(certs, i))) == NULL)
			continue;
		n = strlen(p);
		if ((grown = realloc(out, len + n + 1)) != NULL) {
			out = grown;
			memcpy(out + len, p, n + 1);
			len += n;
		}
		free(p);
	}
	return out;
}

enum mtls_reason
mtls_sig_verify(const char *challenge, const char *answer, size_t len,
    char **cert_pem, char **chain, char *msg, size_t msgsz)
{
	struct envelope e;
	EVP_PKEY *k;
	const char *md;
	enum mtls_reason r;

	*cert_pem = *chain = NULL;
	if ((r = parse_envelope(answer, len, &e, msg, msgsz)) != MTLS_OK)
		goto out;
	if ((k = X509_get0_pubkey(sk_X509_value(e.certs, 0))) == NULL) {
		mtls_fmt(msg, msgsz, "the signer certificate has no usable "
		    "key");
		r = MTLS_E_BAD_INPUT;
		goto out;
	}
	if ((r = digest_for(e.digest, k, &md, msg, msgsz)) != MTLS_OK)
		goto out;
	if (!verify_sig(&e, k, md, challenge)) {
		mtls_fmt(msg, msgsz, "the signature does not verify over this "
		    "challenge (wrong key, or an answer to another challenge)");
		r = MTLS_E_BAD_SIGNATURE;
		goto out;
	}
	if ((*cert_pem = mtls_challenge_pem(sk_X509_value(e.certs, 0))) ==
	    NULL) {
		mtls_fmt(msg, msgsz, "cannot encode the signer certificate");
		r = MTLS_E_INTERNAL;
		goto out;
	}
	*chain = chain_pem(e.certs);
out:
	envelope_free(&e);
	ERR_clear_error();
	return r;
}

/* Appends " " and the base64 of der to *buf. */
static int
append_b64(char **buf, size_t *len, const unsigned char *der, size_t n)
{
	size_t b = 4 * ((n + 2) / 3);
	char *grown = realloc(*buf, *len + 1 + b + 1);

	if (grown == NULL)
		return -1;
	*buf = grown;
	(*buf)[(*len)++] = ' ';
	EVP_EncodeBlock((unsigned char *)*buf + *len, der, (int)n);
	*len += b;
	return 0;
}

static int
append_cert(char **buf, size_t *len, X509 *x)
{
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der), rc;

	rc = n > 0 ? append_b64(buf, len, der, (size_t)n) : -1;
	OPENSSL_free(der);
	return rc;
}

/* The signature over challenge; *siglen set.  NULL on failure. */
static unsigned char *
sign_text(const char *challenge, EVP_PKEY *key, size_t *siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const unsigned char *tbs = (const unsigned char *)challenge;
	unsigned char *sig = NULL;
	size_t n = strlen(challenge);

	if (ctx == NULL || EVP_DigestSignInit_ex(ctx, NULL, is_eddsa(key) ?
	    NULL : "sha256", NULL, NULL, key, NULL) != 1 ||
	    EVP_DigestSign(ctx, NULL, siglen, tbs, n) != 1 ||
	    (sig = malloc(*siglen)) == NULL ||
	    EVP_DigestSign(ctx, sig, siglen, tbs, n) != 1) {
		free(sig);
		sig = NULL;
	}
	EVP_MD_CTX_free(ctx);
	return sig;
}

char *
mtls_sig_make(const char *challenge, EVP_PKEY *key, X509 *cert,
    STACK_OF(X509) *chain, char *msg, size_t msgsz)
{
	unsigned char *sig = NULL;
	size_t siglen = 0, len;
	char *buf;
	int i, ok;

	if (X509_check_private_key(cert, key) != 1) {
		mtls_fmt(msg, msgsz, "the key does not match the certificate");
		ERR_clear_error();
		return NULL;
	}
	len = strlen(MTLS_SIG_PREFIX) + 6;
	if ((buf = malloc(len + 1)) == NULL)
		return NULL;
	mtls_fmt(buf, len + 1, "%s%s", MTLS_SIG_PREFIX, is_eddsa(key) ?
	    "none" : "sha256");
	len = strlen(buf);
	ok = (sig = sign_text(challenge, key, &siglen)) != NULL &&
	    append_b64(&buf, &len, sig, siglen) == 0 &&
	    append_cert(&buf, &len, cert) == 0;
	for (i = 0; ok && chain != NULL && i < sk_X509_num(chain); i++)
		ok = append_cert(&buf, &len, sk_X509_value(chain, i)) == 0;
	free(sig);
	ERR_clear_error();
	if (!ok) {
		mtls_fmt(msg, msgsz, "signing failed");
		free(buf);
		return NULL;
	}
	return buf;
}
