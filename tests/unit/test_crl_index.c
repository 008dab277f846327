/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* The CRL index reader against damaged and hostile files: every length,
 * count and offset is checked before use, and a damaged or shuffled
 * record makes a lookup say "cannot tell" (-1), never "not listed". */
#include "config.h"

#include "unit.h"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "crl_cache.h"
#include "crl_index.h"
#include "crl_warn.h"

#define N_ENTRIES 50

/* A signed CRL with serials 1..N_ENTRIES (reason keyCompromise for odd
 * ones, none for even ones), revoked at 1e9 + serial, by key (a fresh
 * one when NULL). */
static X509_CRL *
make_crl_by(EVP_PKEY *key)
{
	X509_CRL *crl = X509_CRL_new();
	X509_NAME *name = X509_NAME_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, 1000000000);
	int i;

	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"unit CA", -1, -1, 0);
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, name);
	X509_CRL_set1_lastUpdate(crl, t);
	for (i = 1; i <= N_ENTRIES; i++) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *s = ASN1_INTEGER_new();
		ASN1_TIME *when = ASN1_TIME_set(NULL, 1000000000 + i);

		ASN1_INTEGER_set(s, i * 1000003L);
		X509_REVOKED_set_serialNumber(r, s);
		X509_REVOKED_set_revocationDate(r, when);
		if (i % 2) {
			ASN1_ENUMERATED *e = ASN1_ENUMERATED_new();

			ASN1_ENUMERATED_set(e, 1);
			X509_REVOKED_add1_ext_i2d(r, NID_crl_reason, e, 0, 0);
			ASN1_ENUMERATED_free(e);
		}
		X509_CRL_add0_revoked(crl, r);
		ASN1_INTEGER_free(s);
		ASN1_TIME_free(when);
	}
	X509_CRL_sort(crl);
	assert_true(X509_CRL_sign(crl, key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	ASN1_TIME_free(t);
	return crl;
}

static X509_CRL *
make_crl(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509_CRL *crl;

	assert_non_null(key);
	crl = make_crl_by(key);
	EVP_PKEY_free(key);
	return crl;
}

/* A self-signed "CN=unit CA" with key: the CRLs' issuer. */
static X509 *
make_issuer(EVP_PKEY *key)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();

	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"unit CA", -1, -1, 0);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, name);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, key);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return x;
}

static unsigned char key32[32] = { 1, 2, 3 };
static unsigned char sha32[32] = { 4, 5, 6 };

static unsigned char *
build(X509_CRL *crl, size_t *len, struct stat *st)
{
	unsigned char *buf;
	char why[256];

	memset(st, 0, sizeof(*st));
	st->st_dev = 7;
	st->st_ino = 42;
	st->st_size = 1234;
	st->st_mtim.tv_sec = 1700000000;
	st->st_mtim.tv_nsec = 5;
	st->st_ctim.tv_sec = 1700000001;
	assert_int_equal(mtls_crl_index_build(crl, key32, st, sha32, &buf,
	    len, why, sizeof(why)), 0);
	return buf;
}

static ASN1_INTEGER *
serial(long v)
{
	ASN1_INTEGER *s = ASN1_INTEGER_new();

	ASN1_INTEGER_set(s, v);
	return s;
}

static int
lookup(struct mtls_crl_index *ix, long v, time_t *when, int *reason)
{
	ASN1_INTEGER *s = serial(v);
	int r = mtls_crl_index_lookup(ix, s, when, reason);

	ASN1_INTEGER_free(s);
	return r;
}

static struct mtls_crl_index *
open_mem(const unsigned char *buf, size_t len, const struct stat *st)
{
	char why[256];

	return mtls_crl_index_from_mem(buf, len, st, why, sizeof(why));
}

static void
rehash(unsigned char *buf)
{
	struct mtls_crlidx_header *h = (struct mtls_crlidx_header *)buf;
	unsigned int n = 0;

	assert_true(EVP_Digest(h, offsetof(struct mtls_crlidx_header,
	    header_sha256), h->header_sha256, &n, EVP_sha256(), NULL));
}

static void
test_roundtrip(void **state)
{
	X509_CRL *crl = make_crl();
	struct mtls_crl_index *ix;
	struct stat st, other;
	unsigned char *buf;
	time_t when;
	size_t len;
	int i, reason;

	(void)state;
	buf = build(crl, &len, &st);
	assert_int_equal(len, sizeof(struct mtls_crlidx_header) +
	    N_ENTRIES * sizeof(struct mtls_crlidx_record));
	assert_non_null(ix = open_mem(buf, len, &st));
	assert_int_equal(mtls_crl_index_count(ix), N_ENTRIES);
	assert_memory_equal(mtls_crl_index_key(ix), key32, 32);
	assert_int_equal(X509_NAME_cmp(X509_CRL_get_issuer(
	    mtls_crl_index_crl(ix)), X509_CRL_get_issuer(crl)), 0);
	assert_int_equal(ASN1_TIME_compare(X509_CRL_get0_lastUpdate(
	    mtls_crl_index_crl(ix)), X509_CRL_get0_lastUpdate(crl)), 0);
	assert_null(X509_CRL_get0_nextUpdate(mtls_crl_index_crl(ix)));
	for (i = 1; i <= N_ENTRIES; i++) {
		assert_int_equal(lookup(ix, i * 1000003L, &when, &reason), 1);
		assert_int_equal(when, 1000000000 + i);
		assert_int_equal(reason, i % 2 ? 1 : 0);
		assert_int_equal(lookup(ix, i * 1000003L + 1, &when, &reason),
		    0);
	}
	assert_int_equal(lookup(ix, 0, &when, &reason), 0);
	assert_int_equal(lookup(ix, -1000003L, &when, &reason), 0);
	mtls_crl_index_close(ix);
	/* Another version of the CRL file: each identity field. */
	other = st;
	other.st_ino++;
	assert_null(open_mem(buf, len, &other));
	other = st;
	other.st_mtim.tv_nsec++;
	assert_null(open_mem(buf, len, &other));
	other = st;
	other.st_ctim.tv_sec++;
	assert_null(open_mem(buf, len, &other));
	other = st;
	other.st_size--;
	assert_null(open_mem(buf, len, &other));
	free(buf);
	X509_CRL_free(crl);
}

/* Every shorter file, every header byte flipped: refused. */
static void
test_truncated_and_flipped(void **state)
{
	X509_CRL *crl = make_crl();
	struct stat st;
	unsigned char *buf;
	size_t len, l;

	(void)state;
	buf = build(crl, &len, &st);
	for (l = 0; l < len; l++)
		assert_null(open_mem(buf, l, &st));
	for (l = 0; l < sizeof(struct mtls_crlidx_header); l++) {
		buf[l] ^= 0x01;
		assert_null(open_mem(buf, len, &st));
		buf[l] ^= 0x01;
	}
	free(buf);
	X509_CRL_free(crl);
}

/* Fields that pass the checksum (a writer's bug, or a forger with the
 * format at hand) still cannot point outside the file. */
static void
test_hostile_header(void **state)
{
	X509_CRL *crl = make_crl();
	struct mtls_crl_index *ix;
	struct mtls_crlidx_header *h;
	struct stat st;
	unsigned char *buf, *copy;
	size_t len;
	int i;

	(void)state;
	buf = build(crl, &len, &st);
	copy = malloc(len);
	for (i = 0; i < 14; i++) {
		memcpy(copy, buf, len);
		h = (struct mtls_crlidx_header *)copy;
		switch (i) {
		case 0: h->n_records++; break;
		case 1: h->n_records = UINT64_MAX / 40 + 1; break;
		case 2: h->n_records = UINT64_MAX; break;
		case 3: h->header_size++; break;
		case 4: h->record_size = 8; break;
		case 5: h->file_size++; break;
		case 6: h->flags = 1; break;
		case 7: h->issuer_len = MTLS_CRLIDX_META_MAX + 1; break;
		case 8: h->exts_len = UINT32_MAX; break;
		case 9: h->issuer_len++; break;
		case 10: h->thisupdate_len = 0; break;
		case 11: h->nextupdate_len = 3; break;
		case 12: h->version = MTLS_CRLIDX_VERSION + 1; break;
		case 13: h->thisupdate_len = MTLS_CRLIDX_META_MAX -
		    h->issuer_len + 1; break;
		}
		rehash(copy);
		assert_null(open_mem(copy, len, &st));
	}
	/* The unchanged header rehashed is fine: the checks above are not
	 * just the checksum. */
	memcpy(copy, buf, len);
	rehash(copy);
	assert_non_null(ix = open_mem(copy, len, &st));
	mtls_crl_index_close(ix);
	free(copy);
	free(buf);
	X509_CRL_free(crl);
}

/* Any byte of a record flipped: a lookup that meets it says -1. */
static void
test_damaged_record(void **state)
{
	X509_CRL *crl = make_crl();
	struct mtls_crl_index *ix;
	struct stat st;
	unsigned char *buf, *rec;
	size_t len, b, rs = sizeof(struct mtls_crlidx_record);
	time_t when;
	int i, reason;

	(void)state;
	buf = build(crl, &len, &st);
	assert_non_null(ix = open_mem(buf, len, &st));
	for (i = 0; i < N_ENTRIES; i++) {
		rec = buf + sizeof(struct mtls_crlidx_header) + (size_t)i * rs;
		for (b = 0; b < rs; b++) {
			rec[b] ^= 0x80;
			/* The record's own serial: the search reaches it. */
			assert_int_equal(lookup(ix, (i + 1) * 1000003L, &when,
			    &reason), -1);
			rec[b] ^= 0x80;
		}
	}
	mtls_crl_index_close(ix);
	free(buf);
	X509_CRL_free(crl);
}

/* Records out of order, each with valid check bytes: a lookup that sees
 * the disorder says -1 rather than "not listed". */
static void
test_unsorted(void **state)
{
	X509_CRL *crl = make_crl();
	struct mtls_crl_index *ix;
	struct mtls_crlidx_record *r, tmp;
	struct stat st;
	unsigned char *buf;
	size_t len;
	time_t when;
	int i, reason, minus = 0;

	(void)state;
	buf = build(crl, &len, &st);
	r = (struct mtls_crlidx_record *)(buf +
	    sizeof(struct mtls_crlidx_header));
	for (i = 0; i < N_ENTRIES / 2; i++) {
		tmp = r[i];
		r[i] = r[N_ENTRIES - 1 - i];
		r[N_ENTRIES - 1 - i] = tmp;
	}
	for (i = 0; i < N_ENTRIES; i++)
		assert_int_equal(mtls_crl_index_check(&r[i], (uint64_t)i,
		    r[i].check), 0);
	assert_non_null(ix = open_mem(buf, len, &st));
	for (i = 1; i <= N_ENTRIES; i++) {
		int got = lookup(ix, i * 1000003L, &when, &reason);

		/* Found by chance on the path, or the disorder seen. */
		assert_true(got == 1 || got == -1);
		minus += got == -1;
	}
	assert_true(minus > N_ENTRIES / 2);
	mtls_crl_index_close(ix);
	free(buf);
	X509_CRL_free(crl);
}

/* What the writer refuses to index: parsed each time instead. */
static void
test_not_indexable(void **state)
{
	X509_CRL *crl = make_crl();
	X509_REVOKED *r = X509_REVOKED_new();
	ASN1_INTEGER *s = serial(1000003L);
	ASN1_TIME *t = ASN1_TIME_set(NULL, 1000000000);
	struct stat st;
	unsigned char *buf;
	size_t len;
	char why[256];

	(void)state;
	memset(&st, 0, sizeof(st));
	X509_REVOKED_set_serialNumber(r, s);
	X509_REVOKED_set_revocationDate(r, t);
	X509_CRL_add0_revoked(crl, r);	/* the same serial twice */
	assert_int_equal(mtls_crl_index_build(crl, key32, &st, sha32, &buf,
	    &len, why, sizeof(why)), 1);
	assert_string_equal(why, "a serial is listed twice");
	assert_null(buf);
	ASN1_INTEGER_free(s);
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
}

/* The trust rules on disk: directory and file owned by us and writable
 * by no one else. */
static void
test_trust(void **state)
{
	X509_CRL *crl = make_crl();
	struct mtls_crl_index *ix;
	char dir[256], path[512], why[512];
	struct stat st;
	unsigned char *buf;
	size_t len;
	time_t when;
	int reason;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/idx", unit_dir());
	assert_int_equal(mkdir(dir, 0700), 0);
	buf = build(crl, &len, &st);
	assert_int_equal(mtls_crl_index_name(dir, "/etc/x.crl", path,
	    sizeof(path)), 0);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	chmod(path, 0644);
	assert_non_null(ix = mtls_crl_index_open(dir, "/etc/x.crl", &st, why,
	    sizeof(why)));
	/* Records read from the file. */
	assert_int_equal(lookup(ix, 7 * 1000003L, &when, &reason), 1);
	assert_int_equal(when, 1000000000 + 7);
	assert_int_equal(lookup(ix, 7 * 1000003L + 1, &when, &reason), 0);
	/* Truncated after it was opened: an error, not a crash. */
	assert_int_equal(truncate(path, (off_t)len / 2), 0);
	assert_int_equal(lookup(ix, N_ENTRIES * 1000003L, &when, &reason),
	    -1);
	mtls_crl_index_close(ix);
	f = fopen(path, "wb");
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	assert_null(mtls_crl_index_open(dir, "/etc/y.crl", &st, why,
	    sizeof(why)));
	chmod(path, 0664);
	assert_null(mtls_crl_index_open(dir, "/etc/x.crl", &st, why,
	    sizeof(why)));
	chmod(path, 0644);
	chmod(dir, 0770);
	assert_null(mtls_crl_index_open(dir, "/etc/x.crl", &st, why,
	    sizeof(why)));
	chmod(dir, 0700);
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_null(mtls_crl_index_open(dir, "/etc/x.crl", &st, why,
	    sizeof(why)));
	free(buf);
	X509_CRL_free(crl);
}

/* mtls-check --health's audit: the recorded SHA-256 against the bytes. */
static void
test_audit(void **state)
{
	X509_CRL *crl = make_crl();
	char dir[256], crlpath[256], why[512];
	unsigned char sha[32], *der = NULL;
	unsigned int n = 0;
	struct stat st;
	int len;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/audit", unit_dir());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(crlpath, sizeof(crlpath), "%s/a.crl", unit_dir());
	len = i2d_X509_CRL(crl, &der);
	assert_true(len > 0);
	assert_non_null(f = fopen(crlpath, "wb"));
	assert_int_equal(fwrite(der, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	assert_int_equal(stat(crlpath, &st), 0);
	assert_int_equal(mtls_crl_index_audit(dir, crlpath, why, sizeof(why)),
	    0);	/* no index yet */
	assert_true(EVP_Digest(der, (size_t)len, sha, &n, EVP_sha256(), NULL));
	assert_int_equal(mtls_crl_index_write(dir, crlpath, crl, key32, &st,
	    sha, why, sizeof(why)), 0);
	assert_int_equal(mtls_crl_index_audit(dir, crlpath, why, sizeof(why)),
	    1);
	sha[0] ^= 1;
	assert_int_equal(mtls_crl_index_write(dir, crlpath, crl, key32, &st,
	    sha, why, sizeof(why)), 0);
	assert_int_equal(mtls_crl_index_audit(dir, crlpath, why, sizeof(why)),
	    -1);
	OPENSSL_free(der);
	X509_CRL_free(crl);
}

/* The index stands for its CRL only under the key that verified it: for
 * any other issuer key the set parses the file and verifies for real. */
static void
test_key_binding(void **state)
{
	EVP_PKEY *key = EVP_EC_gen("P-256"), *key2 = EVP_EC_gen("P-256");
	X509_CRL *crl = make_crl_by(key);
	X509 *iss = make_issuer(key), *other = make_issuer(key2);
	struct mtls_crl_set *set;
	char dir[256], crlpath[256], why[512], when[32];
	unsigned char sha[32], wrong[32] = { 9 }, *der = NULL;
	unsigned int n = 0;
	ASN1_INTEGER *s7 = serial(7 * 1000003L);
	struct stat st;
	int len, reason;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/keys", unit_dir());
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(crlpath, sizeof(crlpath), "%s/k.crl", unit_dir());
	len = i2d_X509_CRL(crl, &der);
	assert_non_null(f = fopen(crlpath, "wb"));
	assert_int_equal(fwrite(der, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	chmod(crlpath, 0644);
	assert_int_equal(stat(crlpath, &st), 0);
	assert_true(EVP_Digest(der, (size_t)len, sha, &n, EVP_sha256(), NULL));
	/* An index recording a key that is neither issuer's. */
	assert_int_equal(mtls_crl_index_write(dir, crlpath, crl, wrong, &st,
	    sha, why, sizeof(why)), 0);
	assert_non_null(set = mtls_crl_set_get_indexed(crlpath, dir, why,
	    sizeof(why)));
	assert_int_equal(mtls_crl_set_indexed(set), 1);
	assert_int_equal(mtls_crl_set_verify(set, 0, iss), 1);	/* parsed */
	assert_int_equal(mtls_crl_set_verify(set, 0, other), 0);
	assert_int_equal(mtls_crl_set_lookup(set, 0, iss, s7, when,
	    sizeof(when), &reason), 1);
	assert_int_equal(reason, 1);
	mtls_crl_set_put(set);
	OPENSSL_free(der);
	ASN1_INTEGER_free(s7);
	X509_free(iss);
	X509_free(other);
	X509_CRL_free(crl);
	EVP_PKEY_free(key);
	EVP_PKEY_free(key2);
}

/* The early warning: once per file per MTLS_CRL_WARN_EVERY seconds. */
static void
test_warn_rate(void **state)
{
	(void)state;
	assert_int_equal(mtls_crl_warn_due("/a.crl", 1000), 1);
	assert_int_equal(mtls_crl_warn_due("/a.crl", 1001), 0);
	assert_int_equal(mtls_crl_warn_due("/b.crl", 1001), 1);
	assert_int_equal(mtls_crl_warn_due("/a.crl",
	    1000 + MTLS_CRL_WARN_EVERY - 1), 0);
	assert_int_equal(mtls_crl_warn_due("/a.crl",
	    1000 + MTLS_CRL_WARN_EVERY), 1);
	/* A clock set back does not silence it for good. */
	assert_int_equal(mtls_crl_warn_due("/b.crl", 10), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_truncated_and_flipped),
		cmocka_unit_test(test_hostile_header),
		cmocka_unit_test(test_damaged_record),
		cmocka_unit_test(test_unsorted),
		cmocka_unit_test(test_not_indexable),
		cmocka_unit_test(test_trust),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_key_binding),
		cmocka_unit_test(test_warn_rate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
