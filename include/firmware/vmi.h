/* SPDX-License-Identifier: MIT */
/*
 * Finding and validating a VMI ROM (include/vmi.h has the ABI, docs/vmi.md
 * the rules). Pure functions over bytes: host-tested (tests/host/test_vmi.c).
 */
#ifndef FIRMWARE_VMI_H
#define FIRMWARE_VMI_H

#include <firmware/fwmem.h>
#include <vmi.h>

/* Where the BIOS puts option ROMs, and its granularity (PC BIOS convention). */
#define VMI_SCAN_START 0xc0000u
#define VMI_SCAN_END   0xe0000u
#define VMI_SCAN_STEP  0x800u

struct vmi_rom {
	uint64_t addr; /* physical base of the ROM */
	uint32_t size; /* size byte * 512 */
	uint16_t api_major, api_minor;
	uint8_t arch, flavour;
	uint16_t nr_entries;
	uint32_t features, data_size;
	uint32_t entry[VMI_NR_ENTRIES]; /* offsets; 0 = not provided */
	char version[VMI_VERSION_MAX];
	const char *why; /* "ok", or why the ROM was refused */
};

/*
 * Validate the ROM in buf[0..len) (len: what may be read; the ROM's own size
 * must fit in it) for arch (VMI_ARCH_*). FW_OK and *out filled; FW_ENOENT if
 * it is not a VMI ROM at all (no 0x55 0xAA or no VMI signature: another
 * option ROM); FW_EINVAL with out->why when it is one but unusable.
 */
int vmi_rom_check(const void *buf, size_t len, uint8_t arch, struct vmi_rom *out);

/*
 * Scan [VMI_SCAN_START, VMI_SCAN_END) in VMI_SCAN_STEP steps. FW_OK with the
 * first valid VMI ROM; else FW_EINVAL with the first refused one (its
 * address and why), else FW_ENOENT.
 */
int vmi_rom_scan(const struct fw_mem *m, uint8_t arch, struct vmi_rom *out);

#endif
