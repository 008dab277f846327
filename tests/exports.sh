#!/bin/bash
# pam_mtls.so exports the PAM entry points and nothing else.
. "$MTLS_SRCDIR/tests/lib.sh"

syms=$(nm -D --defined-only "$MODULE" | awk '{print $3}' | sort | tr '\n' ' ')
is "$syms" "pam_sm_acct_mgmt pam_sm_authenticate pam_sm_setcred " \
	"pam_mtls.so exports exactly pam_sm_*"
like "$(readelf -d "$MODULE")" "BIND_NOW" "pam_mtls.so is linked with -z now"
like "$(readelf -d "$MODULE")" "NODELETE" "pam_mtls.so stays loaded across pam_end (CRL cache)"
done_testing
