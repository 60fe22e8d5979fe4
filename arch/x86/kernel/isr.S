/* SPDX-License-Identifier: MIT */
/*
 * 256 interrupt entry stubs, 16 bytes apart (isr_stubs + 16 * vector).
 * Each pushes a dummy error code where the CPU pushes none, then the
 * vector, and joins isr_common, which saves the registers as a struct
 * trap_frame and calls trap_dispatch(frame).
 */
#include <asm/desc.h>
#ifdef CONFIG_PARAVIRT
#include <pvops.h>
	PV_ASM_OP_NUMBERS
/* The return is the IRET pvop: a classic PV guest returns through Xen. */
#define INTERRUPT_RETURN PV_ASM_SITE(IRET)
#elif defined(CONFIG_X86_64)
#define INTERRUPT_RETURN iretq
#else
#define INTERRUPT_RETURN iret
#endif

/* Vectors for which the CPU pushes an error code (SDM Vol 3A 6.13). */
#define HAS_ERR(v) ((v == 8) | (v == 10) | (v == 11) | (v == 12) | (v == 13) | \
		    (v == 14) | (v == 17) | (v == 21) | (v == 29) | (v == 30))

	.text
	.balign 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if HAS_ERR(vec)
	.else
	.byte 0x6a, 0		/* push $0 */
	.endif
	.byte 0x68		/* push $vec, imm32 so every stub has one shape */
	.long vec
	jmp isr_common
	.set vec, vec + 1
	.endr

#ifdef CONFIG_X86_64
isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	INTERRUPT_RETURN
#else
isr_common:
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	pushl %esp
	cld
	call trap_dispatch
	addl $4, %esp
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp
	INTERRUPT_RETURN
#endif
