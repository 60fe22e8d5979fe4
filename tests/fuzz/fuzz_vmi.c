// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the VMI ROM validator (arch/x86/firmware/vmi_rom.c):
 * the input is an option ROM, checked for both arches. Whatever it says, an
 * accepted ROM's entries, header and version string lie inside it, and INIT
 * is present: what machines/vmi.c then trusts. Seeds: the ROMs make vmi-rom
 * builds (tests/fuzz/corpus/vmi).
 */
#include <stdlib.h>
#include <firmware/vmi.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t arches[] = {VMI_ARCH_I386, VMI_ARCH_X86_64};
	struct vmi_rom r;

	for (unsigned a = 0; a < 2; a++) {
		r.addr = 0xc0000;
		int rc = vmi_rom_check(data, size, arches[a], &r);
		if (!r.why || r.addr != 0xc0000)
			abort();
		if (rc != FW_OK)
			continue;
		if (r.size > size || !r.entry[VMI_E_INIT] || r.arch != arches[a] ||
		    r.data_size > VMI_DATA_MAX ||
		    strnlen(r.version, VMI_VERSION_MAX) == VMI_VERSION_MAX)
			abort();
		for (unsigned e = 0; e < VMI_NR_ENTRIES; e++)
			if (r.entry[e] && (r.entry[e] < VMI_HEADER_OFFSET || r.entry[e] >= r.size))
				abort();
	}
	return 0;
}
