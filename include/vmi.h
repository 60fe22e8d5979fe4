/* SPDX-License-Identifier: MIT */
/*
 * The VMI hypervisor-ROM ABI (docs/vmi.md): the kernel's one copy of it.
 * The ROM (pvops/vmi-rom/) is built from this header too.
 *
 * A VMI ROM is a PC option ROM. Offsets are from the ROM's first byte:
 *   0x00  0x55 0xAA
 *   0x02  size in 512-byte blocks
 *   0x03  real-mode init entry the BIOS calls during POST: a far return
 *   0x18  0 (no PCI data structure), 0x1A 0 (no PnP header)
 *   0x20  struct vmi_header, then its entry table
 * and a checksum byte somewhere makes all size * 512 bytes sum to 0.
 *
 * Entry points are offsets from the ROM base; the code is position
 * independent and runs wherever the BIOS put the ROM, in the kernel's ring 0
 * with the kernel's paging (identity) and stack. Every op entry follows the
 * pvops convention of the op it implements (include/pvops.h): register-
 * convention ops preserve everything but their outputs; the C-convention
 * entries (INIT, TSC_KHZ, APIC_*, SCHED_CLOCK) use x86_64 SysV or i386
 * regparm(3).
 *
 * Versioning: a kernel accepts a ROM whose api_major equals VMI_API_MAJOR,
 * whatever its api_minor. Minor versions only append entries (nr_entries
 * grows) or feature bits; anything else is a new major.
 */
#ifndef VMI_H
#define VMI_H

#define VMI_ROM_SIG0	  0x55
#define VMI_ROM_SIG1	  0xAA
#define VMI_ROM_BLOCK	  512
#define VMI_HEADER_OFFSET 0x20
#define VMI_SIGNATURE	  0x52494d56u /* "VMIR" in memory order */
#define VMI_API_MAJOR	  1
#define VMI_API_MINOR	  0

#define VMI_ARCH_I386	1
#define VMI_ARCH_X86_64 2
#ifdef __x86_64__
#define VMI_ARCH_THIS VMI_ARCH_X86_64
#else
#define VMI_ARCH_THIS VMI_ARCH_I386
#endif

#define VMI_FLAVOUR_NATIVE 0 /* plain instructions, TSC clock */
#define VMI_FLAVOUR_KVM	   1 /* kvmclock and PV EOI where KVM offers them */

/* Entry indices: the order of the entry table. 0 offset = not provided. */
#define VMI_E_INIT	    0 /* u32 init(void *data, u32 size, const void *boot_data) */
#define VMI_E_TSC_KHZ	    1 /* u32 tsc_khz(void): 0 = unknown */
#define VMI_E_IRQ_DISABLE   2
#define VMI_E_IRQ_ENABLE    3
#define VMI_E_SAVE_FL	    4
#define VMI_E_RESTORE_FL    5
#define VMI_E_SAFE_HALT	    6
#define VMI_E_HALT	    7
#define VMI_E_READ_CR0	    8
#define VMI_E_WRITE_CR0	    9
#define VMI_E_READ_CR2	    10
#define VMI_E_READ_CR3	    11
#define VMI_E_WRITE_CR3	    12
#define VMI_E_READ_CR4	    13
#define VMI_E_WRITE_CR4	    14
#define VMI_E_FLUSH_TLB_ONE 15
#define VMI_E_APIC_READ	    16 /* u32 apic_read(u32 reg) */
#define VMI_E_APIC_WRITE    17 /* void apic_write(u32 reg, u32 value) */
#define VMI_E_APIC_EOI	    18 /* void apic_eoi(void) */
#define VMI_E_SCHED_CLOCK   19 /* u64 sched_clock(void): ns since init */
#define VMI_NR_ENTRIES	    20 /* in API 1.0 */

/*
 * The entries that implement a pvop, by the op's NAME in <pvops_list.h>:
 * entry VMI_E_<NAME> implements PV_<NAME>, with that op's convention.
 * machines/vmi.c binds them from this list; a name that is not both a
 * VMI_E_ entry and a pvop does not compile. The numbers above are the ABI
 * and do not move; adding a pvop changes nothing here.
 */
#define VMI_PV_OPS(X)                                                                              \
	X(IRQ_DISABLE)                                                                             \
	X(IRQ_ENABLE)                                                                              \
	X(SAVE_FL)                                                                                 \
	X(RESTORE_FL)                                                                              \
	X(SAFE_HALT)                                                                               \
	X(HALT)                                                                                    \
	X(READ_CR0)                                                                                \
	X(WRITE_CR0)                                                                               \
	X(READ_CR2)                                                                                \
	X(READ_CR3)                                                                                \
	X(WRITE_CR3)                                                                               \
	X(READ_CR4)                                                                                \
	X(WRITE_CR4)                                                                               \
	X(FLUSH_TLB_ONE)                                                                           \
	X(APIC_READ)                                                                               \
	X(APIC_WRITE)                                                                              \
	X(APIC_EOI)                                                                                \
	X(SCHED_CLOCK)

/* Feature flags (header.features): what this ROM build may use. */
#define VMI_FEAT_KVMCLOCK (1u << 0)
#define VMI_FEAT_PV_EOI	  (1u << 1)

/*
 * Per-CPU data: the kernel allocates header.data_size bytes per CPU (zeroed,
 * 64-byte aligned, within one page, identity-mapped so the ROM may hand its
 * address to a hypervisor), calls INIT with it on that CPU (boot_data NULL on
 * the boot CPU, the boot CPU's area on the others), and once INIT returned
 * non-zero stores its address at %gs:VMI_PERCPU_DATA_OFFSET (x86_64: from the
 * GS_BASE MSR; i386: the GS segment's base). Until then that pointer is NULL
 * and the ROM's ops must work without their data (plain EOI, clock 0).
 * INIT returns the mask of entries usable on this CPU (bit = entry index);
 * 0 refuses the CPU. The kernel binds only entries whose bit the boot CPU set.
 */
#define VMI_DATA_MAX 4096
#ifdef __x86_64__
#define VMI_PERCPU_DATA_OFFSET 8
#else
#define VMI_PERCPU_DATA_OFFSET 4
#endif

#define VMI_VERSION_MAX	 48 /* version string, NUL included */
#define VMI_HEADER_FIXED 28 /* struct vmi_header before entry[] */

#ifndef __ASSEMBLY__
#include <stdint.h>

struct vmi_header {
	uint32_t signature; /* VMI_SIGNATURE */
	uint16_t api_major, api_minor;
	uint8_t arch;	     /* VMI_ARCH_* */
	uint8_t flavour;     /* VMI_FLAVOUR_* */
	uint16_t header_len; /* this struct plus the entry table */
	uint16_t nr_entries;
	uint16_t version_offset; /* NUL-terminated ASCII, from the ROM base */
	uint32_t features;	 /* VMI_FEAT_* */
	uint32_t data_size;	 /* per-CPU bytes INIT needs, <= VMI_DATA_MAX */
	uint32_t image_size;	 /* bytes built: must equal the size byte * 512 */
	uint32_t entry[];	 /* nr_entries offsets from the ROM base */
} __attribute__((packed));

_Static_assert(sizeof(struct vmi_header) == VMI_HEADER_FIXED, "VMI header layout");

/* Pinned where the kernel's struct percpu is in scope (machines/vmi.c). */
#ifdef KERNEL_PERCPU_H
#include <stddef.h>
_Static_assert(offsetof(struct percpu, vmi_data) == VMI_PERCPU_DATA_OFFSET,
	       "struct percpu moved vmi_data: that changes the VMI ABI (docs/vmi.md)");
#endif
#endif

#endif
