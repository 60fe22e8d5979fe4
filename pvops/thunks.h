/* SPDX-License-Identifier: MIT */
/*
 * Assembly macros that wrap a C function into a pvop with the op's register
 * convention (include/pvops.h): everything but the op's outputs is saved.
 * Use in a .S file:  PV_THUNK_RET0 name, c_function  (and the others below).
 * (The C-convention ops, APIC and sched_clock, take C functions as they are.)
 */
#ifndef PVOPS_THUNKS_H
#define PVOPS_THUNKS_H

#ifdef CONFIG_X86_64
/* Save the caller-saved registers but rax, align the stack for C. */
.macro PV_SAVE
	pushq %rbp
	movq %rsp, %rbp
	andq $-16, %rsp
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
.endm
.macro PV_RESTORE
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	movq %rbp, %rsp
	popq %rbp
.endm
/* void f(void) */
.macro PV_THUNK_VOID0 name, fn
	.globl \name
\name:
	pushq %rax
	PV_SAVE
	call \fn
	PV_RESTORE
	popq %rax
	ret
.endm
/* unsigned long f(void): result in rax */
.macro PV_THUNK_RET0 name, fn
	.globl \name
\name:
	PV_SAVE
	call \fn
	PV_RESTORE
	ret
.endm
/* void f(unsigned long in rax): the pvop input register is rax, C's rdi */
.macro PV_THUNK_VOID1 name, fn
	.globl \name
\name:
	pushq %rax
	PV_SAVE
	movq %rax, %rdi
	call \fn
	PV_RESTORE
	popq %rax
	ret
.endm
#else
/* cdecl: arguments on the stack, eax/ecx/edx caller-saved. */
.macro PV_THUNK_VOID0 name, fn
	.globl \name
\name:
	pushl %eax
	pushl %ecx
	pushl %edx
	call \fn
	popl %edx
	popl %ecx
	popl %eax
	ret
.endm
.macro PV_THUNK_RET0 name, fn
	.globl \name
\name:
	pushl %ecx
	pushl %edx
	call \fn
	popl %edx
	popl %ecx
	ret
.endm
/* void f(unsigned long in eax) */
.macro PV_THUNK_VOID1 name, fn
	.globl \name
\name:
	pushl %eax
	pushl %ecx
	pushl %edx
	pushl %eax
	call \fn
	addl $4, %esp
	popl %edx
	popl %ecx
	popl %eax
	ret
.endm

#endif

#endif
