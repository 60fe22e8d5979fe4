/* SPDX-License-Identifier: MIT */
/*
 * The native pvops, in each op's register convention (include/pvops.h):
 * what an unpatched site (pvpatch=off) calls through the table. Patched
 * native sites hold the same instructions inline instead.
 */
#include <pvops.h>
#include "thunks.h"

	.text
#define NATIVE(name, ...) .globl name; name: __VA_ARGS__; ret

NATIVE(native_pv_irq_disable, cli)
NATIVE(native_pv_irq_enable, sti)
NATIVE(native_pv_safe_halt, sti; hlt)
NATIVE(native_pv_halt, hlt)
NATIVE(native_pv_rdmsr, rdmsr)
NATIVE(native_pv_wrmsr, wrmsr)
NATIVE(native_pv_cpuid, cpuid)
NATIVE(native_pv_io_delay, outb %al, $0x80)
NATIVE(native_pv_test_must_patch, nop)
#ifdef CONFIG_X86_64
NATIVE(native_pv_save_fl, pushfq; popq %rax)
NATIVE(native_pv_restore_fl, pushq %rax; popfq)
NATIVE(native_pv_read_cr0, movq %cr0, %rax)
NATIVE(native_pv_write_cr0, movq %rax, %cr0)
NATIVE(native_pv_read_cr2, movq %cr2, %rax)
NATIVE(native_pv_read_cr3, movq %cr3, %rax)
NATIVE(native_pv_write_cr3, movq %rax, %cr3)
NATIVE(native_pv_read_cr4, movq %cr4, %rax)
NATIVE(native_pv_write_cr4, movq %rax, %cr4)
NATIVE(native_pv_flush_tlb_one, invlpg (%rax))
#else
NATIVE(native_pv_save_fl, pushfl; popl %eax)
NATIVE(native_pv_restore_fl, pushl %eax; popfl)
NATIVE(native_pv_read_cr0, movl %cr0, %eax)
NATIVE(native_pv_write_cr0, movl %eax, %cr0)
NATIVE(native_pv_read_cr2, movl %cr2, %eax)
NATIVE(native_pv_read_cr3, movl %cr3, %eax)
NATIVE(native_pv_write_cr3, movl %eax, %cr3)
NATIVE(native_pv_read_cr4, movl %cr4, %eax)
NATIVE(native_pv_write_cr4, movl %eax, %cr4)
NATIVE(native_pv_flush_tlb_one, invlpg (%eax))
#endif

/*
 * The C-convention ops' unpatched target: a jump through the table slot.
 * A site calls the stub; the stub's jump leaves the return address to the
 * site, so the implementation returns straight there.
 */
#ifdef CONFIG_X86_64
#define JMP_STUB(name, op) .globl name; name: jmp *pv_ops + (op) * 8(%rip)
#else
#define JMP_STUB(name, op) .globl name; name: jmp *pv_ops + (op) * 4
#endif
JMP_STUB(pv_jmp_apic_read, PV_APIC_READ)
JMP_STUB(pv_jmp_apic_write, PV_APIC_WRITE)
JMP_STUB(pv_jmp_apic_eoi, PV_APIC_EOI)
JMP_STUB(pv_jmp_sched_clock, PV_SCHED_CLOCK)

/*
 * Poison: the default of an op that must be patched. Reaching it means a
 * site escaped the patcher; it says which op and dies.
 */
	.globl pv_poison_must_patch
pv_poison_must_patch:
#ifdef CONFIG_X86_64
	andq $-16, %rsp
	movl $PV_TEST_MUST_PATCH, %edi
#else
	pushl $PV_TEST_MUST_PATCH
#endif
	call pv_poison_hit
	ud2
