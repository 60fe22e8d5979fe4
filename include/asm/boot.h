/* SPDX-License-Identifier: MIT */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H

/* Multiboot v1: page-align modules (bit 0), provide memory info (bit 1);
 * x86_64 also gives its load addresses (bit 16, the "a.out kludge"). */
#define MULTIBOOT_MAGIC	      0x1BADB002
#define MULTIBOOT_AOUT_KLUDGE 0x00010000
#ifdef CONFIG_X86_64
#define MULTIBOOT_FLAGS 0x00010003
#else
#define MULTIBOOT_FLAGS 0x00000003
#endif
#define MULTIBOOT_LOADER_MAGIC 0x2BADB002

/* Xen ELF notes (xen/include/public/elfnote.h). */
#define XEN_ELFNOTE_ENTRY	       1
#define XEN_ELFNOTE_HYPERCALL_PAGE     2
#define XEN_ELFNOTE_VIRT_BASE	       3
#define XEN_ELFNOTE_PADDR_OFFSET       4
#define XEN_ELFNOTE_XEN_VERSION	       5
#define XEN_ELFNOTE_GUEST_OS	       6
#define XEN_ELFNOTE_LOADER	       8
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
#define XEN_ELFNOTE_PHYS32_ENTRY       18
#define XENFEAT_dom0		       11
#define HVM_START_MAGIC		       0x336ec578

/* AP start-up: APIC ids below this find their ap_boot_table entry through
 * the ap_index array in one load; larger ids search the table. */
#define AP_INDEX_IDS 4096

/* How the kernel was entered: recorded by the entry code. */
#define BOOT_ENTRY_MULTIBOOT 1
#define BOOT_ENTRY_PVH	     2
#define BOOT_ENTRY_XEN_PV    3 /* x86_64: Xen's classic PV entry, info = start_info */

/* Boot GDT selectors, shared by the entry code and the AP trampoline. */
#define BOOT_CS32 0x08
#define BOOT_DS	  0x10
#define BOOT_CS64 0x18

/* isa-debug-exit values; QEMU exits with (v << 1) | 1. */
#define EXIT_PASS	     0
#define EXIT_FAIL	     1
#define EXIT_PANIC	     2
#define EXIT_UNSUPPORTED_CPU 3

#define BOOT_STACK_SIZE 16384

#endif
