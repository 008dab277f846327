/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls_recheck, the account phase's re-check of an accepted decision, at
 * injected times: the verifier's validity rule with clock_skew, for every
 * certificate of the path, and the account rules of the policy it is
 * given.  Runs under nss_wrapper (bob is uid 1002). */
#include "config.h"

#include "unit.h"

#include <time.h>

#include "decision.h"
#include "recheck.h"

/* An accepted decision for good-ec.pem (bob) under the configuration
 * text; *chain gets the verified path. */
static struct mtls_cfg *
accepted(const char *extra, struct mtls_decision *d, STACK_OF(X509) **chain)
{
	struct mtls_request req;
	struct mtls_cfg *cfg;
	char text[16384], err[512];
	size_t len;
	char *pem = slurp(pki("good-ec.pem"), &len);

	snprintf(text, sizeof(text), "ca_file = %s\n", pki("ca.pem"));
	snprintf(text + strlen(text), sizeof(text) - strlen(text),
	    "intermediates_file = %s\nrevocation = none\n%s\nmap = by_cn\n"
	    "[map by_cn]\nsource = cn\nlookup = local\n", pki("chain.pem"),
	    extra);
	cfg = mtls_cfg_load(temp_file(text), err, sizeof(err));
	if (cfg == NULL)
		print_message("# %s\n", err);
	assert_non_null(cfg);
	memset(&req, 0, sizeof(req));
	req.service = "test";
	req.cert = pem;
	req.cert_len = len;
	req.chain_out = chain;
	mtls_decide(cfg, &req, d);
	assert_int_equal(d->reason, MTLS_OK);
	assert_string_equal(d->user, "bob");
	assert_int_equal(d->uid, 1002);
	assert_non_null(*chain);
	assert_int_equal(sk_X509_num(*chain), 3);
	free(pem);
	return cfg;
}

static time_t
when(const ASN1_TIME *t)
{
	struct tm tm;

	assert_int_equal(ASN1_TIME_to_tm(t, &tm), 1);
	return timegm(&tm);
}

/* The path is valid from the latest notBefore to the earliest notAfter of
 * its certificates (the test PKI issues them seconds apart). */
static void
path_window(STACK_OF(X509) *chain, time_t *nb, time_t *na)
{
	int i;

	*nb = 0;
	*na = 0;
	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		time_t b = when(X509_get0_notBefore(x));
		time_t a = when(X509_get0_notAfter(x));

		if (i == 0 || b > *nb)
			*nb = b;
		if (i == 0 || a < *na)
			*na = a;
	}
}

/* Re-checks a copy of the accepted record at `at`; returns the reason. */
static enum mtls_reason
recheck_at(const struct mtls_policy *p, STACK_OF(X509) *chain,
    const struct mtls_decision *d, time_t at, struct mtls_decision *out)
{
	struct mtls_window w;

	assert_int_equal(mtls_path_window(chain, &w), 0);
	*out = *d;
	mtls_recheck(p, chain, &w, at, out);
	print_message("# recheck -> %s: %s\n", mtls_reason_name(out->reason),
	    out->message);
	return out->reason;
}

static void
test_validity(void **state)
{
	struct mtls_decision d, r;
	STACK_OF(X509) *chain = NULL;
	struct mtls_cfg *cfg = accepted("clock_skew = 300", &d, &chain);
	const struct mtls_policy *p = &cfg->global;
	X509 *inter;
	time_t nb, na;

	(void)state;
	path_window(chain, &nb, &na);
	assert_int_equal(recheck_at(p, chain, &d, time(NULL), &r), MTLS_OK);
	assert_string_equal(r.user, "bob");
	assert_int_equal(r.nchecks, 3);
	assert_string_equal(r.checks[0].name, "validity");
	assert_string_equal(r.checks[1].name, "revocation");
	assert_string_equal(r.checks[2].name, "account");
	/* Within the skew either side, then past it. */
	assert_int_equal(recheck_at(p, chain, &d, na + 299, &r), MTLS_OK);
	assert_int_equal(recheck_at(p, chain, &d, na + 300, &r),
	    MTLS_E_EXPIRED);
	assert_string_equal(r.user, "");
	assert_non_null(strstr(r.message, "has expired: depth "));
	assert_int_equal(recheck_at(p, chain, &d, nb - 300, &r), MTLS_OK);
	assert_int_equal(recheck_at(p, chain, &d, nb - 301, &r),
	    MTLS_E_NOT_YET_VALID);
	/* Every certificate of the path counts: an intermediate that
	 * expires before the leaf (its notAfter rewritten: the re-check
	 * trusts the signatures auth verified). */
	inter = sk_X509_value(chain, 1);
	assert_non_null(sk_X509_set(chain, 1, X509_dup(inter)));
	X509_free(inter);
	inter = sk_X509_value(chain, 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(inter), 10));
	assert_int_equal(recheck_at(p, chain, &d, time(NULL), &r), MTLS_OK);
	assert_int_equal(recheck_at(p, chain, &d, time(NULL) + 400, &r),
	    MTLS_E_EXPIRED);
	assert_non_null(strstr(r.message, "depth 1 "));
	sk_X509_pop_free(chain, X509_free);
	mtls_cfg_free(cfg);
}

/* The account rules of the policy in force: min_uid and deny_users. */
static void
test_account_rules(void **state)
{
	struct mtls_decision d, r;
	STACK_OF(X509) *chain = NULL;
	struct mtls_cfg *cfg = accepted("", &d, &chain);
	struct mtls_policy p;

	(void)state;
	p = cfg->global;
	p.min_uid = 1500;
	assert_int_equal(recheck_at(&p, chain, &d, time(NULL), &r),
	    MTLS_E_USER_UNKNOWN);
	assert_non_null(strstr(r.message, "below min_uid 1500"));
	p.min_uid = 0;
	p.deny_users = "alice,bob";
	assert_int_equal(recheck_at(&p, chain, &d, time(NULL), &r),
	    MTLS_E_USER_UNKNOWN);
	assert_non_null(strstr(r.message, "deny_users"));
	/* A uid other than auth's: the name now means another account. */
	d.uid = 4242;
	assert_int_equal(recheck_at(&cfg->global, chain, &d, time(NULL), &r),
	    MTLS_E_USER_UNKNOWN);
	sk_X509_pop_free(chain, X509_free);
	mtls_cfg_free(cfg);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_account_rules),
	};

	(void)argc;
	unit_reexec_with_pam_wrapper(argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
