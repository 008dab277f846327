/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* cert_source=challenge through the real libpam (pam_wrapper): the
 * conversation answers the module's challenge in each way a client, an
 * attacker or a broken tool would.  Exact PAM code and reason per case. */
#include "config.h"

#include "unit.h"

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <security/pam_appl.h>

#include "challenge.h"

enum how {
	GOOD,		/* signed with the certificate's own key */
	TAMPERED,	/* last signature byte flipped */
	WRONG_KEY,	/* signed by one key, carrying another certificate */
	REPLAY,		/* a valid answer to a different challenge */
	OTHER_SERVICE,	/* the same challenge for another service */
	GARBAGE,
	TRUNCATED,
	SPLIT,		/* 300-byte lines ending in '\' */
	TOOL,		/* the answer printed by mtls-sign */
	TOOL_PARTS,	/* mtls-sign --chunk 300, asked once per part */
	OPENSSL_CLI,	/* the documented openssl cms command */
	SHA1_DIGEST,	/* signed with a SHA-1 digest */
};

struct ccase {
	const char *name;
	enum how how;
	const char *cert;	/* the signer */
	int rc;
	const char *reason;
};

static const struct ccase cases[] = {
	{ "good", GOOD, "good-ec", PAM_SUCCESS, "MTLS_OK" },
	{ "tampered signature", TAMPERED, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_SIGNATURE" },
	{ "signer is not the certificate", WRONG_KEY, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_SIGNATURE" },
	{ "replayed answer", REPLAY, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_SIGNATURE" },
	{ "challenge of another service", OTHER_SERVICE, "good-ec",
	    PAM_AUTH_ERR, "MTLS_E_BAD_SIGNATURE" },
	{ "garbage", GARBAGE, "good-ec", PAM_AUTH_ERR, "MTLS_E_BAD_INPUT" },
	{ "truncated base64", TRUNCATED, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_INPUT" },
	{ "revoked certificate, valid signature", GOOD, "revoked",
	    PAM_AUTH_ERR, "MTLS_E_REVOKED" },
	{ "expired certificate, valid signature", GOOD, "expired",
	    PAM_AUTH_ERR, "MTLS_E_EXPIRED" },
	{ "answer over 512 bytes in continued lines", SPLIT, "good-rsa",
	    PAM_SUCCESS, "MTLS_OK" },
	{ "answer from mtls-sign", TOOL, "good-ec", PAM_SUCCESS, "MTLS_OK" },
	{ "mtls-sign --chunk 300, one call per prompt", TOOL_PARTS, "good-rsa",
	    PAM_SUCCESS, "MTLS_OK" },
	{ "answer from openssl cms -sign", OPENSSL_CLI, "p384",
	    PAM_SUCCESS, "MTLS_OK" },
	{ "SHA-1 digest", SHA1_DIGEST, "good-rsa", PAM_AUTH_ERR,
	    "MTLS_E_WEAK_SIGNATURE" },
};

static X509 *
load_cert(const char *name)
{
	char file[64];

	snprintf(file, sizeof(file), "%s.pem", name);
	return pki_cert(file);
}

static EVP_PKEY *
load_key(const char *name)
{
	char file[64];
	FILE *f;
	EVP_PKEY *k;

	snprintf(file, sizeof(file), "%s.key", name);
	assert_non_null(f = fopen(pki(file), "r"));
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return k;
}

/* A detached CMS over text, base64, one line. */
static char *
cms_answer(const char *text, const char *signer, const char *carried,
    const EVP_MD *md, int flip)
{
	X509 *x = load_cert(signer);
	EVP_PKEY *k = load_key(signer);
	BIO *data = BIO_new_mem_buf(text, (int)strlen(text));
	unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP |
	    CMS_PARTIAL;
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, data, flags);
	unsigned char *der = NULL;
	char *b64;
	int len;

	assert_non_null(cms);
	if (carried != NULL)
		flags |= CMS_NOCERTS;
	assert_non_null(CMS_add1_signer(cms, x, k, md, flags));
	if (carried != NULL) {
		X509 *c = load_cert(carried);

		assert_int_equal(CMS_add1_cert(cms, c), 1);
		X509_free(c);
	}
	assert_int_equal(CMS_final(cms, data, NULL, flags), 1);
	len = i2d_CMS_ContentInfo(cms, &der);
	assert_true(len > 0);
	if (flip)
		der[len - 1] ^= 0x01;
	b64 = malloc(4 * ((size_t)len + 2) / 3 + 1);
	EVP_EncodeBlock((unsigned char *)b64, der, len);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(data);
	EVP_PKEY_free(k);
	X509_free(x);
	return b64;
}

static char *
run_cmd(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(p);
	assert_non_null(fgets(buf, 65535, p));
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* The answer a case gives to the challenge it was sent. */
static char *
answer_for(const struct ccase *c, const char *challenge)
{
	char other[MTLS_CHALLENGE_MAX], cmd[16384], *a;
	size_t n;

	switch (c->how) {
	case GOOD:
	case SPLIT:
		return cms_answer(challenge, c->cert, NULL, EVP_sha256(), 0);
	case TAMPERED:
		return cms_answer(challenge, c->cert, NULL, EVP_sha256(), 1);
	case WRONG_KEY:
		return cms_answer(challenge, "good-rsa", c->cert, EVP_sha256(),
		    0);
	case REPLAY:
		assert_int_equal(mtls_challenge_new("mtls-chal", time(NULL),
		    other, sizeof(other)), 0);
		return cms_answer(other, c->cert, NULL, EVP_sha256(), 0);
	case OTHER_SERVICE:
		snprintf(other, sizeof(other), "%s", challenge);
		memcpy(strstr(other, "mtls-chal"), "mtls-xhal", 9);
		return cms_answer(other, c->cert, NULL, EVP_sha256(), 0);
	case GARBAGE:
		return strdup("this is not an answer");
	case TRUNCATED:
		a = cms_answer(challenge, c->cert, NULL, EVP_sha256(), 0);
		n = strlen(a);
		a[n / 2] = '\0';
		return a;
	case TOOL:
		snprintf(cmd, sizeof(cmd), "%s/mtls-sign --cert %s.pem --key "
		    "%s/%s.key '%s'", getenv("MTLS_BUILDDIR"), pki(c->cert),
		    getenv("MTLS_PKI"), c->cert, challenge);
		return run_cmd(cmd);
	case OPENSSL_CLI:
		snprintf(cmd, sizeof(cmd), "printf %%s '%s' | openssl cms "
		    "-sign -binary -nosmimecap -signer %s.pem -inkey %s/%s.key "
		    "-outform DER | base64 -w0", challenge, pki(c->cert),
		    getenv("MTLS_PKI"), c->cert);
		return run_cmd(cmd);
	case SHA1_DIGEST:
		return cms_answer(challenge, c->cert, NULL, EVP_sha1(), 0);
	case TOOL_PARTS:
		break;		/* answered prompt by prompt in conv() */
	}
	return NULL;
}

struct conv_state {
	const struct ccase *c;
	char *answer;		/* whole answer, produced on first prompt */
	size_t sent;		/* for SPLIT: bytes already sent */
	int prompts;
};

static int
conv(int n, const struct pam_message **msg, struct pam_response **resp,
    void *data)
{
	struct conv_state *st = data;
	char challenge[MTLS_CHALLENGE_MAX], piece[400];
	int i;

	*resp = calloc((size_t)n, sizeof(**resp));
	for (i = 0; i < n; i++) {
		if (msg[i]->msg_style != PAM_PROMPT_ECHO_ON)
			continue;
		st->prompts++;
		if (st->c->how == TOOL_PARTS) {
			char cmd[16384];

			snprintf(cmd, sizeof(cmd), "%s/mtls-sign --chunk 300 "
			    "--cert %s.pem --key %s/%s.key '%s'",
			    getenv("MTLS_BUILDDIR"), pki(st->c->cert),
			    getenv("MTLS_PKI"), st->c->cert, msg[i]->msg);
			(*resp)[i].resp = run_cmd(cmd);
			continue;
		}
		if (st->answer == NULL) {
			assert_int_equal(mtls_challenge_find(msg[i]->msg,
			    challenge, sizeof(challenge)), 0);
			st->answer = answer_for(st->c, challenge);
		}
		if (st->c->how == SPLIT && strlen(st->answer + st->sent) > 300) {
			snprintf(piece, sizeof(piece), "%.300s\\",
			    st->answer + st->sent);
			st->sent += 300;
			(*resp)[i].resp = strdup(piece);
		} else
			(*resp)[i].resp = strdup(st->answer + st->sent);
	}
	return PAM_SUCCESS;
}

static void
test_challenges(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conv_state st = { &cases[i], NULL, 0, 0 };
		struct pam_conv pc = { conv, &st };
		pam_handle_t *ph = NULL;
		int rc;

		print_message("# %s -> %s\n", cases[i].name, cases[i].reason);
		assert_int_equal(pam_start("mtls-chal", NULL, &pc, &ph),
		    PAM_SUCCESS);
		rc = pam_authenticate(ph, 0);
		assert_int_equal(rc, cases[i].rc);
		assert_string_equal(pam_getenv(ph, "MTLS_REASON"),
		    cases[i].reason);
		if (cases[i].how == SPLIT)
			assert_true(st.prompts > 2 && strlen(st.answer) > 512);
		if (cases[i].how == TOOL_PARTS)
			assert_true(st.prompts > 3);
		if (rc == PAM_SUCCESS)
			assert_int_equal(pam_acct_mgmt(ph, 0), PAM_SUCCESS);
		pam_end(ph, rc);
		free(st.answer);
	}
}

static int
setup(void **state)
{
	(void)state;
	unit_pam_service("mtls-chal", "cert_source=challenge",
	    unit_std_config());
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_challenges),
	};

	(void)argc;
	unit_reexec_with_pam_wrapper(argv);
	return cmocka_run_group_tests(tests, setup, NULL);
}
