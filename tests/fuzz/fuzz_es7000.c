// SPDX-License-Identifier: MIT
/* libFuzzer target for the Unisys ES7000 OEM table reader. */
#include <stdlib.h>
#include <firmware/es7000.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct es7000_oem o;
	int rc = es7000_oem_parse(data, size, &o);

	if (!o.why || (rc == FW_OK && (strlen(o.oem_id) > 6 || strlen(o.oem_table_id) > 8)))
		abort();
	return 0;
}
