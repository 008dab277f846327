/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* OCSP through OpenSSL's HTTP client: one request per certificate with a
 * nonce, a hard timeout on connect and read, the response verified by
 * OCSP_basic_verify (signer authorised by the issuer), and answers cached
 * on disk until their nextUpdate.  An answer without nextUpdate ("always
 * fresh") would be good forever if replayed: it is accepted, from the
 * network or the cache, only while its thisUpdate is younger than
 * ocsp_max_age.  OCSP_check_validity judges both, with clock_skew. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/http.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "identity.h"
#include "revocation.h"
#include "safe_file.h"
#include "util.h"

#define OCSP_RESPONSE_MAX (100 * 1024)

/* OCSP answers carry the reason their status implies. */
#define OCSP_REASON(st) ((st) == MTLS_REV_GOOD ? MTLS_OK : \
    (st) == MTLS_REV_REVOKED ? MTLS_E_REVOKED : MTLS_E_REVOCATION_UNKNOWN)
#define say(a, st, ...) mtls_rev_answer_set((a), (st), OCSP_REASON(st), \
    __VA_ARGS__)

/* Everything that makes a response trustworthy for this certificate.
 * Returns the nextUpdate (for caching) through *next when answered. */
static void
judge(const struct mtls_policy *p, OCSP_RESPONSE *resp, OCSP_CERTID *id,
    OCSP_REQUEST *req, STACK_OF(X509) *chain, const char *src,
    struct mtls_rev_answer *a, int *cacheable)
{
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	OCSP_BASICRESP *bs = NULL;
	int status, reason = -1, rc = OCSP_response_status(resp);
	char when[32], next[32];

	*cacheable = 0;
	if (rc != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		say(a, MTLS_REV_UNKNOWN, "%s: responder says %s", src,
		    OCSP_response_status_str(rc));
		return;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		say(a, MTLS_REV_UNKNOWN, "%s: not a basic response", src);
		return;
	}
	if (req != NULL && p->ocsp_nonce && OCSP_check_nonce(req, bs) != 1)
		say(a, MTLS_REV_UNKNOWN, "%s: nonce missing or wrong", src);
	else if (OCSP_basic_verify(bs, chain, p->store, 0) <= 0)
		say(a, MTLS_REV_UNKNOWN, "%s: response not signed by the "
		    "issuer or a responder it authorised", src);
	else if (!OCSP_resp_find_status(bs, id, &status, &reason, &rev,
	    &thisupd, &nextupd))
		say(a, MTLS_REV_UNKNOWN, "%s: response does not cover this "
		    "certificate", src);
	else if (!OCSP_check_validity(thisupd, nextupd, p->clock_skew,
	    nextupd != NULL ? -1 : p->ocsp_max_age))
		say(a, MTLS_REV_UNKNOWN, "%s: response is outside its "
		    "validity period%s", src, nextupd != NULL ? "" :
		    " (no nextUpdate: thisUpdate older than ocsp_max_age, "
		    "or in the future)");
	else if (status == V_OCSP_CERTSTATUS_GOOD) {
		mtls_asn1_time_string(nextupd, next, sizeof(next));
		say(a, MTLS_REV_GOOD, "OCSP %s (nextUpdate %s)", src, next);
		*cacheable = nextupd != NULL || p->ocsp_max_age > 0;
	} else if (status == V_OCSP_CERTSTATUS_REVOKED) {
		mtls_asn1_time_string(rev, when, sizeof(when));
		say(a, MTLS_REV_REVOKED, "revoked on %s (%s) per OCSP %s", when,
		    reason >= 0 ? OCSP_crl_reason_str(reason) : "no reason",
		    src);
		*cacheable = nextupd != NULL || p->ocsp_max_age > 0;
	} else
		say(a, MTLS_REV_UNKNOWN, "%s: responder does not know this "
		    "certificate", src);
	OCSP_BASICRESP_free(bs);
	ERR_clear_error();
}

/* dir/<sha256 of issuer key>-<serial>.der: one file per certificate. */
static int
cache_path(const struct mtls_policy *p, X509 *cert, X509 *issuer, char *out,
    size_t outsz)
{
	unsigned char md[32];
	unsigned int len = 0;
	char key[65], serial[128];

	if (p->ocsp_cache_dir == NULL ||
	    !X509_pubkey_digest(issuer, EVP_sha256(), md, &len) ||
	    mtls_serial_hex(cert, serial, sizeof(serial)) != 0)
		return -1;
	mtls_hex(md, len, key, sizeof(key), 0);
	mtls_fmt(out, outsz, "%s/%s-%s.der", p->ocsp_cache_dir, key, serial);
	return 0;
}

static int
cache_read(const char *path, OCSP_RESPONSE **out)
{
	char err[256], *buf;
	const unsigned char *q;
	size_t len;

	if (mtls_read_file(path, OCSP_RESPONSE_MAX, MTLS_FILE_TRUSTED, &buf,
	    &len, err, sizeof(err)) != 0)
		return -1;
	q = (const unsigned char *)buf;
	*out = d2i_OCSP_RESPONSE(NULL, &q, (long)len);
	free(buf);
	return *out ? 0 : -1;
}

/* Written to a temp file and renamed: a reader sees old or new, whole. */
static void
cache_write(const char *path, OCSP_RESPONSE *resp)
{
	unsigned char *der = NULL;
	char tmp[4200];
	int len = i2d_OCSP_RESPONSE(resp, &der), fd;

	if (len <= 0)
		return;
	mtls_fmt(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) >= 0) {
		if (write(fd, der, (size_t)len) == len && fsync(fd) == 0 &&
		    close(fd) == 0)
			(void)rename(tmp, path);
		else {
			close(fd);
			unlink(tmp);
		}
		if (access(tmp, F_OK) == 0)
			unlink(tmp);
	}
	OPENSSL_free(der);
}

/* The responder: ocsp_responder if set, else the certificate's AIA. */
static char *
responder_url(const struct mtls_policy *p, X509 *cert)
{
	STACK_OF(OPENSSL_STRING) *aia;
	char *url = NULL;

	if (p->ocsp_responder != NULL)
		return strdup(p->ocsp_responder);
	if (!p->ocsp_use_aia || (aia = X509_get1_ocsp(cert)) == NULL)
		return NULL;
	if (sk_OPENSSL_STRING_num(aia) > 0)
		url = strdup(sk_OPENSSL_STRING_value(aia, 0));
	X509_email_free(aia);
	return url;
}

static OCSP_RESPONSE *
ask(const struct mtls_policy *p, const char *url, OCSP_REQUEST *req,
    struct mtls_rev_answer *a)
{
	char *host = NULL, *port = NULL, *path = NULL;
	OCSP_RESPONSE *resp = NULL;
	BIO *rbio = NULL, *body = BIO_new(BIO_s_mem());
	int ssl = 0;

	if (body == NULL || i2d_OCSP_REQUEST_bio(body, req) <= 0) {
		say(a, MTLS_REV_UNKNOWN, "cannot encode the OCSP request");
		goto out;
	}
	if (!OSSL_HTTP_parse_url(url, &ssl, NULL, &host, &port, NULL, &path,
	    NULL, NULL) || ssl) {
		say(a, MTLS_REV_UNKNOWN, "%.200s: not an http:// URL", url);
		goto out;
	}
	/* proxy "": never take a proxy from the caller's environment. */
	rbio = OSSL_HTTP_transfer(NULL, host, port, path, 0, "", NULL, NULL,
	    NULL, NULL, NULL, 0, NULL, "application/ocsp-request", body,
	    "application/ocsp-response", 1, OCSP_RESPONSE_MAX,
	    (int)p->ocsp_timeout, 0);
	if (rbio == NULL) {
		say(a, MTLS_REV_UNKNOWN, "%.200s: no answer within %lds (%s)",
		    url, p->ocsp_timeout,
		    ERR_reason_error_string(ERR_peek_last_error()) ?
		    ERR_reason_error_string(ERR_peek_last_error()) : "error");
		goto out;
	}
	if ((resp = d2i_OCSP_RESPONSE_bio(rbio, NULL)) == NULL)
		say(a, MTLS_REV_UNKNOWN, "%.200s: answer is not an OCSP "
		    "response", url);
out:
	ERR_clear_error();
	BIO_free(rbio);
	BIO_free(body);
	OPENSSL_free(host);
	OPENSSL_free(port);
	OPENSSL_free(path);
	return resp;
}

void
mtls_ocsp_status(const struct mtls_policy *p, X509 *cert, X509 *issuer,
    STACK_OF(X509) *chain, struct mtls_rev_answer *a)
{
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, cert, issuer);
	OCSP_RESPONSE *resp = NULL;
	OCSP_REQUEST *req = NULL;
	char cpath[4200], *url = NULL;
	int have_cache, cacheable;

	if (id == NULL) {
		say(a, MTLS_REV_UNKNOWN, "cannot build an OCSP certificate id");
		return;
	}
	have_cache = cache_path(p, cert, issuer, cpath, sizeof(cpath)) == 0;
	if (have_cache && cache_read(cpath, &resp) == 0) {
		judge(p, resp, id, NULL, chain, "cache", a, &cacheable);
		OCSP_RESPONSE_free(resp);
		resp = NULL;
		if (a->status != MTLS_REV_UNKNOWN)
			goto out;
	}
	if ((url = responder_url(p, cert)) == NULL) {
		say(a, MTLS_REV_UNKNOWN, "no OCSP responder: no AIA URL and "
		    "ocsp_responder is not set");
		goto out;
	}
	if ((req = OCSP_REQUEST_new()) == NULL ||
	    !OCSP_request_add0_id(req, OCSP_CERTID_dup(id)) ||
	    (p->ocsp_nonce && !OCSP_request_add1_nonce(req, NULL, -1))) {
		say(a, MTLS_REV_UNKNOWN, "cannot build an OCSP request");
		goto out;
	}
	if ((resp = ask(p, url, req, a)) == NULL)
		goto out;
	judge(p, resp, id, req, chain, url, a, &cacheable);
	if (cacheable && have_cache)
		cache_write(cpath, resp);
out:
	OCSP_RESPONSE_free(resp);
	OCSP_REQUEST_free(req);
	OCSP_CERTID_free(id);
	free(url);
	ERR_clear_error();
}
