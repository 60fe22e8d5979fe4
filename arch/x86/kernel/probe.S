/* SPDX-License-Identifier: MIT */
/*
 * Memory probes for diagnostics and protection tests: each listed access
 * may fault; the trap handler finds it in the exception table and resumes
 * at the fixup, which returns -1.
 */
	.text

#define EX(insn, fixup) \
	.pushsection .ex_table, "a"; \
	.balign PTRSZ; \
	PTR insn, fixup; \
	.popsection

#ifdef CONFIG_X86_64
#define PTRSZ 8
#define PTR .quad
/* int probe_read8(const volatile void *addr, uint8_t *val) */
	.globl probe_read8
probe_read8:
1:	movb (%rdi), %al
	movb %al, (%rsi)
	xorl %eax, %eax
	ret
2:	movl $-1, %eax
	ret
	EX(1b, 2b)

/* int probe_write8(volatile void *addr, uint8_t val) */
	.globl probe_write8
probe_write8:
1:	movb %sil, (%rdi)
	xorl %eax, %eax
	ret
2:	movl $-1, %eax
	ret
	EX(1b, 2b)

/*
 * int probe_exec(const void *addr): the fault happens at addr itself, with
 * probe_exec_ret on top of the stack; the trap handler recognises that and
 * resumes at probe_exec_fixup, which drops the stale return address.
 */
	.globl probe_exec, probe_exec_ret, probe_exec_fixup
probe_exec:
	call *%rdi
probe_exec_ret:
	xorl %eax, %eax
	ret
probe_exec_fixup:
	addq $8, %rsp
	movl $-1, %eax
	ret
#else
#define PTRSZ 4
#define PTR .long
	.globl probe_read8
probe_read8:
	movl 4(%esp), %ecx
	movl 8(%esp), %edx
1:	movb (%ecx), %al
	movb %al, (%edx)
	xorl %eax, %eax
	ret
2:	movl $-1, %eax
	ret
	EX(1b, 2b)

	.globl probe_write8
probe_write8:
	movl 4(%esp), %ecx
	movl 8(%esp), %eax
1:	movb %al, (%ecx)
	xorl %eax, %eax
	ret
2:	movl $-1, %eax
	ret
	EX(1b, 2b)

	.globl probe_exec, probe_exec_ret, probe_exec_fixup
probe_exec:
	call *4(%esp)
probe_exec_ret:
	xorl %eax, %eax
	ret
probe_exec_fixup:
	addl $4, %esp
	movl $-1, %eax
	ret
#endif
