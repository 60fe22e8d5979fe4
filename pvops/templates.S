/* SPDX-License-Identifier: MIT */
/*
 * The native patch templates: each INSN op's instructions from the list in
 * <pvops_list.h>, assembled by the assembler twice, under .code32 with
 * %PV_AX = %eax and under .code64 with %PV_AX = %rax. pvops/patch.c reads
 * them through pv_native_bytes(). Both arches' tables are in every build:
 * the kernel's (a few hundred bytes) and the host test's.
 *
 * pv_templates_32[], pv_templates_64[]: struct pv_template (<pvops.h>), one
 * per op in op order: the assembler's op number, the length, the offset of
 * the bytes from pv_template_bytes_32/64, and the op's name; a CALL op has
 * length 0. tests/host/test_pvpatch.c checks number and name against the C
 * side, and disassembles nothing: it compares the bytes with what `as`
 * makes of each instruction written out separately (tests/host/pvinsn.S).
 */
#include <pvops_list.h>

	PV_ASM_OP_NUMBERS

#define PV_TEMPLATE_NAME_LEN 20 /* struct pv_template.name */
#define ENTRY(NAME, name, conv, flags, ...)                                    \
	.pushsection .rodata, 1; 1: PV_IF_INSN(conv, __VA_ARGS__;) 2: .popsection; \
	.byte PV_##NAME, 2b - 1b; .short 1b - PV_BYTES_BASE;                   \
	3: .ascii #name; .fill PV_TEMPLATE_NAME_LEN - (. - 3b), 1, 0;

	.section .rodata
	.balign 4
	.globl pv_template_nr_ops
pv_template_nr_ops:
	.long PV_NR_OPS

	.code32
#define PV_AX	      eax
#define PV_INSN_IRET	      iret
#define PV_BYTES_BASE pv_template_bytes_32
	.pushsection .rodata, 1
	.globl pv_template_bytes_32
pv_template_bytes_32:
	.popsection
	.balign 4
	.globl pv_templates_32
pv_templates_32:
	PV_OP_LIST(ENTRY)
#undef PV_AX
#undef PV_INSN_IRET
#undef PV_BYTES_BASE

	.code64
#define PV_AX	      rax
#define PV_INSN_IRET	      iretq
#define PV_BYTES_BASE pv_template_bytes_64
	.pushsection .rodata, 1
	.globl pv_template_bytes_64
pv_template_bytes_64:
	.popsection
	.balign 4
	.globl pv_templates_64
pv_templates_64:
	PV_OP_LIST(ENTRY)

	.section .note.GNU-stack, "", @progbits
