/* SPDX-License-Identifier: MIT */
/*
 * Usable physical memory as sorted, disjoint [start, end) ranges. Pure:
 * host-tested. Built from the boot memory map (reserved beats usable where
 * firmware lists both), then reservations (kernel image, modules, low
 * memory) are cut out.
 */
#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include <firmware/bootinfo.h>
#include <kernel/minmax.h>

#define MEMMAP_MAX 128

struct mem_range {
	uint64_t start, end;
};

struct memmap {
	struct mem_range r[MEMMAP_MAX];
	unsigned n;
	unsigned dropped; /* ranges lost to MEMMAP_MAX */
};

void memmap_init(struct memmap *m);
void memmap_add(struct memmap *m, uint64_t start, uint64_t end);
void memmap_remove(struct memmap *m, uint64_t start, uint64_t end);
/* Usable RAM from a boot memory map, page-aligned inwards, below limit. */
void memmap_from_boot(struct memmap *m, const struct boot_info *bi, uint64_t limit);
uint64_t memmap_total(const struct memmap *m);

#endif
