/* Certificate → exactly one account, by ordered rules. */
#ifndef MTLS_MAP_H
#define MTLS_MAP_H

#include <openssl/x509.h>

#include "cfg.h"
#include "decision.h"

/* Tries the policy's rules in order.  The first rule whose lookups yield
 * accounts decides: one account → d->user and d->rule are set; several →
 * MTLS_E_AMBIGUOUS_MAPPING.  No rule → MTLS_E_NO_MAPPING.  The account must
 * then resolve through NSS, else MTLS_E_USER_UNKNOWN. */
enum mtls_reason mtls_map_identity(const struct mtls_policy *p, X509 *leaf,
    struct mtls_decision *d);

/* Applies a rule's transforms (match, lowercase, strip_suffix) to one
 * source value.  Returns 0 and the key, or -1 when the rule does not apply
 * to that value. */
int mtls_map_transform(const struct mtls_map *m, const char *value,
    char *key, size_t keysz);

#endif
