/* SPDX-License-Identifier: MIT */
/*
 * 32-bit entry for both arches. Multiboot enters at _start with
 * eax = 0x2BADB002 and ebx = the Multiboot info; PVH enters at pvh_start
 * with ebx = the hvm_start_info. Either way: protected mode, paging off,
 * interrupts off, and a GDT we must not rely on.
 *
 * i386 calls start_kernel_early(entry, info) with paging still off. x86_64
 * checks for long mode, identity-maps the low 4 GiB with 2 MiB pages and
 * switches to long mode first; the C code builds the real page tables.
 */
#include <asm/boot.h>

#define COM1	0x3f8

	.section .boot.text, "ax"
	.code32
	.globl _start, pvh_start
_start:
	cli
	cld
	xorl %ecx, %ecx
	cmpl $MULTIBOOT_LOADER_MAGIC, %eax
	jne common32			/* entry 0: unknown loader, reported in C */
	movl $BOOT_ENTRY_MULTIBOOT, %ecx
	jmp common32

pvh_start:
	cli
	cld
	movl $BOOT_ENTRY_PVH, %ecx

common32:
	lgdt boot_gdt_desc
	ljmp $BOOT_CS32, $1f
1:	movl $BOOT_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl $boot_stack_top, %esp
	movl %ecx, boot_entry
	movl %ebx, boot_info
	pushl $0
	popfl

	/* CPUID exists if EFLAGS.ID (bit 21) can be toggled: not on a 386. */
	pushfl
	popl %eax
	movl %eax, %edx
	xorl $0x200000, %eax
	pushl %eax
	popfl
	pushfl
	popl %eax
	xorl %edx, %eax
	testl $0x200000, %eax
	jz no_cpuid
	movl $1, boot_has_cpuid

	/* Entry timestamp for ready_ns, where there is a TSC (not on a 486). */
	movl $1, %eax
	cpuid
	testl $0x10, %edx
	jz no_cpuid
	rdtsc
	movl %eax, boot_tsc
	movl %edx, boot_tsc + 4
no_cpuid:

#ifdef CONFIG_X86_64
	cmpl $0, boot_has_cpuid
	je no_long_mode
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	xorl %esi, %esi
	btl $20, %edx			/* NX: enable EFER.NXE with LME */
	jnc 1f
	movl $0x800, %esi
1:
	/* PML4[0] -> PDPT; PDPT[0..3] -> 4 PDs of 2 MiB pages = low 4 GiB. */
	movl $boot_pdpt + 3, boot_pml4
	movl $boot_pd, %eax
	orl $3, %eax
	xorl %ecx, %ecx
2:	movl %eax, boot_pdpt(, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jb 2b
	xorl %ecx, %ecx
3:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present, writable, 2 MiB */
	movl %eax, boot_pd(, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax			/* high dword: bits 32+ of ecx << 21 */
	movl %eax, boot_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jb 3b

	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx		/* EFER */
	rdmsr
	orl $0x100, %eax		/* LME */
	orl %esi, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax		/* PG | PE */
	movl %eax, %cr0
	ljmp $BOOT_CS64, $entry64

	.code64
entry64:
	movl $BOOT_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_entry(%rip), %edi
	movl boot_info(%rip), %esi
	call start_kernel_early
4:	hlt
	jmp 4b

	.code32
/*
 * The x86_64 kernel on a CPU without long mode: say so on COM1 (and port
 * 0xE9), then stop in a way every runner can tell from a reset: QEMU's
 * isa-debug-exit (only after fw_cfg says this is QEMU: port 0xf4 may be
 * anything elsewhere), Bochs' magic breakpoint with the status in eax, then
 * halt forever.
 */
no_long_mode:
	movw $0, %ax			/* UART: 115200 8n1, FIFO on */
	movw $COM1 + 1, %dx
	outb %al, %dx
	movb $0x80, %al
	movw $COM1 + 3, %dx
	outb %al, %dx
	movb $1, %al
	movw $COM1, %dx
	outb %al, %dx
	movb $0, %al
	movw $COM1 + 1, %dx
	outb %al, %dx
	movb $3, %al
	movw $COM1 + 3, %dx
	outb %al, %dx
	movb $0xc7, %al
	movw $COM1 + 2, %dx
	outb %al, %dx
	movw $0xe9, %dx
	inb %dx, %al
	movb %al, %bl			/* 0xE9 reads back 0xE9 where it exists */
	movl $no_long_mode_msg, %esi
5:	lodsb
	testb %al, %al
	jz 7f
	movb %al, %ah
	movw $COM1 + 5, %dx
6:	inb %dx, %al
	testb $0x20, %al
	jz 6b
	movb %ah, %al
	movw $COM1, %dx
	outb %al, %dx
	cmpb $0xe9, %bl
	jne 5b
	movw $0xe9, %dx
	outb %al, %dx
	jmp 5b
7:	movw $COM1 + 5, %dx		/* drain the UART before exiting */
8:	inb %dx, %al
	testb $0x40, %al
	jz 8b
	movw $0x510, %dx		/* fw_cfg selector: signature */
	xorw %ax, %ax
	outw %ax, %dx
	movw $0x511, %dx
	inb %dx, %al
	cmpb $'Q', %al
	jne 9f
	inb %dx, %al
	cmpb $'E', %al
	jne 9f
	movb $EXIT_UNSUPPORTED_CPU, %al
	outb %al, $0xf4
9:	movl $EXIT_UNSUPPORTED_CPU, %eax
	xchgw %bx, %bx			/* Bochs magic breakpoint */
10:	cli
	hlt
	jmp 10b
#else
	pushl boot_info
	pushl boot_entry
	xorl %ebp, %ebp
	call start_kernel_early
1:	hlt
	jmp 1b
#endif

	.section .boot.data, "aw"
	.balign 8
	.globl boot_gdt
boot_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff		/* 0x08: code32 */
	.quad 0x00cf92000000ffff		/* 0x10: data */
	.quad 0x00af9a000000ffff		/* 0x18: code64 */
boot_gdt_end:
	.globl boot_gdt_desc
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt
	.globl boot_entry, boot_info, boot_tsc, boot_has_cpuid
boot_entry:	.long 0
boot_info:	.long 0
boot_has_cpuid:	.long 0
	.balign 8
boot_tsc:	.quad 0
#ifdef CONFIG_X86_64
no_long_mode_msg:
	.ascii "\r\nFATAL: this is the x86_64 kernel and this CPU has no long mode\r\n"
	.ascii "(CPUID 0x80000001 EDX bit 29 is clear). Boot the i386 kernel\r\n"
	.ascii "(build/i386/kernel.elf) on this machine. Powering off.\r\n"
	.asciz "KERNEL-EXIT: unsupported-cpu\r\n"
#endif

	.section .bss.boot, "aw", @nobits
	.balign 4096
	/* Unmapped by paging_init: an overflow of the boot stack faults here. */
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:
	.skip 4096
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
#ifdef CONFIG_X86_64
	.balign 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
#endif

#ifdef CONFIG_SMP
/* Set by the BSP before it starts APs (arch/x86/kernel/smpboot.c). */
	.section .data
	.balign 8
	.globl ap_cr3, ap_cr4, ap_efer, ap_use_leaf_b, ap_boot_count
ap_cr3:		.long 0
ap_cr4:		.long 0
ap_efer:	.long 0
ap_use_leaf_b:	.long 0
ap_boot_count:	.long 0
#endif
