/* SPDX-License-Identifier: MIT */
/*
 * The ways in, all in one image:
 *  - a Multiboot v1 header (QEMU -kernel, GRUB);
 *  - the Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY (QEMU's PVH boot, Xen PVH
 *    guests and dom0): 32-bit protected mode, paging off;
 *  - x86_64 only: the notes of a classic Xen PV kernel (Xen's dom0=pv),
 *    entered in long mode at CPL 3 on Xen's own page tables
 *    (arch/x86/xen/pv-entry.S).
 */
#include <asm/boot.h>

	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MULTIBOOT_MAGIC
	.long MULTIBOOT_FLAGS
	.long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)
#if MULTIBOOT_FLAGS & MULTIBOOT_AOUT_KLUDGE
	/*
	 * The a.out kludge (Multiboot 0.6.96 section 3.1.3): QEMU loads an ELF64
	 * kernel only this way ("Cannot load x86-64 image, give a 32bit one").
	 * The file from multiboot_header's offset back to _kernel_start is one
	 * contiguous image up to _kernel_end (kernel.lds.S keeps .bss in it).
	 */
	.long multiboot_header		/* header_addr */
	.long _kernel_start		/* load_addr */
	.long _kernel_end		/* load_end_addr */
	.long _kernel_end		/* bss_end_addr: nothing left to zero */
	.long _start			/* entry_addr */
#endif

/* An ELF note in the "Xen" namespace: namesz 4, descsz, type, desc. */
#define XEN_NOTE(type, desc...)		\
	.balign 4;			\
	.long 4, 2f - 1f, type;		\
	.asciz "Xen";			\
1:	desc;				\
2:	.balign 4

	.section .note.Xen, "a", @note
#ifdef CONFIG_X86_64
	/* QEMU reads this note's value as a size_t in an ELF64 image. */
	XEN_NOTE(XEN_ELFNOTE_PHYS32_ENTRY, .quad pvh_start)
#ifdef CONFIG_MACHINE_XEN_PV
	/* Classic PV (docs/machines.md "xen-pv"): linked at 1 MiB with virtual
	 * = pseudo-physical (VIRT_BASE 0, PADDR_OFFSET 0), like Mini-OS. */
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "mlkernel")
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad xen_pv_start)
	XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad xen_hypercall_page)
	/* Without XENFEAT_dom0 here Xen refuses to build a PV dom0. */
	XEN_NOTE(XEN_ELFNOTE_SUPPORTED_FEATURES, .long 1 << XENFEAT_dom0)
#endif
#else
	/* QEMU reads a 32-bit entry address from an ELF32 image's note. */
	XEN_NOTE(XEN_ELFNOTE_PHYS32_ENTRY, .long pvh_start)
#endif
