/* SPDX-License-Identifier: MIT */
/*
 * Independent references for the pvops patch templates (pvops/templates.S):
 * each INSN op's native instructions written out again here, by hand, per
 * arch and with explicit operand sizes, and assembled separately.
 * tests/host/test_pvpatch.c compares the templates with these bytes, so a
 * wrong instruction in <pvops_list.h> fails there instead of being checked
 * against itself. A new INSN op needs its two lines here.
 *
 * Each table: entries {char name[20]; uint8_t len; uint8_t bytes[15]},
 * then one with an empty name.
 */
#define REF(name, ...)                                                         \
	3: .ascii #name; .fill 20 - (. - 3b), 1, 0; .byte 2f - 1f;           \
	1: __VA_ARGS__; 2: .fill 15 - (2b - 1b), 1, 0;
#define END .fill 36, 1, 0

	.section .rodata
	.globl pvinsn_ref_32
pvinsn_ref_32:
	.code32
	REF(irq_disable, cli)
	REF(irq_enable, sti)
	REF(save_fl, pushfl; popl %eax)
	REF(restore_fl, pushl %eax; popfl)
	REF(safe_halt, sti; hlt)
	REF(halt, hlt)
	REF(read_cr0, movl %cr0, %eax)
	REF(write_cr0, movl %eax, %cr0)
	REF(read_cr2, movl %cr2, %eax)
	REF(read_cr3, movl %cr3, %eax)
	REF(write_cr3, movl %eax, %cr3)
	REF(read_cr4, movl %cr4, %eax)
	REF(write_cr4, movl %eax, %cr4)
	REF(flush_tlb_one, invlpg (%eax))
	REF(rdmsr, rdmsr)
	REF(wrmsr, wrmsr)
	REF(cpuid, cpuid)
	REF(io_delay, outb %al, $0x80)
	REF(test_must_patch, nop)
	REF(iret, iretl)
	END

	.globl pvinsn_ref_64
pvinsn_ref_64:
	.code64
	REF(irq_disable, cli)
	REF(irq_enable, sti)
	REF(save_fl, pushfq; popq %rax)
	REF(restore_fl, pushq %rax; popfq)
	REF(safe_halt, sti; hlt)
	REF(halt, hlt)
	REF(read_cr0, movq %cr0, %rax)
	REF(write_cr0, movq %rax, %cr0)
	REF(read_cr2, movq %cr2, %rax)
	REF(read_cr3, movq %cr3, %rax)
	REF(write_cr3, movq %rax, %cr3)
	REF(read_cr4, movq %cr4, %rax)
	REF(write_cr4, movq %rax, %cr4)
	REF(flush_tlb_one, invlpg (%rax))
	REF(rdmsr, rdmsr)
	REF(wrmsr, wrmsr)
	REF(cpuid, cpuid)
	REF(io_delay, outb %al, $0x80)
	REF(test_must_patch, nop)
	REF(iret, iretq)
	END

	.section .note.GNU-stack, "", @progbits
