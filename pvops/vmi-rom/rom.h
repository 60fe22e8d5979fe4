/* SPDX-License-Identifier: MIT */
/*
 * The VMI ROM's private per-CPU data (include/vmi.h: the kernel allocates
 * VMI_ROM_DATA_SIZE bytes, 64-byte aligned, and knows nothing of the layout).
 */
#ifndef VMI_ROM_H
#define VMI_ROM_H

#define VMI_ROM_DATA_SIZE 128

#ifndef __ASSEMBLY__
#include <stdint.h>

/* KVM's pvclock record (32 bytes, 32-byte aligned: it comes first). */
struct rom_pvclock {
	uint32_t version, pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags, pad[2];
};

struct rom_data {
	struct rom_pvclock clock;
	uint32_t eoi_word; /* KVM PV EOI: bit 0 set = the EOI may be skipped */
	uint32_t khz;	   /* TSC rate, 0 = unknown */
	uint32_t mult;	   /* ns = (tsc - tsc0) * mult >> ROM_SHIFT */
	uint32_t flags;	   /* ROM_F_* */
	uint64_t tsc0;	   /* TSC at the boot CPU's init */
	uint64_t ns0;	   /* kvmclock at the boot CPU's init */
};

#define ROM_SHIFT      22
#define ROM_F_KVMCLOCK (1u << 0)
#define ROM_F_PV_EOI   (1u << 1)

_Static_assert(sizeof(struct rom_data) <= VMI_ROM_DATA_SIZE, "VMI ROM data");
#endif
#endif
