/* SPDX-License-Identifier: MIT */
/*
 * Generated from the list in <pvops_list.h>:
 *
 * - native_pv_<name>, the native implementation of each INSN op in its
 *   register convention: the op's instructions, then ret. It is what an
 *   unpatched site (pvpatch=off) calls through the table; patched native
 *   sites hold the same instructions inline (pvops/templates.S assembles the
 *   same text into the patch templates);
 * - pv_jmp_stubs, one PV_JMP_STUB_SIZE-byte jump stub per op, where the
 *   unpatched site of a CALL op calls: a jump through the op's table slot.
 *   The jump leaves the return address to the site, so the implementation
 *   returns straight there. An INSN op's stub is a ud2: nothing calls it.
 */
#include <pvops.h>

	PV_ASM_OP_NUMBERS

	.text
#ifdef CONFIG_X86_64
#define PV_AX	  rax
#define PV_INSN_IRET	  iretq
#define PV_SLOT	  8
#define PV_RIP	  (%rip)
#else
#define PV_AX	  eax
#define PV_INSN_IRET	  iret
#define PV_SLOT	  4
#define PV_RIP
#endif

#define NATIVE(NAME, name, conv, flags, ...)                                   \
	PV_IF_INSN(conv, .if !((flags) & PV_NATIVE_CUSTOM);                    \
		   .globl native_pv_##name; native_pv_##name:                  \
		   __VA_ARGS__; ret; .endif;)
	PV_OP_LIST(NATIVE)

/* IRET through the table (pvpatch=off, or before patching): the site's call
 * pushed a return address on top of the frame; drop it, then return. */
	.globl native_pv_iret
native_pv_iret:
#ifdef CONFIG_X86_64
	addq $8, %rsp
#else
	addl $4, %esp
#endif
	PV_INSN_IRET

#define STUB(NAME, name, conv, ...)                                            \
	0: PV_IF_CALL(conv, pv_jmp_##name: jmp *pv_ops + PV_##NAME * PV_SLOT PV_RIP;) \
	PV_IF_INSN(conv, ud2;)                                                 \
	.if . - 0b > PV_JMP_STUB_SIZE; .error "jump stub too long"; .endif;    \
	.fill PV_JMP_STUB_SIZE - (. - 0b), 1, 0xcc;
	.balign PV_JMP_STUB_SIZE
	.globl pv_jmp_stubs
pv_jmp_stubs:
	PV_OP_LIST(STUB)

/*
 * Poison: the table default of every op that must be patched (PV_MUST_PATCH).
 * Reaching it means a site escaped the patcher. pv_poison_hit() finds the
 * site, hence the op, from the return address, says which and dies.
 */
	.globl pv_poison_must_patch
pv_poison_must_patch:
#ifdef CONFIG_X86_64
	movq (%rsp), %rdi
	andq $-16, %rsp
#else
	pushl (%esp)
#endif
	call pv_poison_hit
	ud2
