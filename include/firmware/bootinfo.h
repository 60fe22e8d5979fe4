/* SPDX-License-Identifier: MIT */
/*
 * What the boot loader hands over, from either entry path: Multiboot v1
 * info or the PVH hvm_start_info. Pure readers over fw_mem.
 */
#ifndef FIRMWARE_BOOTINFO_H
#define FIRMWARE_BOOTINFO_H

#include <firmware/fwmem.h>

/* E820 types, which both Multiboot and hvm_start_info use. */
#define MEM_USABLE   1
#define MEM_RESERVED 2
#define MEM_ACPI     3
#define MEM_NVS	     4
#define MEM_BAD	     5

#define BOOT_MMAP_MAX	 64
#define BOOT_MODS_MAX	 4
#define BOOT_CMDLINE_MAX 512

struct boot_mem_region {
	uint64_t base, len;
	uint32_t type;
};

struct boot_module {
	uint64_t start, end;
};

struct boot_info {
	int entry; /* BOOT_ENTRY_* */
	char cmdline[BOOT_CMDLINE_MAX];
	bool cmdline_truncated; /* longer than BOOT_CMDLINE_MAX - 1: cut at a word */
	struct boot_mem_region mmap[BOOT_MMAP_MAX];
	unsigned n_mmap;
	unsigned mmap_dropped;	 /* entries beyond BOOT_MMAP_MAX */
	const char *mmap_source; /* "multiboot-mmap", "multiboot-lower-upper", "pvh", ... */
	struct boot_module mods[BOOT_MODS_MAX];
	unsigned n_mods;
	uint64_t rsdp; /* 0 if the loader gave none */
	uint32_t pvh_version;
	char loader[48];
	const char *why; /* set when a reader refused the info */
};

int multiboot_parse(const struct fw_mem *m, uint64_t info_pa, struct boot_info *out);
int pvh_parse(const struct fw_mem *m, uint64_t info_pa, struct boot_info *out);
/*
 * Xen classic PV (x86_64): the start_info page at info_pa (pseudo-physical,
 * = virtual). Memory is [0, nr_pages) pseudo-physical; Xen placed its p2m
 * list, start_info, the bootstrap page tables and a stack page right after
 * the kernel's end (kernel_end): that range comes back reserved.
 */
int xen_pv_parse(const struct fw_mem *m, uint64_t info_pa, uint64_t kernel_end,
		 struct boot_info *out);

#endif
