// SPDX-License-Identifier: MIT
/*
 * The memory map of a PVH dom0. Xen hands dom0 an hvm_start_info of
 * version 0, which has no memory map: XENMEM_memory_map returns it as E820
 * entries instead. xen_e820_parse is a pure reader over those bytes.
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <firmware/bootinfo.h>
#include <string.h>

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* nr entries of 20 bytes {u64 addr, u64 size, u32 type}, at most len bytes. */
static unsigned xen_e820_parse(const uint8_t *buf, size_t len, unsigned nr,
			       struct boot_mem_region *out, unsigned max, unsigned *dropped)
{
	unsigned n = 0;

	*dropped = 0;
	if (nr > len / XEN_E820_ENTRY_SIZE)
		nr = (unsigned)(len / XEN_E820_ENTRY_SIZE);
	for (unsigned i = 0; i < nr; i++) {
		const uint8_t *e = buf + (size_t)i * XEN_E820_ENTRY_SIZE;
		uint64_t base = le64(e), size = le64(e + 8);
		uint32_t type = (uint32_t)e[16] | (uint32_t)e[17] << 8 | (uint32_t)e[18] << 16 |
				(uint32_t)e[19] << 24;
		if (!size || base + size < base)
			continue; /* empty or wrapping: not a region */
		if (n == max) {
			(*dropped)++;
			continue;
		}
		out[n++] = (struct boot_mem_region){base, size, type};
	}
	return n;
}

static uint8_t e820_buf[BOOT_MMAP_MAX * XEN_E820_ENTRY_SIZE] __aligned(8);

int xen_memory_map(struct boot_info *bi)
{
	struct xen_memory_map m = {
		.nr_entries = BOOT_MMAP_MAX,
		.buffer = (uintptr_t)e820_buf,
	};

	if (xen_hc_memory_op(XENMEM_memory_map, &m) < 0)
		return -1;
	bi->n_mmap = xen_e820_parse(e820_buf, sizeof(e820_buf), m.nr_entries, bi->mmap,
				    BOOT_MMAP_MAX, &bi->mmap_dropped);
	bi->mmap_source = "xen-memory-map";
	return bi->n_mmap ? 0 : -1;
}
