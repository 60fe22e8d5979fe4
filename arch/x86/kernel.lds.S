/* SPDX-License-Identifier: MIT */
/*
 * One layout for both arches: loaded and linked at 1 MiB, virtual = physical.
 * Section boundaries are page aligned because paging maps each with its own
 * permissions: .boot, .init.text and .text executable, .rodata read-only,
 * .data/.bss writable and non-executable; .init.text, once freed, writable
 * and non-executable.
 */
#ifdef CONFIG_X86_64
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
#else
OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
#endif
ENTRY(_start)

PHDRS {
	boot PT_LOAD FLAGS(5);
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
	ksyms PT_LOAD FLAGS(4);
	note PT_NOTE FLAGS(4);
}

SECTIONS
{
	. = 0x100000;
	_kernel_start = .;

	/* The Multiboot header must sit in the first 8 KiB of the file. */
	.boot : {
		KEEP(*(.multiboot))
		*(.boot.text)
		*(.boot.data)
	} :boot

	/* __init code (include/kernel/compiler.h), on pages of its own that
	 * are freed after boot. Before .text, which would otherwise take
	 * .text.init with its .text.*; inside [_kernel_start, _etext), so it is
	 * mapped and protected with the text until then. */
	. = ALIGN(4096);
	_init_start = .;
	.init.text : {
		*(.text.init)
	} :text
	. = ALIGN(4096);
	_init_end = .;

	_text = .;
	.text : {
		*(.text.entry)
		*(.text .text.*)
	} :text
	. = ALIGN(4096);
	_etext = .;

	_rodata = .;
	.rodata : {
		*(.rodata .rodata.*)
		. = ALIGN(16);
		/* Walked in link order: the order of obj-y in the Build.mk files. */
		__machines_start = .;
		KEEP(*(SORT(.machines.*)))
		__machines_end = .;
		. = ALIGN(16);
		__ktests_start = .;
		KEEP(*(.ktests))
		__ktests_end = .;
		. = ALIGN(16);
		__pv_sites_start = .;
		KEEP(*(.pv_sites))
		__pv_sites_end = .;
		. = ALIGN(16);
		__ex_table_start = .;
		KEEP(*(.ex_table))
		__ex_table_end = .;
		/* Written during boot, read-only from paging_protect_kernel on
		 * (__ro_after_init): the chosen machine ops and irqchip. */
		. = ALIGN(16);
		__ro_after_init_start = .;
		*(.data.ro_after_init)
		__ro_after_init_end = .;
	} :rodata
	.note : {
		KEEP(*(.note.Xen))
	} :rodata :note
	. = ALIGN(4096);
	_erodata = .;

	_data = .;
	.data : {
		*(.data .data.*)
	} :data
#ifdef CONFIG_X86_64
	/*
	 * x86_64: zero-filled in the file. QEMU loads an ELF64 kernel through
	 * Multiboot only with the a.out kludge (arch/x86/boot/header.S), which
	 * takes one contiguous file range [load_addr, load_end_addr): .ksyms
	 * comes after .bss, so .bss must occupy its place in the file.
	 */
	.bss : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		BYTE(0)
		. = ALIGN(4096);
		__bss_end = .;
	} :data
#else
	.bss : {
		__bss_start = .;
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	} :data
#endif
	. = ALIGN(4096);
	_edata = .;

	/* Filled in by the second link pass (scripts/gensyms.py). Last, so
	 * its size cannot move anything above. */
	.ksyms : {
		*(.ksyms)
	} :ksyms
	. = ALIGN(4096);
	_kernel_end = .;

	/DISCARD/ : {
		*(.comment) *(.note.GNU-stack) *(.note.gnu.property) *(.eh_frame)
	}
}
