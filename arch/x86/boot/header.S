/* SPDX-License-Identifier: MIT */
/*
 * The two ways in: a Multiboot v1 header (QEMU -kernel, GRUB) and the Xen
 * PVH ELF note XEN_ELFNOTE_PHYS32_ENTRY (QEMU's PVH boot, Xen PVH guests and
 * dom0). Both enter 32-bit protected mode with paging off.
 */
#include <asm/boot.h>

	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MULTIBOOT_MAGIC
	.long MULTIBOOT_FLAGS
	.long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

/*
 * ELF note: namesz 4 ("Xen\0"), descsz 4, type 18. QEMU reads a 32-bit
 * entry address from an ELF32 image's note, Xen accepts 4 or 8 bytes.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4
	.long 4
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start
