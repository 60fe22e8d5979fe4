// SPDX-License-Identifier: MIT
#include <kernel/physmem.h>
#include <asm/paging.h>

#define GIB4 0x100000000ull

static uint8_t page0[4096];

void physmem_snapshot_page0(void)
{
	/* Runs before paging is on (i386) or while the boot tables map all
	 * of the low 4 GiB (x86_64), so page 0 is still readable. */
	uintptr_t zero = 0;

	__asm__("" : "+r"(zero)); /* hide the null pointer from the optimiser */
	memcpy(page0, (const void *)zero, sizeof(page0));
}

static const void *physmem_map(void *ctx, uint64_t pa, size_t len)
{
	if (pa >= GIB4 || len > GIB4 - pa)
		return NULL;
	if (pa < sizeof(page0))
		return pa + len <= sizeof(page0) ? page0 + pa : NULL;
	if (paging_ensure(pa, len, 0))
		return NULL;
	return (const void *)(uintptr_t)pa;
}

const struct fw_mem physmem = { .map = physmem_map };
