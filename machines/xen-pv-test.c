// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the xen-pv entry (machines/xen-pv.c), beside it. They
 * check the meaning of the paravirt ops under PV against Xen's own state,
 * not against the patcher's records: the interrupt flag is the vcpu_info
 * event mask, cr3 is the pseudo-physical root of the machine frame Xen
 * runs, CPUID reaches Xen, a page-table write Xen must refuse is refused
 * and survived, and no patched interrupt-flag site holds cli or sti (both
 * are silent no-ops at CPL 3: a native one would be wrong without failing).
 * Elsewhere each test is a SKIP naming the machine.
 */
#include <kernel/ktest.h>
#include <kernel/kernel.h>
#include <kernel/machine.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/paging.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/pv.h>
#include <pvops.h>
#include <string.h>

#define REQUIRE_XEN_PV(t)                                                                          \
	do {                                                                                       \
		if (!xen_pv_booted)                                                                \
			KT_SKIP(t, "machine is %s, not xen-pv",                                    \
				machine_current ? machine_current->name : "none");                 \
	} while (0)

static uint8_t event_mask(void)
{
	const struct xen_vcpu_info *vi = this_cpu()->hv_irq_state;

	return __atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_SEQ_CST);
}

KTEST(xen_pv, irq_flag_is_event_mask)
{
	REQUIRE_XEN_PV(t);
	unsigned long f = local_irq_save();
	KT_EXPECT_EQ(t, event_mask(), 1);
	KT_EXPECT_EQ(t, save_fl() & X86_EFLAGS_IF, 0);
	local_irq_enable();
	KT_EXPECT_EQ(t, event_mask(), 0);
	KT_EXPECT_EQ(t, save_fl() & X86_EFLAGS_IF, X86_EFLAGS_IF);
	irq_disable();
	KT_EXPECT_EQ(t, event_mask(), 1);
	restore_fl(X86_EFLAGS_IF);
	KT_EXPECT_EQ(t, event_mask(), 0);
	local_irq_restore(f);
	KT_EXPECT_EQ(t, event_mask(), !(f & X86_EFLAGS_IF));
}

KTEST(xen_pv, cr3_is_the_pinned_root)
{
	REQUIRE_XEN_PV(t);
	/* A native read at CPL 3 is emulated by Xen and gives the machine
	 * address of the root; the op gives its pseudo-physical address. */
	uint64_t maddr = native_read_cr3();
	KT_EXPECT_EQ(t, read_cr3(), paging_root());
	KT_EXPECT_EQ(t, xen_pv_mfn_to_pfn(maddr >> 12), (uint64_t)paging_root() >> 12);
	KT_EXPECT_EQ(t, xen_pv_pfn_to_mfn(paging_root() >> 12), maddr >> 12);
}

KTEST(xen_pv, p2m_and_m2p_agree)
{
	REQUIRE_XEN_PV(t);
	unsigned checked = 0;
	for (uint64_t pfn = 0; pfn < xen_pv_nr_pages; pfn += 97, checked++)
		KT_EXPECT_EQ(t, xen_pv_mfn_to_pfn(xen_pv_pfn_to_mfn(pfn)), pfn);
	ktest_log(t, "%u pfns checked of %llu", checked, (unsigned long long)xen_pv_nr_pages);
}

KTEST(xen_pv, cpuid_reaches_xen)
{
	REQUIRE_XEN_PV(t);
	struct cpuid_regs a, b;
	cpuid(0x40000000, 0, &a);
	native_cpuid(0x40000000, 0, &b);
	char sig[13] = {0}, nsig[13] = {0};
	memcpy(sig, &a.ebx, 4);
	memcpy(sig + 4, &a.ecx, 4);
	memcpy(sig + 8, &a.edx, 4);
	memcpy(nsig, &b.ebx, 4);
	memcpy(nsig + 4, &b.ecx, 4);
	memcpy(nsig + 8, &b.edx, 4);
	ktest_log(t, "cpuid op: '%s', the CPU's own: '%s'", sig, nsig);
	KT_EXPECT(t, !strcmp(sig, "XenVMMXenVMM"));
}

KTEST(xen_pv, refused_pt_write_is_reported)
{
	REQUIRE_XEN_PV(t);
	/* A writable mapping of a page-table page: Xen says -EBUSY, the kernel
	 * reports it and goes on. The same request for a data page succeeds. */
	long rc = xen_pv_map_writable(paging_root());
	ktest_log(t, "writable mapping of the root table: %ld", rc);
	KT_EXPECT_EQ(t, rc, -16);
	void *page = kzalloc(PAGE_SIZE);
	KT_ASSERT(t, page);
	KT_EXPECT_EQ(t, xen_pv_map_writable((uintptr_t)page), 0);
	*(volatile uint8_t *)page = 1;
	kfree(page);
}

KTEST(xen_pv, no_cli_sti_on_patched_sites)
{
	REQUIRE_XEN_PV(t);
	static const uint8_t irq_ops[] = {PV_IRQ_DISABLE, PV_IRQ_ENABLE, PV_SAVE_FL,
					  PV_RESTORE_FL,  PV_SAFE_HALT,	 PV_HALT};
	unsigned sites = 0;
	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++) {
		bool irq_op = false;
		for (unsigned k = 0; k < sizeof(irq_ops); k++)
			irq_op |= s->op == irq_ops[k];
		if (!irq_op || in_freed_init(s->addr))
			continue; /* freed __init code holds int3 now */
		const uint8_t *p = (const uint8_t *)(uintptr_t)s->addr;
		unsigned i = 0;
		while (i < s->len && (p[i] == 0x3e || p[i] == 0x90))
			i++; /* DS prefixes and NOPs of the padding */
		/* Every instruction the site holds, decoded enough to find cli
		 * (fa), sti (fb) and hlt (f4) at an instruction boundary. */
		bool bad = i < s->len && (p[i] == 0xfa || p[i] == 0xfb || p[i] == 0xf4);
		KT_EXPECT_MSG(t, !bad, "site %#x (%s) holds %02x", s->addr, pv_op_name(s->op),
			      p[i]);
		sites++;
	}
	ktest_log(t, "%u interrupt-flag sites checked", sites);
	KT_EXPECT(t, sites > 0);
}

KTEST(xen_pv, irq_ops_inline)
{
	REQUIRE_XEN_PV(t);
	if (!xen_pv_vcpu_info_registered())
		KT_SKIP(t, "VCPUOP_register_vcpu_info refused: irq ops stay calls");
	/* Every irq_disable and save_fl site holds Xen's inline template
	 * (a byte store to / load of the event mask at %gs:65), not a call. */
	static const unsigned inl[] = {PV_IRQ_DISABLE, PV_SAVE_FL};
	for (unsigned k = 0; k < ARRAY_SIZE(inl); k++) {
		unsigned sites = 0;
		for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++)
			sites += s->op == inl[k];
		ktest_log(t, "%s: %u of %u sites inline", pv_op_name(inl[k]),
			  pv_inline_count(inl[k]), sites);
		KT_EXPECT(t, sites > 0);
		KT_EXPECT_EQ(t, pv_inline_count(inl[k]), sites);
	}
	/* Both vCPU views agree: the registered copy is the one Xen uses. */
	KT_EXPECT(t, this_cpu()->hv_irq_state == this_cpu()->hv_irq_area);
}
