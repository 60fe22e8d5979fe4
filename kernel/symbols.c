// SPDX-License-Identifier: MIT
/*
 * The kernel's own symbol table, written into .ksyms by the second link pass
 * (scripts/gensyms.py): text symbols sorted by address, 32-bit addresses
 * (the kernel lives below 4 GiB on both arches).
 */
#include <kernel/panic.h>

extern const uint32_t ksym_count;
extern const uint32_t ksym_addrs[];
extern const uint32_t ksym_name_offs[];
extern const char ksym_strings[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *off, uintptr_t *size)
{
	uint32_t lo = 0, hi = ksym_count;

	*off = 0;
	*size = 0;
	if (!hi || addr < ksym_addrs[0])
		return NULL;
	while (hi - lo > 1) { /* last symbol with address <= addr */
		uint32_t mid = (lo + hi) / 2;
		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 >= ksym_count)
		return NULL; /* past the last symbol: the end marker */
	*off = addr - ksym_addrs[lo];
	*size = ksym_addrs[lo + 1] - ksym_addrs[lo];
	return ksym_strings + ksym_name_offs[lo];
}
