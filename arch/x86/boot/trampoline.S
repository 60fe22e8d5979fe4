/* SPDX-License-Identifier: MIT */
/*
 * AP start-up. trampoline_start..trampoline_end is copied to a page below
 * 1 MiB whose number is the STARTUP IPI vector; the AP begins there in real
 * mode at CS:IP = page:0. It only loads the boot GDT and jumps to ap_start32
 * in kernel text, still with paging off. ap_start32 finds the AP's stack by
 * its APIC id in ap_boot_table, turns paging (and long mode) on with the
 * kernel's page tables, and calls ap_main(percpu).
 */
#include <asm/boot.h>

	.section .rodata
	.code16
	.globl trampoline_start, trampoline_end
	.balign 16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tr_gdt_desc - trampoline_start
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl *(tr_jump - trampoline_start)
	.balign 8
tr_gdt_desc:
	.word 31
	.long boot_gdt
tr_jump:
	.long ap_start32
	.word BOOT_CS32
trampoline_end:

	.section .boot.text, "ax"
	.code32
ap_start32:
	movl $BOOT_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	/* Our APIC id: CPUID 0xB (x2APIC id) where the BSP said to, else CPUID 1. */
	cmpl $0, ap_use_leaf_b
	je 1f
	movl $0xb, %eax
	xorl %ecx, %ecx
	cpuid
	movl %edx, %ebx
	jmp 2f
1:	movl $1, %eax
	cpuid
	shrl $24, %ebx
2:	/* ap_boot_table: { u32 apic_id, u32 state, u64 stack_top, u64 percpu }.
	 * ap_index[id] is the entry's index + 1 (0: not listed) for ids below
	 * AP_INDEX_IDS: one load, where a search of the table costs every AP
	 * the entries before its own (1024 CPUs: ~2500 instructions each). */
	cmpl $AP_INDEX_IDS, %ebx
	jae 7f
	movzwl ap_index(,%ebx,2), %ecx
	subl $1, %ecx			/* not listed: 0 - 1 is above any count */
	cmpl ap_boot_count, %ecx
	jae ap_lost
	imull $24, %ecx, %esi
	addl $ap_boot_table, %esi
	cmpl %ebx, (%esi)
	je 4f
	jmp ap_lost
7:	movl $ap_boot_table, %esi
	movl ap_boot_count, %ecx
3:	testl %ecx, %ecx
	jz ap_lost
	cmpl %ebx, (%esi)
	je 4f
	addl $24, %esi
	decl %ecx
	jmp 3b
4:	movl 8(%esi), %esp		/* stack_top (below 4 GiB) */
	movl 16(%esi), %edi		/* percpu */

	movl %cr4, %eax
	orl ap_cr4, %eax
	movl %eax, %cr4
	cmpl $0, ap_efer
	je 5f
	movl $0xc0000080, %ecx
	rdmsr
	orl ap_efer, %eax
	wrmsr
5:	movl ap_cr3, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $0x80010001, %eax		/* PG | WP | PE */
	movl %eax, %cr0
#ifdef CONFIG_X86_64
	ljmp $BOOT_CS64, $ap_start64
	.code64
ap_start64:
	movl $BOOT_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %edi, %edi			/* zero-extend percpu */
	movl %esp, %esp
	xorl %ebp, %ebp
	call ap_main
6:	hlt
	jmp 6b
	.code32
#else
	xorl %ebp, %ebp
	pushl %edi
	call ap_main
6:	hlt
	jmp 6b
#endif

/* Not in the table: the BSP gave up on us or never listed us. Park. */
ap_lost:
	cli
	hlt
	jmp ap_lost
