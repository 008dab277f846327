/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* cert_source=challenge through the real libpam (pam_wrapper): the
 * conversation answers the module's challenge in each way a client, an
 * attacker or a broken tool would.  Exact PAM code and reason per case. */
#include "config.h"

#include <ctype.h>
#include <sys/wait.h>

#include "unit.h"

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <security/pam_appl.h>

#include "challenge.h"
#include "challenge_sig.h"

#define SVC "mtls-chal"		/* the standard policy */
#define SVC448 "mtls-chal448"	/* allowed_curves adds Ed448 */

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
	RIPEMD_DIGEST,	/* CMS signed with RIPEMD-160 */
	ENVELOPE,	/* "mtls-sig v1", made by mtls_sig_make */
	ENV_TAMPERED,	/* ... with one signature byte flipped */
	ENV_SHA1,	/* ... ECDSA over SHA-1, digest token "sha1" */
	ENV_NONE_RSA,	/* ... an RSA signature claiming digest "none" */
	ENV_SPACE,	/* ... with a trailing space */
	DOC_RECIPE,	/* the openssl recipe in docs/sshd.md, as shipped */
	LEAK_INPUT,	/* fuzz/regressions/challenge/: leaked 272 bytes */
};

struct ccase {
	const char *name;
	enum how how;
	const char *cert;	/* the signer */
	int rc;
	const char *reason;
	const char *service;	/* NULL: SVC */
};

static const struct ccase cases[] = {
	{ "good", GOOD, "good-ec", PAM_SUCCESS, "MTLS_OK", NULL },
	{ "tampered signature", TAMPERED, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_SIGNATURE", NULL },
	{ "signer is not the certificate", WRONG_KEY, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_SIGNATURE", NULL },
	{ "replayed answer", REPLAY, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_SIGNATURE", NULL },
	{ "challenge of another service", OTHER_SERVICE, "good-ec",
	    PAM_AUTH_ERR, "MTLS_E_BAD_SIGNATURE", NULL },
	{ "garbage", GARBAGE, "good-ec", PAM_AUTH_ERR, "MTLS_E_BAD_INPUT",
	    NULL },
	{ "truncated base64", TRUNCATED, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_INPUT", NULL },
	{ "revoked certificate, valid signature", GOOD, "revoked",
	    PAM_AUTH_ERR, "MTLS_E_REVOKED", NULL },
	{ "expired certificate, valid signature", GOOD, "expired",
	    PAM_AUTH_ERR, "MTLS_E_EXPIRED", NULL },
	{ "answer over 512 bytes in continued lines", SPLIT, "good-rsa",
	    PAM_SUCCESS, "MTLS_OK", NULL },
	{ "answer from mtls-sign", TOOL, "good-ec", PAM_SUCCESS, "MTLS_OK",
	    NULL },
	{ "mtls-sign --chunk 300, one call per prompt", TOOL_PARTS, "good-rsa",
	    PAM_SUCCESS, "MTLS_OK", NULL },
	{ "answer from openssl cms -sign", OPENSSL_CLI, "p384",
	    PAM_SUCCESS, "MTLS_OK", NULL },
	{ "SHA-1 digest", SHA1_DIGEST, "good-rsa", PAM_AUTH_ERR,
	    "MTLS_E_WEAK_SIGNATURE", NULL },
	{ "RIPEMD-160 digest in CMS", RIPEMD_DIGEST, "good-rsa", PAM_AUTH_ERR,
	    "MTLS_E_WEAK_SIGNATURE", NULL },
	{ "envelope, Ed25519", ENVELOPE, "good-ed25519", PAM_SUCCESS,
	    "MTLS_OK", NULL },
	{ "envelope, Ed448", ENVELOPE, "good-ed448", PAM_SUCCESS, "MTLS_OK",
	    SVC448 },
	{ "envelope, Ed448, policy without Ed448", ENVELOPE, "good-ed448",
	    PAM_AUTH_ERR, "MTLS_E_WEAK_KEY", NULL },
	{ "envelope, ECDSA", ENVELOPE, "good-ec", PAM_SUCCESS, "MTLS_OK",
	    NULL },
	{ "envelope, RSA", ENVELOPE, "good-rsa", PAM_SUCCESS, "MTLS_OK", NULL },
	{ "envelope, tampered signature", ENV_TAMPERED, "good-ed25519",
	    PAM_AUTH_ERR, "MTLS_E_BAD_SIGNATURE", NULL },
	{ "envelope, SHA-1", ENV_SHA1, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_WEAK_SIGNATURE", NULL },
	{ "envelope, RSA claiming digest none", ENV_NONE_RSA, "good-rsa",
	    PAM_AUTH_ERR, "MTLS_E_WEAK_SIGNATURE", NULL },
	{ "envelope, trailing space", ENV_SPACE, "good-ec", PAM_AUTH_ERR,
	    "MTLS_E_BAD_INPUT", NULL },
	{ "envelope from mtls-sign, Ed25519", TOOL, "good-ed25519",
	    PAM_SUCCESS, "MTLS_OK", NULL },
	{ "envelope from mtls-sign --chunk 300, Ed448", TOOL_PARTS,
	    "good-ed448", PAM_SUCCESS, "MTLS_OK", SVC448 },
	{ "docs/sshd.md recipe, Ed25519", DOC_RECIPE, "good-ed25519",
	    PAM_SUCCESS, "MTLS_OK", NULL },
	{ "docs/sshd.md recipe, Ed448", DOC_RECIPE, "good-ed448",
	    PAM_SUCCESS, "MTLS_OK", SVC448 },
	{ "docs/sshd.md recipe, ECDSA P-256", DOC_RECIPE, "good-ec",
	    PAM_SUCCESS, "MTLS_OK", NULL },
	{ "docs/sshd.md recipe, ECDSA P-384", DOC_RECIPE, "p384",
	    PAM_SUCCESS, "MTLS_OK", NULL },
	{ "docs/sshd.md recipe, RSA", DOC_RECIPE, "good-rsa", PAM_SUCCESS,
	    "MTLS_OK", NULL },
	{ "fuzzer's leak input (unknown SignedData digest)", LEAK_INPUT,
	    "good-ec", PAM_AUTH_ERR, "MTLS_E_BAD_SIGNATURE", NULL },
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

/* The host a challenge names: this machine's name, as the module takes
 * it from gethostname() (the test hosts' names need no escaping). */
static const char *
this_host(void)
{
	static char host[256];

	assert_int_equal(gethostname(host, sizeof(host)), 0);
	return host;
}

static char *
b64(const unsigned char *der, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, der, (int)n);
	return out;
}

/* An "mtls-sig v1" answer built by hand: signed with md (NULL: EdDSA),
 * naming token as its digest, the signature's first byte flipped if
 * asked.  (ENVELOPE uses the product's mtls_sig_make instead.) */
static char *
env_answer(const char *text, const char *signer, const EVP_MD *md,
    const char *token, int flip)
{
	X509 *x = load_cert(signer);
	EVP_PKEY *k = load_key(signer);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char sig[2048], *der = NULL;
	size_t siglen = sizeof(sig);
	int derlen = i2d_X509(x, &der);
	char *s64, *c64, *out;

	assert_int_equal(EVP_DigestSignInit(ctx, NULL, md, NULL, k), 1);
	assert_int_equal(EVP_DigestSign(ctx, sig, &siglen,
	    (const unsigned char *)text, strlen(text)), 1);
	if (flip)
		sig[0] ^= 0x01;
	s64 = b64(sig, siglen);
	c64 = b64(der, (size_t)derlen);
	out = malloc(strlen(s64) + strlen(c64) + 64);
	sprintf(out, "mtls-sig v1 %s %s %s", token, s64, c64);
	free(s64);
	free(c64);
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	X509_free(x);
	return out;
}

static char *
sig_make(const char *text, const char *signer)
{
	X509 *x = load_cert(signer);
	EVP_PKEY *k = load_key(signer);
	char msg[256], *a = mtls_sig_make(text, k, x, NULL, msg, sizeof(msg));

	assert_non_null(a);
	EVP_PKEY_free(k);
	X509_free(x);
	return a;
}

/* The openssl recipe of docs/sshd.md exactly as shipped, only the
 * certificate and key paths (~/.mtls/me.*) pointed at the test PKI. */
static char *
doc_recipe(const char *challenge, const char *signer)
{
	char cmd[8192], script[64];

	snprintf(script, sizeof(script), "%s/mtls-answer", unit_dir());
	snprintf(cmd, sizeof(cmd), "awk '/tests\\/pam\\/test_challenge.c "
	    "runs this block/ { f = 1; next } f && /^```sh/ { g = 1; next } "
	    "g && /^```/ { exit } g' %s/docs/sshd.md | sed "
	    "'s|~/.mtls/me.pem|%s/%s.pem|g; s|~/.mtls/me.key|%s/%s.key|g' "
	    "> %s", getenv("MTLS_SRCDIR"), getenv("MTLS_PKI"), signer,
	    getenv("MTLS_PKI"), signer, script);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "sh %s '%s' '%s answer: '", script,
	    this_host(), challenge);
	return run_cmd(cmd);
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
		snprintf(cmd, sizeof(cmd), "%s/mtls-sign --host %s --cert "
		    "%s.pem --key %s/%s.key '%s'", getenv("MTLS_BUILDDIR"),
		    this_host(), pki(c->cert), getenv("MTLS_PKI"), c->cert,
		    challenge);
		return run_cmd(cmd);
	case OPENSSL_CLI:
		snprintf(cmd, sizeof(cmd), "printf %%s '%s' | openssl cms "
		    "-sign -binary -nosmimecap -signer %s.pem -inkey %s/%s.key "
		    "-outform DER | base64 -w0", challenge, pki(c->cert),
		    getenv("MTLS_PKI"), c->cert);
		return run_cmd(cmd);
	case SHA1_DIGEST:
		return cms_answer(challenge, c->cert, NULL, EVP_sha1(), 0);
	case RIPEMD_DIGEST:
		return cms_answer(challenge, c->cert, NULL, EVP_ripemd160(), 0);
	case ENVELOPE:
		return sig_make(challenge, c->cert);
	case ENV_TAMPERED:
		return env_answer(challenge, c->cert, NULL, "none", 1);
	case ENV_SHA1:
		return env_answer(challenge, c->cert, EVP_sha1(), "sha1", 0);
	case ENV_NONE_RSA:
		return env_answer(challenge, c->cert, EVP_sha256(), "none", 0);
	case ENV_SPACE:
		a = sig_make(challenge, c->cert);
		a = realloc(a, strlen(a) + 2);
		strcat(a, " ");
		return a;
	case DOC_RECIPE:
		return doc_recipe(challenge, c->cert);
	case LEAK_INPUT:
		snprintf(cmd, sizeof(cmd), "%s/fuzz/regressions/challenge/"
		    "leak-cms-verify-unknown-digest", getenv("MTLS_SRCDIR"));
		return slurp(cmd, &n);
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

			char host[256];
			size_t h;

			/* As ssh hands it to SSH_ASKPASS: "(user@host) "
			 * first, the host in capitals here (DNS names
			 * compare without case). */
			snprintf(host, sizeof(host), "%s", this_host());
			for (h = 0; host[h] != '\0'; h++)
				host[h] = (char)toupper((unsigned char)host[h]);
			snprintf(cmd, sizeof(cmd), "%s/mtls-sign --chunk 300 "
			    "--cert %s.pem --key %s/%s.key '(carol@%s) %s'",
			    getenv("MTLS_BUILDDIR"), pki(st->c->cert),
			    getenv("MTLS_PKI"), st->c->cert, host,
			    msg[i]->msg);
			(*resp)[i].resp = run_cmd(cmd);
			continue;
		}
		if (st->answer == NULL) {
			char host[256];

			assert_int_equal(mtls_challenge_find(msg[i]->msg,
			    challenge, sizeof(challenge)), 0);
			/* The module names this machine as gethostname()
			 * does: the name mtls-sign compares with. */
			assert_int_equal(mtls_challenge_host(challenge, host,
			    sizeof(host)), 0);
			assert_string_equal(host, this_host());
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
		assert_int_equal(pam_start(cases[i].service ?
		    cases[i].service : SVC, NULL, &pc, &ph), PAM_SUCCESS);
		rc = pam_authenticate(ph, 0);
		assert_int_equal(rc, cases[i].rc);
		assert_string_equal(pam_getenv(ph, "MTLS_REASON"),
		    cases[i].reason);
		if (cases[i].how == SPLIT)
			assert_true(st.prompts > 2 && strlen(st.answer) > 512);
		if (cases[i].how == TOOL_PARTS)
			assert_true(st.prompts >= 3);
		if (rc == PAM_SUCCESS)
			assert_int_equal(pam_acct_mgmt(ph, 0), PAM_SUCCESS);
		pam_end(ph, rc);
		free(st.answer);
	}
}

/* mtls-sign and a challenge shown by a server: the host it names must be
 * the one the user connects to (--host, else ssh's "(user@host) "). */
struct relay {
	const char *name;
	const char *host;	/* --host, or NULL */
	const char *text;	/* what mtls-sign is given */
	int exit;
	const char *err;	/* in its standard error */
};

#define CHAL_WEB1 "mtls-challenge v1 sshd web1 1764000000 " \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

static const struct relay relays[] = {
	{ "--host names another host", "web2", CHAL_WEB1, 3,
	    "refused: the challenge is for host web1, but you are "
	    "connecting to web2" },
	{ "ssh prefix names another host", NULL,
	    "(alice@evil.example) " CHAL_WEB1 " answer: ", 3,
	    "the challenge is for host web1, but you are connecting to "
	    "evil.example" },
	{ "short name is not the FQDN", NULL,
	    "(alice@web1.example.com) " CHAL_WEB1 " answer: ", 3,
	    "but you are connecting to web1.example.com" },
	{ "a prefix inside the server's text does not count", NULL,
	    "(alice@evil) (alice@web1) " CHAL_WEB1 " answer: ", 3,
	    "but you are connecting to evil" },
	{ "no host known", NULL, CHAL_WEB1, 3,
	    "refused: cannot tell which host you are connecting to; give "
	    "--host NAME" },
	{ "--host wins over the prefix", "evil",
	    "(alice@web1) " CHAL_WEB1 " answer: ", 3,
	    "but you are connecting to evil" },
	{ "prefix names it, other case, trailing dot", NULL,
	    "(alice@WEB1.) " CHAL_WEB1 " answer: ", 0, "" },
	{ "--host names it", "Web1", CHAL_WEB1, 0, "" },
};

static void
test_relay(void **state)
{
	char cmd[16384], errfile[128], *err;
	size_t i, n;
	int st;

	(void)state;
	snprintf(errfile, sizeof(errfile), "%s/sign.err", unit_dir());
	for (i = 0; i < sizeof(relays) / sizeof(relays[0]); i++) {
		const struct relay *r = &relays[i];

		print_message("# mtls-sign: %s -> exit %d\n", r->name, r->exit);
		snprintf(cmd, sizeof(cmd), "%s/mtls-sign %s%s --cert "
		    "%s/good-ed25519.pem --key %s/good-ed25519.key '%s' "
		    ">/dev/null 2>%s", getenv("MTLS_BUILDDIR"),
		    r->host ? "--host " : "", r->host ? r->host : "",
		    getenv("MTLS_PKI"), getenv("MTLS_PKI"), r->text, errfile);
		st = system(cmd);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), r->exit);
		err = slurp(errfile, &n);
		if (r->exit == 0)
			assert_int_equal(n, 0);
		else if (strstr(err, r->err) == NULL)
			fail_msg("stderr \"%s\" lacks \"%s\"", err, r->err);
		free(err);
	}
}

static int
setup(void **state)
{
	(void)state;
	char conf[8192];
	size_t n;
	char *std = slurp(unit_std_config(), &n);

	unit_pam_service(SVC, "cert_source=challenge", unit_std_config());
	snprintf(conf, sizeof(conf), "allowed_curves = P-256, P-384, P-521, "
	    "Ed25519, Ed448\n%s", std);
	free(std);
	unit_pam_service(SVC448, "cert_source=challenge", temp_file(conf));
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_challenges),
		cmocka_unit_test(test_relay),
	};

	(void)argc;
	unit_reexec_with_pam_wrapper(argv);
	return cmocka_run_group_tests(tests, setup, NULL);
}
