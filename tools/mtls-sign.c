/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls-sign: answers a pam_mtls challenge.  Reads the challenge from the
 * argument or standard input (any text containing it: a whole prompt is
 * fine), refuses it unless it names the host the user is connecting to
 * (--host, else OpenSSH's "(user@host) " askpass prefix): a server could
 * otherwise show another host's challenge and relay the answer.  Signs
 * exactly the challenge with EVP_DigestSign (any key type, Ed25519 and
 * Ed448 included) and prints an "mtls-sig v1" line carrying the
 * certificate and intermediates (common/challenge_sig.h).  The key is
 * loaded through OSSL_STORE: a file (PEM or DER, encrypted or not) or a
 * provider URI such as pkcs11:... when a provider for it is configured.
 * Exit 0 printed, 1 no challenge, 2 usage or key, 3 another host's
 * challenge (or no way to tell which host). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/store.h>
#include <openssl/ui.h>

#include "challenge.h"
#include "challenge_sig.h"
#include "pem_bundle.h"
#include "read_input.h"
#include "safe_file.h"
#include "util.h"

struct opts {
	const char *cert, *key, *chain, *pass_file, *challenge;
	const char *host;	/* the host the user connects to, or NULL */
	long chunk;		/* 0: the whole answer on one line */
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: mtls-sign --cert FILE --key FILE|URI [--chain FILE] "
	    "[--pass-file FILE]\n                 [--host NAME] [--chunk N] "
	    "[CHALLENGE|-]\n"
	    "Prints the answer to a pam_mtls challenge (one \"mtls-sig v1\" "
	    "line).\nThe challenge must name the host you connect to: --host "
	    "NAME, else the\n\"(user@host) \" that ssh puts before an askpass "
	    "prompt.\n"
	    "With --chunk N (e.g. 1000 for OpenSSH's SSH_ASKPASS), a longer "
	    "answer is given in\nparts of N bytes ending in '\\', one per "
	    "prompt (\"... answer part K: \").\n");
}

/* Password for an encrypted key: the first line of --pass-file, else
 * OpenSSL's terminal prompt (UI_OpenSSL). */
static char *
read_pass(const char *file)
{
	char err[256], *buf;
	size_t len;

	if (file == NULL)
		return NULL;
	if (tool_read(file, 4096, &buf, &len, err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-sign: %s\n", err);
		return NULL;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

static EVP_PKEY *
load_key(const char *uri, const char *pass)
{
	UI_METHOD *ui = pass ? UI_UTIL_wrap_read_pem_callback(NULL, 0) :
	    (UI_METHOD *)(uintptr_t)UI_OpenSSL();
	OSSL_STORE_CTX *st;
	OSSL_STORE_INFO *info;
	EVP_PKEY *pk = NULL;
	char abs[4096];

	/* Plain paths are resolved; URIs (pkcs11:, file:) pass as they are. */
	if (strchr(uri, ':') == NULL && tool_abspath(uri, abs,
	    sizeof(abs)) == 0)
		uri = abs;
	st = pass ? OSSL_STORE_open(uri, ui, (void *)(uintptr_t)pass, NULL,
	    NULL) : OSSL_STORE_open(uri, ui, NULL, NULL, NULL);
	while (st != NULL && pk == NULL && !OSSL_STORE_eof(st)) {
		if ((info = OSSL_STORE_load(st)) == NULL)
			continue;
		if (OSSL_STORE_INFO_get_type(info) == OSSL_STORE_INFO_PKEY)
			pk = OSSL_STORE_INFO_get1_PKEY(info);
		OSSL_STORE_INFO_free(info);
	}
	OSSL_STORE_close(st);
	if (pass)
		UI_destroy_method(ui);
	return pk;
}

/* The user's own certificate or chain file (symlinks are fine on the
 * command line); NULL with the reason on stderr. */
static STACK_OF(X509) *
load_certs(const char *path)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char real[4096], err[512];

	if (sk == NULL)
		return NULL;
	if (tool_abspath(path, real, sizeof(real)) != 0) {
		fprintf(stderr, "mtls-sign: %s: cannot resolve\n", path);
		sk_X509_free(sk);
		return NULL;
	}
	if (mtls_pem_bundle_load(real, 0, 0, sk, err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-sign: %s\n", err);
		sk_X509_free(sk);
		return NULL;
	}
	return sk;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "chain", required_argument, NULL, 'C' },
		{ "pass-file", required_argument, NULL, 'p' },
		{ "chunk", required_argument, NULL, 'n' },
		{ "host", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "c:k:C:p:n:H:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c': o->cert = optarg; break;
		case 'k': o->key = optarg; break;
		case 'C': o->chain = optarg; break;
		case 'p': o->pass_file = optarg; break;
		case 'H': o->host = optarg; break;
		case 'n':
			if (mtls_parse_long(optarg, 64, 65536, &o->chunk)) {
				fprintf(stderr, "mtls-sign: --chunk takes 64 to "
				    "65536\n");
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (o->cert == NULL || o->key == NULL || argc - optind > 1) {
		usage(stderr);
		return -1;
	}
	o->challenge = optind < argc ? argv[optind] : "-";
	return 0;
}

/* The answer as one line (caller frees), or NULL. */
static char *
sign(const struct opts *o, const char *challenge)
{
	STACK_OF(X509) *certs = load_certs(o->cert), *chain = NULL;
	char *pass = read_pass(o->pass_file), msg[256], *answer = NULL;
	EVP_PKEY *pk = (o->pass_file && !pass) ? NULL : load_key(o->key, pass);

	if (pass != NULL)
		explicit_bzero(pass, strlen(pass));
	free(pass);
	if (certs == NULL || sk_X509_num(certs) < 1 || pk == NULL) {
		fprintf(stderr, "mtls-sign: cannot load the %s\n", pk == NULL ?
		    "private key" : "certificate");
		goto out;
	}
	if (o->chain != NULL && (chain = load_certs(o->chain)) == NULL) {
		fprintf(stderr, "mtls-sign: cannot read %s\n", o->chain);
		goto out;
	}
	if ((answer = mtls_sig_make(challenge, pk, sk_X509_value(certs, 0),
	    chain, msg, sizeof(msg))) == NULL)
		fprintf(stderr, "mtls-sign: %s\n", msg);
out:
	EVP_PKEY_free(pk);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(chain, X509_free);
	return answer;
}

/* Relay protection: the challenge must name the host the user is
 * connecting to, as --host or ssh's askpass prefix names it. */
static int
host_ok(const struct opts *o, const char *text, const char *challenge)
{
	char want[256], got[256];

	if (mtls_challenge_host(challenge, got, sizeof(got)) != 0)
		return 0;
	if (o->host != NULL)
		mtls_strlcpy(want, o->host, sizeof(want));
	else if (mtls_prompt_host(text, want, sizeof(want)) != 0) {
		fprintf(stderr, "mtls-sign: refused: cannot tell which host "
		    "you are connecting to; give --host NAME (the challenge "
		    "is for %s)\n", got);
		return 0;
	}
	if (mtls_host_equal(want, got))
		return 1;
	fprintf(stderr, "mtls-sign: refused: the challenge is for host %s, "
	    "but you are connecting to %s (a server relaying another host's "
	    "challenge?)\n", got, want);
	return 0;
}

/* The text to answer: the argument, or stdin for "-" (caller frees). */
static char *
input_text(const char *arg)
{
	char err[256], *text = NULL;
	size_t len;

	if (strcmp(arg, "-") != 0)
		return strdup(arg);
	if (tool_read("-", MTLS_ANSWER_MAX, &text, &len, err, sizeof(err))) {
		fprintf(stderr, "mtls-sign: %s\n", err);
		return NULL;
	}
	return text;
}

/* Which part a prompt asks for: "... answer part K:", else 1. */
static long
part_of(const char *text)
{
	const char *p = strstr(text, " answer part ");
	long k;
	char *end;

	if (p == NULL)
		return 1;
	k = strtol(p + 13, &end, 10);
	return end != p + 13 && *end == ':' && k >= 1 && k <= 64 ? k : -1;
}

/* Parts of one answer wait in a private directory between prompts:
 * $XDG_RUNTIME_DIR, else /tmp/mtls-sign-<uid>, mode 0700 and ours. */
static int
part_file(const char *challenge, char *out, size_t outsz)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	unsigned char md[32];
	char dir[4096], hex[65];
	struct stat st;

	if (run != NULL && run[0] == '/')
		mtls_fmt(dir, sizeof(dir), "%s/mtls-sign", run);
	else
		mtls_fmt(dir, sizeof(dir), "/tmp/mtls-sign-%u",
		    (unsigned)getuid());
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -1;
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != getuid() || (st.st_mode & 077) != 0) {
		fprintf(stderr, "mtls-sign: %s is not a private directory\n",
		    dir);
		return -1;
	}
	SHA256((const unsigned char *)challenge, strlen(challenge), md);
	mtls_hex(md, sizeof(md), hex, sizeof(hex), 0);
	mtls_fmt(out, outsz, "%s/%s", dir, hex);
	return 0;
}

static int
save_answer(const char *path, const char *answer)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	size_t n = strlen(answer);
	int ok = fd >= 0 && write(fd, answer, n) == (ssize_t)n;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* Prints part k of answer, '\' at the end when more parts follow;
 * returns 1 when it was the last part, 0 when not, -1 when out of range. */
static int
print_part(const char *answer, long chunk, long k)
{
	size_t len = strlen(answer), off = (size_t)(k - 1) * (size_t)chunk;
	size_t n;

	if (off >= len)
		return -1;
	n = len - off > (size_t)chunk ? (size_t)chunk : len - off;
	printf("%.*s%s\n", (int)n, answer + off, off + n < len ? "\\" : "");
	return off + n >= len;
}

static int
answer_part(const struct opts *o, const char *challenge, long k)
{
	char path[4200], err[256], *answer = NULL;
	size_t len;
	int rc;

	if (k == 1) {
		if ((answer = sign(o, challenge)) == NULL)
			return 2;
		if (o->chunk == 0 || strlen(answer) <= (size_t)o->chunk) {
			printf("%s\n", answer);
			free(answer);
			return 0;
		}
		if (part_file(challenge, path, sizeof(path)) != 0 ||
		    save_answer(path, answer) != 0) {
			free(answer);
			return 2;
		}
	} else if (o->chunk == 0 || part_file(challenge, path,
	    sizeof(path)) != 0 || mtls_read_file(path, MTLS_ANSWER_MAX, 0,
	    &answer, &len, err, sizeof(err)) != 0) {
		fprintf(stderr, "mtls-sign: no earlier parts of this answer "
		    "(use --chunk for every part)\n");
		return 2;
	}
	rc = print_part(answer, o->chunk, k);
	if (rc != 0)
		unlink(path);	/* last part given, or nonsense asked */
	free(answer);
	return rc < 0 ? 2 : 0;
}

int
main(int argc, char **argv)
{
	char challenge[MTLS_CHALLENGE_MAX], *text;
	struct opts o;
	long part;
	int rc;

	if (parse_args(argc, argv, &o) != 0)
		return 2;
	if ((text = input_text(o.challenge)) == NULL)
		return 2;
	part = part_of(text);
	rc = mtls_challenge_find(text, challenge, sizeof(challenge));
	if (rc != 0 || part < 0) {
		fprintf(stderr, "mtls-sign: no mtls-challenge v1 line in the "
		    "input\n");
		free(text);
		return 1;
	}
	rc = host_ok(&o, text, challenge);
	free(text);
	return rc ? answer_part(&o, challenge, part) : 3;
}
