// SPDX-License-Identifier: MIT
/* The pvops patcher, checked where it ran: on this kernel's own text. */
#include <kernel/ktest.h>
#include <kernel/kernel.h>
#include <kernel/machine.h>
#include <asm/paravirt.h>
#include <asm/cpufeature.h>
#include <pvops.h>
#include <string.h>

KTEST(pvops, sites_hold_patched_bytes)
{
	unsigned n = 0, bad = 0;
	uint8_t want[16];

	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++, n++) {
		if (in_freed_init(s->addr))
			continue; /* its bytes went with the __init pages */
		KT_ASSERT(t, s->op < PV_NR_OPS);
		KT_ASSERT(t, s->len == pv_op_site_len(s->op));
		KT_ASSERT(t, pv_expected_bytes(s, want, s->len) == 0);
		if (memcmp((void *)(uintptr_t)s->addr, want, s->len)) {
			if (bad++ < 4)
				KT_EXPECT_MSG(t, false, "site %#x (%s) holds other bytes", s->addr,
					      pv_op_name(s->op));
		}
	}
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_MSG(t, n >= 100, "only %u sites recorded", n);
	ktest_log(t, "%u sites checked", n);
}

KTEST(pvops, native_ops_inlined)
{
	unsigned native, call, indirect;

	if (cmdline.pvpatch_off)
		KT_SKIP(t, "pvpatch=off: sites stay indirect by request");
	/* Every op this machine leaves native and that has an instruction form
	 * must have been inlined everywhere: no call, no indirect call left. */
	for (unsigned op = 0; op < PV_NR_OPS; op++) {
		size_t len;
		pv_site_counts(op, &native, &call, &indirect);
		KT_EXPECT_MSG(t, indirect == 0, "%s: %u sites left indirect", pv_op_name(op),
			      indirect);
		if (pv_op_is_native(op) && pv_native_bytes(op, sizeof(long) == 8, &len))
			KT_EXPECT_MSG(t, call == 0, "%s: %u native sites became calls",
				      pv_op_name(op), call);
	}
}

KTEST(pvops, pvpatch_off_leaves_indirect)
{
	unsigned native, call, indirect, total = 0;

	if (!cmdline.pvpatch_off)
		KT_SKIP(t, "sites are patched (pvpatch=off not given)");
	for (unsigned op = 0; op < PV_NR_OPS; op++) {
		pv_site_counts(op, &native, &call, &indirect);
		if (!pv_op_must_patch(op))
			KT_EXPECT_EQ(t, native + call, 0);
		total += indirect;
	}
	KT_EXPECT(t, total > 0);
}

/*
 * An op that must be patched: its table default is a poison stub that
 * panics. Its sites are patched even with pvpatch=off, so running one
 * must simply work; reaching the poison would end the run with a PANIC.
 */
KTEST(pvops, must_patch_poison)
{
	extern char pv_poison_must_patch[];

	KT_EXPECT(t, pv_ops[PV_TEST_MUST_PATCH] == pv_poison_must_patch);
	__asm__ __volatile__(PV_SITE(PV_TEST_MUST_PATCH)
			     :
			     : PV_ARGS(PV_TEST_MUST_PATCH)
			     : "memory");
	unsigned native, call, indirect;
	pv_site_counts(PV_TEST_MUST_PATCH, &native, &call, &indirect);
	KT_EXPECT_EQ(t, native, 1);
	KT_EXPECT_EQ(t, indirect, 0);
}

/* The arithmetic flags (CF PF AF ZF SF OF): whatever the code between two
 * pushf's computed; the rest of EFLAGS is the CPU's state. */
#define FLAGS_STATE (~0x8d5ul)

/*
 * Every INSN op run through a real call site, whatever the patcher made of
 * it (the inline template, a call into a machine's or a VMI ROM's
 * implementation, or with pvpatch=off the indirect call), against the
 * native instruction written independently in <asm/cpu.h>. This, not the
 * byte comparison of sites_hold_patched_bytes, is what catches a wrong
 * template: both sides of that one come from the same table.
 */
KTEST(pvops, insn_ops_match_native)
{
	/* Deprivileged (Xen PV), the ops mean Xen's state, not the CPU's: the
	 * xen_pv tests (machines/xen-pv-test.c) check that meaning. */
	if (cpu_deprivileged)
		KT_SKIP(t, "the kernel runs deprivileged: its ops are Xen's (xen_pv tests)");
	uint64_t seen = 0;
#define SEEN(op) (seen |= 1ull << (op))
	_Static_assert(PV_NR_OPS <= 64, "seen is a 64-bit mask");

	/* The interrupt flag: each op's effect, seen by pushf. */
	unsigned long f0 = native_save_fl();
	irq_disable();
	KT_EXPECT(t, !(native_save_fl() & X86_EFLAGS_IF));
	irq_enable();
	KT_EXPECT(t, native_save_fl() & X86_EFLAGS_IF);
	native_irq_disable();
	KT_EXPECT_EQ(t, save_fl() & FLAGS_STATE, native_save_fl() & FLAGS_STATE);
	restore_fl(f0 | X86_EFLAGS_IF);
	KT_EXPECT(t, native_save_fl() & X86_EFLAGS_IF);
	KT_EXPECT_EQ(t, save_fl() & FLAGS_STATE, native_save_fl() & FLAGS_STATE);
	restore_fl(f0 & ~(unsigned long)X86_EFLAGS_IF);
	KT_EXPECT(t, !(native_save_fl() & X86_EFLAGS_IF));
	native_restore_fl(f0);
	SEEN(PV_IRQ_DISABLE), SEEN(PV_IRQ_ENABLE), SEEN(PV_SAVE_FL), SEEN(PV_RESTORE_FL);

	/* Control registers: reads equal, writes of the same value round trip. */
	KT_EXPECT_EQ(t, read_cr0(), native_read_cr0());
	KT_EXPECT_EQ(t, read_cr2(), native_read_cr2());
	KT_EXPECT_EQ(t, read_cr3(), native_read_cr3());
	KT_EXPECT_EQ(t, read_cr4(), native_read_cr4());
	unsigned long cr0 = native_read_cr0(), cr3 = native_read_cr3(), cr4 = native_read_cr4();
	write_cr0(cr0);
	write_cr3(cr3);
	write_cr4(cr4);
	KT_EXPECT_EQ(t, native_read_cr0(), cr0);
	KT_EXPECT_EQ(t, native_read_cr3(), cr3);
	KT_EXPECT_EQ(t, native_read_cr4(), cr4);
	SEEN(PV_READ_CR0), SEEN(PV_READ_CR2), SEEN(PV_READ_CR3), SEEN(PV_READ_CR4);
	SEEN(PV_WRITE_CR0), SEEN(PV_WRITE_CR3), SEEN(PV_WRITE_CR4);

	/* invlpg of a mapped kernel address, then the page is still there. */
	static volatile unsigned long page_probe = 0x5a5a;
	flush_tlb_one(&page_probe);
	KT_EXPECT_EQ(t, page_probe, 0x5a5a);
	SEEN(PV_FLUSH_TLB_ONE);

	/* A harmless MSR (the 486 has none) and CPUID leaves 0 and 1. */
	if (cpu_has(X86_FEATURE_MSR) && cpu_has(X86_FEATURE_APIC))
		KT_EXPECT_EQ(t, rdmsr(MSR_IA32_APIC_BASE), native_rdmsr(MSR_IA32_APIC_BASE));
	else
		ktest_log(t, "rdmsr not compared: no MSRs or no APIC_BASE MSR");
	SEEN(PV_RDMSR);
	if (boot_cpu.has_cpuid) {
		for (uint32_t leaf = 0; leaf <= 1; leaf++) {
			struct cpuid_regs a, b;
			cpuid(leaf, 0, &a);
			native_cpuid(leaf, 0, &b);
			KT_EXPECT_MSG(t, !memcmp(&a, &b, sizeof(a)), "cpuid leaf %u differs", leaf);
		}
	}
	SEEN(PV_CPUID);

	io_delay(); /* port 0x80: no value to compare; it must not fault */
	SEEN(PV_IO_DELAY);

	/* Not run here, and why: halt and safe_halt wait for an interrupt (the
	 * idle loop runs them on every boot); a wrmsr that changes nothing on
	 * every machine is hard to find (the kvm and lapic code write MSRs at
	 * boot); test_must_patch has must_patch_poison. */
	SEEN(PV_HALT), SEEN(PV_SAFE_HALT), SEEN(PV_WRMSR), SEEN(PV_TEST_MUST_PATCH);
	/* iret: every interrupt return runs it, the ticks of this test's own
	 * waits included; a wrong one would not get this far. */
	SEEN(PV_IRET);
#undef SEEN

	/* A new INSN op needs a check here (or a reason above). */
	for (unsigned op = 0; op < PV_NR_OPS; op++)
		KT_EXPECT_MSG(t, pv_op_is_call(op) || (seen & (1ull << op)),
			      "%s: no behavioural check in pvops.insn_ops_match_native",
			      pv_op_name(op));
}
