/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The pam_mtls authors */
/* mtls.conf: the whole loader (syntax, keys, maps, trust files). */
#include "config.h"

#include "fuzz.h"

#include "cfg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	struct mtls_cfg *cfg = mtls_cfg_load(fuzz_file(data, size), err,
	    sizeof(err));

	mtls_cfg_free(cfg);
	return 0;
}
