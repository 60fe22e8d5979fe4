// SPDX-License-Identifier: MIT
#include <kernel/physmem.h>
#include <asm/paging.h>
#include <kernel/minmax.h>

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

/*
 * The firmware searches probe the BIOS area 16 bytes at a time: remember the
 * last 64 KiB window known to be mapped, so most probes cost two compares
 * instead of a locked page-table walk. Mappings are never removed from
 * these windows (only stack guard pages are unmapped, in the kernel heap).
 */
#define WINDOW (64 * 1024ull)
static uint64_t win_start, win_end;

static const void *physmem_map(void *ctx, uint64_t pa, size_t len)
{
	if (pa >= GIB4 || len > GIB4 - pa)
		return NULL;
	if (pa < sizeof(page0))
		return pa + len <= sizeof(page0) ? page0 + pa : NULL;
	if (pa >= win_start && pa + len <= win_end)
		return (const void *)(uintptr_t)pa;
	uint64_t start = ALIGN_DOWN(pa, WINDOW), end = ALIGN_UP(pa + len, WINDOW);
	if (end > GIB4)
		end = GIB4;
	if (paging_ensure(start, end - start, 0))
		return NULL;
	if (paging_mode() != PAGING_OFF) {
		win_start = start;
		win_end = end;
	}
	return (const void *)(uintptr_t)pa;
}

const struct fw_mem physmem = {.map = physmem_map};
