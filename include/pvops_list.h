/* SPDX-License-Identifier: MIT */
/*
 * The pvops, listed once (docs/pvops.md; docs/adding-a-pvop.md). Included
 * by C and by assembly: it holds macros only. Everything per op is derived
 * from this list: the numbers PV_<NAME> (C: enum pv_op in <pvops.h>;
 * assembly: GAS symbols from PV_ASM_OP_NUMBERS), the names, the convention,
 * the native implementations and jump stubs (pvops/native.S), the patch
 * templates (pvops/templates.S), the table initializer and the named
 * members of struct pv_ops_override (<pvops.h>).
 *
 *   X(NAME, name, conv, flags, native instructions...)    INSN ops
 *   X(NAME, name, conv, flags, return type, (parameters)) CALL ops
 *
 * name   pv_op_name(), the member of struct pv_ops_override, native_pv_<name>
 *        (INSN) or native_<name> (CALL), the jump stub pv_jmp_<name> (CALL)
 * conv   INSN: the register convention of the native instruction(s) given
 *        after flags (include/pvops.h), 6-byte site `call *pv_ops+slot`,
 *        patched into those instructions inline. %PV_AX is the accumulator
 *        (eax on i386, rax on x86_64): templates.S assembles the text once
 *        under .code32 and once under .code64.
 *        CALL: the C calling convention, 5-byte site `call pv_jmp_<name>`,
 *        no instruction form; the native implementation is the C function
 *        native_<name>, with the prototype given after flags (<pvops.h>
 *        declares it, with PV_REGPARM, and types the override member).
 * flags  0, or PV_MUST_PATCH: the table default is a poison stub, and the
 *        sites are patched even with pvpatch=off; PV_NATIVE_CUSTOM: see below.
 *        %PV_INSN_IRET is iret (i386) or iretq (x86_64).
 *
 * The order is the op numbering: appending keeps every other number.
 */
#ifndef PVOPS_LIST_H
#define PVOPS_LIST_H

#define PV_MUST_PATCH 1
/* INSN op whose out-of-line native_pv_<name> is written by hand (pvops/
 * native.S): IRET's, because its call site's return address is not part of
 * the frame the instruction pops. */
#define PV_NATIVE_CUSTOM 2
/* INSN op whose sites are PV_LONG_SITE_LEN bytes (the call, then NOP
 * padding): room for a machine's inline template (Xen PV's byte store to the
 * per-CPU event mask, docs/pvops.md "Machine inline templates"). */
#define PV_LONG_SITE 4

/* clang-format off */
#define PV_OP_LIST(X)							\
	X(IRQ_DISABLE,     irq_disable,     INSN, PV_LONG_SITE, cli)	\
	X(IRQ_ENABLE,      irq_enable,      INSN, 0, sti)			\
	X(SAVE_FL,         save_fl,         INSN, PV_LONG_SITE, pushf; pop %PV_AX) \
	X(RESTORE_FL,      restore_fl,      INSN, 0, push %PV_AX; popf)	\
	X(SAFE_HALT,       safe_halt,       INSN, 0, sti; hlt)		\
	X(HALT,            halt,            INSN, 0, hlt)			\
	X(READ_CR0,        read_cr0,        INSN, 0, mov %cr0, %PV_AX)	\
	X(WRITE_CR0,       write_cr0,       INSN, 0, mov %PV_AX, %cr0)	\
	X(READ_CR2,        read_cr2,        INSN, 0, mov %cr2, %PV_AX)	\
	X(READ_CR3,        read_cr3,        INSN, 0, mov %cr3, %PV_AX)	\
	X(WRITE_CR3,       write_cr3,       INSN, 0, mov %PV_AX, %cr3)	\
	X(READ_CR4,        read_cr4,        INSN, 0, mov %cr4, %PV_AX)	\
	X(WRITE_CR4,       write_cr4,       INSN, 0, mov %PV_AX, %cr4)	\
	X(FLUSH_TLB_ONE,   flush_tlb_one,   INSN, 0, invlpg (%PV_AX))	\
	X(RDMSR,           rdmsr,           INSN, 0, rdmsr)			\
	X(WRMSR,           wrmsr,           INSN, 0, wrmsr)			\
	X(CPUID,           cpuid,           INSN, 0, cpuid)			\
	X(IO_DELAY,        io_delay,        INSN, 0, outb %al, $0x80)	\
	X(APIC_READ,       apic_read,       CALL, 0, uint32_t, (unsigned reg)) \
	X(APIC_WRITE,      apic_write,      CALL, 0, void, (unsigned reg, uint32_t v)) \
	X(APIC_EOI,        apic_eoi,        CALL, 0, void, (void))	\
	X(SCHED_CLOCK,     sched_clock,     CALL, 0, uint64_t, (void))	\
	/* in-kernel test of the poison default (kernel/tests/pvops.c) */ \
	X(TEST_MUST_PATCH, test_must_patch, INSN, PV_MUST_PATCH, nop)	\
	/* the interrupt return of arch/x86/kernel/isr.S */		\
	X(IRET,            iret,            INSN, PV_NATIVE_CUSTOM, PV_INSN_IRET) \
	/* descriptor tables (arch/x86/kernel/desc.c) */		\
	X(LOAD_IDT,        load_idt,        CALL, 0, void, (const struct desc_ptr *d)) \
	X(LOAD_GDT,        load_gdt,        CALL, 0, void, (struct percpu *p)) \
	/* page-table entries and pages (arch/x86/kernel/paging.c) */	\
	X(PT_READ,         pt_read,         CALL, 0, uint64_t, (uint64_t entry_pa)) \
	X(PT_WRITE,        pt_write,        CALL, 0, void, (uint64_t entry_pa, uint64_t v)) \
	X(PT_ALLOC,        pt_alloc,        CALL, 0, void, (uint64_t pa))	\
	X(PT_COMMIT,       pt_commit,       CALL, 0, void, (void))
/* clang-format on */

/*
 * Dispatch on conv: PV_IF_INSN(conv, x) is x for INSN ops, nothing for CALL
 * ops; PV_IF_CALL the other way round. PV_IS_CALL(conv) is 0 or 1.
 */
#define PV_IF_INSN(conv, ...) PV_IF_INSN_##conv(__VA_ARGS__)
#define PV_IF_INSN_INSN(...)  __VA_ARGS__
#define PV_IF_INSN_CALL(...)
#define PV_IF_CALL(conv, ...) PV_IF_CALL_##conv(__VA_ARGS__)
#define PV_IF_CALL_INSN(...)
#define PV_IF_CALL_CALL(...) __VA_ARGS__
#define PV_IS_CALL(conv)     PV_IS_CALL_##conv
#define PV_IS_CALL_INSN	     0
#define PV_IS_CALL_CALL	     1

/*
 * Assembly: define PV_<NAME> (and PV_NR_OPS) as GAS symbols, numbered by a
 * running counter in list order, the order of the C enum. pvops/templates.S
 * records each op's number and name next to its template, and the host test
 * (tests/host/test_pvpatch.c) checks them against the enum and pv_op_name().
 */
/* clang-format off */
#define PV_ASM_OP_NUMBER(NAME, ...)					\
	.set PV_##NAME, pv_op_counter; .set pv_op_counter, pv_op_counter + 1;
#define PV_ASM_OP_NUMBERS						\
	.set pv_op_counter, 0; PV_OP_LIST(PV_ASM_OP_NUMBER)		\
	.set PV_NR_OPS, pv_op_counter
/* clang-format on */

#endif
