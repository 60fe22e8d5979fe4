/* SPDX-License-Identifier: MIT */
/*
 * The option-ROM header and the VMI header (include/vmi.h, docs/vmi.md).
 * Linked at address 0, so every symbol's value is its offset in the ROM.
 * scripts/mkrom.py fills the size byte and the checksum.
 */
#include <vmi.h>
#include "rom.h"

#ifdef VMI_ROM_KVM
#define FLAVOUR	 VMI_FLAVOUR_KVM
#define FEATURES (VMI_FEAT_KVMCLOCK | VMI_FEAT_PV_EOI)
#define NAME	 "kvm"
#elif defined(VMI_ROM_HOSTILE_FAULT)
/* Hostile ROMs for the matrix (docs/reliability.md): INIT faults ... */
#define FLAVOUR	 VMI_FLAVOUR_NATIVE
#define FEATURES 0
#define NAME	 "fault"
#elif defined(VMI_ROM_HOSTILE_LIAR)
/* ... or claims every entry while its table lacks TSC_KHZ and SCHED_CLOCK. */
#define FLAVOUR	 VMI_FLAVOUR_NATIVE
#define FEATURES 0
#define NAME	 "liar"
#else
#define FLAVOUR	 VMI_FLAVOUR_NATIVE
#define FEATURES 0
#define NAME	 "native"
#endif
#ifdef __x86_64__
#define ARCHNAME "x86_64"
#else
#define ARCHNAME "i386"
#endif
#define STR2(x) #x
#define STR(x)	STR2(x)

	.section .rom.head, "a"
	.globl rom_start
rom_start:
	.byte VMI_ROM_SIG0, VMI_ROM_SIG1
	.byte 0			/* size in 512-byte blocks: mkrom.py */
	/* The BIOS far-calls offset 3 during POST: nothing to do in real mode. */
	.byte 0xcb		/* lret */
	.fill 0x18 - 4, 1, 0
	.word 0			/* 0x18: no PCI data structure */
	.word 0			/* 0x1a: no PnP expansion header */
	.fill VMI_HEADER_OFFSET - 0x1c, 1, 0

vmi_header:
	.long VMI_SIGNATURE
	.word VMI_API_MAJOR, VMI_API_MINOR
	.byte VMI_ARCH_THIS, FLAVOUR
	.word vmi_header_end - vmi_header
	.word VMI_NR_ENTRIES
	.word vmi_version - rom_start
	.long FEATURES
	.long VMI_ROM_DATA_SIZE
	.long 0			/* image size: mkrom.py */
	/* The entry table, in VMI_E_* order. */
	.long vmi_init
#ifdef VMI_ROM_HOSTILE_LIAR
	.long 0
#else
	.long vmi_tsc_khz
#endif
	.long vmi_irq_disable
	.long vmi_irq_enable
	.long vmi_save_fl
	.long vmi_restore_fl
	.long vmi_safe_halt
	.long vmi_halt
	.long vmi_read_cr0
	.long vmi_write_cr0
	.long vmi_read_cr2
	.long vmi_read_cr3
	.long vmi_write_cr3
	.long vmi_read_cr4
	.long vmi_write_cr4
	.long vmi_flush_tlb_one
	.long vmi_apic_read
	.long vmi_apic_write
	.long vmi_apic_eoi
#ifdef VMI_ROM_HOSTILE_LIAR
	.long 0
#else
	.long vmi_sched_clock
#endif
vmi_header_end:
	.if (vmi_header_end - vmi_header) != VMI_HEADER_FIXED + 4 * VMI_NR_ENTRIES
	.error "VMI entry table does not match VMI_NR_ENTRIES"
	.endif
vmi_version:
	.asciz "vmi-" NAME " " STR(VMI_API_MAJOR) "." STR(VMI_API_MINOR) " " ARCHNAME
