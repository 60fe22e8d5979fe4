// SPDX-License-Identifier: MIT
/* The pvops patcher, checked where it ran: on this kernel's own text. */
#include <kernel/ktest.h>
#include <kernel/kernel.h>
#include <kernel/machine.h>
#include <asm/paravirt.h>
#include <pvops.h>
#include <string.h>

KTEST(pvops, sites_hold_patched_bytes)
{
	unsigned n = 0, bad = 0;
	uint8_t want[16];

	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++, n++) {
		KT_ASSERT(t, s->op < PV_NR_OPS);
		KT_ASSERT(t, s->len == (pv_op_is_call(s->op) ? PV_CALL_SITE_LEN : PV_SITE_LEN));
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

KTEST(pvops, ops_still_work)
{
	/* Through whatever the sites became: where an op is native, its value
	 * must be the hardware's. (A machine's own ops mean something else by
	 * design, e.g. Xen PV's read_cr3 is the pseudo-physical root: its own
	 * tests check those, kernel/tests/xen_pv.c.) */
	if (pv_op_is_native(PV_READ_CR3))
		KT_EXPECT_EQ(t, read_cr3(), native_read_cr3());
	if (pv_op_is_native(PV_READ_CR0))
		KT_EXPECT_EQ(t, read_cr0(), native_read_cr0());
	if (pv_op_is_native(PV_RDMSR))
		KT_EXPECT_EQ(t, rdmsr(MSR_IA32_APIC_BASE), native_rdmsr(MSR_IA32_APIC_BASE));
	struct cpuid_regs a, b;
	cpuid(0, 0, &a);
	native_cpuid(0, 0, &b);
	if (pv_op_is_native(PV_CPUID))
		KT_EXPECT(t, !memcmp(&a, &b, sizeof(a)));
	/* Back to back: nothing between the two reads may change a flag. */
	unsigned long f = save_fl(), g = native_save_fl();
	if (pv_op_is_native(PV_SAVE_FL))
		KT_EXPECT_EQ(t, f, g);
	else
		KT_EXPECT_EQ(t, f & ~X86_EFLAGS_IF, 0);
}
