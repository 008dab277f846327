/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
#include "config.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "base64.h"
#include "challenge.h"
#include "challenge_sig.h"
#include "util.h"

#define CHALLENGE_RE "mtls-challenge v1 [A-Za-z0-9._-]+ [A-Za-z0-9._-]+ " \
	"[0-9]{1,12} [A-Za-z0-9+/]{43}="

/* Service and host go into the text: keep them to a safe alphabet. */
static void
safe_token(const char *in, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *in != '\0' && o + 1 < outsz; in++)
		out[o++] = isalnum((unsigned char)*in) || strchr("._-", *in) ?
		    *in : '_';
	if (o == 0)
		out[o++] = '_';
	out[o] = '\0';
}

int
mtls_challenge_new(const char *service, time_t now, char *out, size_t outsz)
{
	unsigned char nonce[32];
	char svc[64], host[256], hostbuf[256], b64[48];

	if (RAND_bytes(nonce, sizeof(nonce)) != 1)
		return -1;
	if (gethostname(hostbuf, sizeof(hostbuf)) != 0)
		mtls_strlcpy(hostbuf, "localhost", sizeof(hostbuf));
	hostbuf[sizeof(hostbuf) - 1] = '\0';
	safe_token(service ? service : "-", svc, sizeof(svc));
	safe_token(hostbuf, host, sizeof(host));
	EVP_EncodeBlock((unsigned char *)b64, nonce, sizeof(nonce));
	mtls_fmt(out, outsz, "mtls-challenge v1 %s %s %lld %s", svc, host,
	    (long long)now, b64);
	return strlen(out) + 1 < outsz ? 0 : -1;
}

int
mtls_challenge_find(const char *text, char *out, size_t outsz)
{
	regmatch_t m;
	regex_t re;
	size_t len;
	int rc;

	if (regcomp(&re, CHALLENGE_RE, REG_EXTENDED) != 0)
		return -1;
	rc = regexec(&re, text, 1, &m, 0);
	regfree(&re);
	if (rc != 0)
		return -1;
	len = (size_t)(m.rm_eo - m.rm_so);
	if (len >= outsz)
		return -1;
	memcpy(out, text + m.rm_so, len);
	out[len] = '\0';
	return 0;
}

time_t
mtls_challenge_time(const char *c)
{
	char svc[64], host[256];
	long long t;

	if (sscanf(c, "mtls-challenge v1 %63s %255s %lld ", svc, host,
	    &t) != 3)
		return -1;
	return (time_t)t;
}

int
mtls_challenge_host(const char *c, char *out, size_t outsz)
{
	char svc[64], host[256];

	if (sscanf(c, "mtls-challenge v1 %63s %255s ", svc, host) != 2 ||
	    strlen(host) >= outsz)
		return -1;
	mtls_strlcpy(out, host, outsz);
	return 0;
}

/* Only at the very start: what follows is the server's prompt text, and
 * a server can put a "(user@host) " of its choosing in there. */
int
mtls_prompt_host(const char *text, char *out, size_t outsz)
{
	const char *close, *at;
	size_t n;

	if (text[0] != '(' || (close = strstr(text, ") ")) == NULL)
		return -1;
	for (at = close; at > text && *at != '@'; at--)
		continue;
	n = (size_t)(close - at - 1);
	if (*at != '@' || n == 0 || n >= outsz || n > 255)
		return -1;
	memcpy(out, at + 1, n);
	out[n] = '\0';
	return strpbrk(out, " \t(") != NULL || mtls_has_ctl(out) ? -1 : 0;
}

/* DNS names compare without regard to ASCII case (RFC 4343); a fully
 * qualified name's trailing dot is dropped.  Nothing else: "web1" is not
 * "web1.example.com", as either could be another machine. */
int
mtls_host_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && la > 0 && strncasecmp(a, b, la) == 0;
}

/* The shape of the answer, before any signature is checked. */
static enum mtls_reason
parse_answer(const char *answer, size_t len, CMS_ContentInfo **cms,
    char *msg, size_t msgsz)
{
	unsigned char *der;
	const unsigned char *q;
	size_t dlen;

	*cms = NULL;
	if (len == 0 || len > MTLS_ANSWER_MAX || memchr(answer, '\0', len)) {
		mtls_fmt(msg, msgsz, "the answer is empty or larger than %d "
		    "bytes", MTLS_ANSWER_MAX);
		return MTLS_E_BAD_INPUT;
	}
	if ((der = mtls_base64_decode(answer, len, MTLS_B64_SPACE, 0,
	    &dlen)) == NULL) {
		mtls_fmt(msg, msgsz, "the answer is not base64");
		return MTLS_E_BAD_INPUT;
	}
	q = der;
	*cms = d2i_CMS_ContentInfo(NULL, &q, (long)dlen);
	if (*cms == NULL || q != der + dlen ||
	    OBJ_obj2nid(CMS_get0_type(*cms)) != NID_pkcs7_signed ||
	    CMS_is_detached(*cms) != 1 ||
	    sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(*cms)) != 1) {
		mtls_fmt(msg, msgsz, "the answer is not a detached CMS "
		    "signature with one signer");
		free(der);
		return MTLS_E_BAD_INPUT;
	}
	free(der);
	return MTLS_OK;
}

static enum mtls_reason
check_digest(CMS_ContentInfo *cms, char *msg, size_t msgsz)
{
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(
	    CMS_get0_SignerInfos(cms), 0);
	X509_ALGOR *dig = NULL;
	const ASN1_OBJECT *obj;
	int nid;

	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, NULL);
	if (dig == NULL)
		return MTLS_E_BAD_INPUT;
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	/* SHA-2 only: a list of bad ones let RIPEMD-160 and the like in. */
	nid = OBJ_obj2nid(obj);
	if (nid != NID_sha256 && nid != NID_sha384 && nid != NID_sha512) {
		mtls_fmt(msg, msgsz, "digest %s is not allowed (sha256, sha384 "
		    "or sha512)", nid == NID_undef ? "unknown" :
		    OBJ_nid2sn(nid));
		return MTLS_E_WEAK_SIGNATURE;
	}
	return MTLS_OK;
}

/* Everything but the signer, PEM, for the chain builder. */
static char *
others_pem(CMS_ContentInfo *cms, X509 *signer)
{
	STACK_OF(X509) *all = CMS_get1_certs(cms);
	char *out = NULL, *p;
	size_t len = 0;
	int i;

	for (i = 0; all != NULL && i < sk_X509_num(all); i++) {
		X509 *x = sk_X509_value(all, i);

		if (X509_cmp(x, signer) == 0 ||
		    (p = mtls_challenge_pem(x)) == NULL)
			continue;
		char *grown = realloc(out, len + strlen(p) + 1);

		if (grown != NULL) {
			out = grown;
			memcpy(out + len, p, strlen(p) + 1);
			len += strlen(p);
		}
		free(p);
	}
	sk_X509_pop_free(all, X509_free);
	return out;
}

/* The signed text as a BIO for CMS_verify.  Not a bare memory BIO: for
 * those OpenSSL 3.0's CMS_verify makes a private copy that it leaks when
 * the answer names a digest it cannot set up (fuzz/regressions/challenge/
 * leak-cms-verify-unknown-digest).  Behind a null filter it reads ours,
 * which we free. */
static BIO *
content_bio(const char *challenge)
{
	BIO *mem = BIO_new_mem_buf(challenge, (int)strlen(challenge));
	BIO *null = BIO_new(BIO_f_null());

	if (mem == NULL || null == NULL) {
		BIO_free(mem);
		BIO_free(null);
		return NULL;
	}
	return BIO_push(null, mem);
}

enum mtls_reason
mtls_challenge_verify(const char *challenge, const char *answer, size_t len,
    char **cert_pem, char **chain_pem, char *msg, size_t msgsz)
{
	CMS_ContentInfo *cms;
	STACK_OF(X509) *signers = NULL;
	BIO *data = NULL;
	enum mtls_reason r;

	*cert_pem = *chain_pem = NULL;
	if (mtls_sig_is_envelope(answer, len))
		return mtls_sig_verify(challenge, answer, len, cert_pem,
		    chain_pem, msg, msgsz);
	if ((r = parse_answer(answer, len, &cms, msg, msgsz)) != MTLS_OK)
		goto out;
	if ((r = check_digest(cms, msg, msgsz)) != MTLS_OK)
		goto out;
	/* The signature over our exact text; the signer's certificate is
	 * judged afterwards by the full policy, not here. */
	data = content_bio(challenge);
	if (data == NULL || CMS_verify(cms, NULL, NULL, data, NULL,
	    CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_NOCRL) != 1) {
		mtls_fmt(msg, msgsz, "the signature does not verify over this "
		    "challenge (wrong key, or an answer to another challenge)");
		r = MTLS_E_BAD_SIGNATURE;
		goto out;
	}
	signers = CMS_get0_signers(cms);
	if (signers == NULL || sk_X509_num(signers) != 1 ||
	    (*cert_pem = mtls_challenge_pem(sk_X509_value(signers, 0))) ==
	    NULL) {
		mtls_fmt(msg, msgsz, "no signer certificate in the answer");
		r = MTLS_E_BAD_INPUT;
		goto out;
	}
	*chain_pem = others_pem(cms, sk_X509_value(signers, 0));
	r = MTLS_OK;
out:
	sk_X509_free(signers);
	BIO_free_all(data);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return r;
}
