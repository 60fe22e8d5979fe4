// SPDX-License-Identifier: MIT
/*
 * summit: IBM's x440/x445 class (the "Summit" chipset, once Linux i386's
 * mach-summit). Nothing about its chipset is emulated anywhere; what the
 * entry does differently is the APIC addressing: logical clustered mode,
 * clusters of 4 CPUs with the cluster id in the high nibble, for IPIs and
 * IO-APIC destinations. Identified, as the real firmware identified it, by
 * the MADT OEM/table ids or the MP table OEM/product ids.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <asm/irqchip.h>
#include <kernel/firmware.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/topology.h>
#include <asm/apic.h>

/* 15 clusters of 4: cluster id 0xf is the xAPIC broadcast (SDM 10.6.2.2). */
#define SUMMIT_MAX_CLUSTER_CPUS 60

static const char *const summit_madt_tables[] = {"SERVIGIL", "EXA"};
static const char *const summit_mp_products[] = {"VIGIL SMP", "EXA", "RUTHLESS SMP"};

static bool id_in(const char *id, const char *const *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (fwmem_id_eq(id, list[i]))
			return true;
	return false;
}

static bool summit_madt(const struct acpi_info *a)
{
	return a && a->madt.present && fwmem_id_eq(a->madt.oem_id, "IBM") &&
	       id_in(a->madt.oem_table_id, summit_madt_tables, ARRAY_SIZE(summit_madt_tables));
}

static bool summit_mp(const struct mp_info *m)
{
	return m && !m->default_config && fwmem_id_eq(m->oem_id, "IBM ENSW") &&
	       id_in(m->product_id, summit_mp_products, ARRAY_SIZE(summit_mp_products));
}

static void summit_probe(struct probe_result *r)
{
	static char why[PROBE_EVIDENCE_LEN];
	const struct acpi_info *a = fw_acpi();
	const struct mp_info *m = fw_mptable();

	if (!summit_madt(a) && !summit_mp(m)) {
		char madt[48] = "no MADT", mp[56] = "no MP table";
		if (a && a->madt.present)
			snprintf(madt, sizeof(madt), "MADT OEM '%s' table '%s'", a->madt.oem_id,
				 a->madt.oem_table_id);
		if (m)
			snprintf(mp, sizeof(mp), "MP OEM '%s' product '%s'", m->oem_id,
				 m->product_id);
		snprintf(why, sizeof(why), "no IBM Summit identity (%s, %s)", madt, mp);
		r->refusal = why;
		return;
	}
	if (!lapic_detect(0)) {
		r->refusal = "IBM Summit identity but no usable local APIC";
		return;
	}
	r->score = SCORE_PLATFORM;
	if (summit_madt(a))
		probe_note(r, "MADT OEM '%s' table '%s', %u CPU", a->madt.oem_id,
			   a->madt.oem_table_id, a->madt.ncpus);
	else
		probe_note(r, "MP OEM '%s' product '%s', %u CPU", m->oem_id, m->product_id,
			   m->ncpus);
	probe_note(r, ": xapic-cluster");
}

static void summit_setup(void)
{
	const struct acpi_info *a = fw_acpi();

	/* The MADT, where it carries the identity, is the better CPU list
	 * (SeaBIOS' MP table lists one CPU per socket). */
	if (summit_madt(a))
		pc_topology_from_madt(a);
	else
		pc_topology_from_mptable(fw_mptable());
	if (a)
		pc_devices_from_acpi(a);
	/* The xapic-cluster driver (summit_machine.irqchip) names at most 60
	 * CPUs; above that topo_choose_apic_mode passes it over. */
	if (topo.ncpus > SUMMIT_MAX_CLUSTER_CPUS)
		printk(KERN_WARN "summit: %u CPUs, clustered mode names %u: physical addressing\n",
		       topo.ncpus, SUMMIT_MAX_CLUSTER_CPUS);
}

static const struct machine_ops summit_ops = {
	.setup = summit_setup,
};

static const struct machine summit = {
	.name = "summit",
	.description = "IBM Summit (x440/x445): clustered logical APIC addressing",
	.probe = summit_probe,
	/* Summit chipsets route interrupts by logical cluster (Linux's old
	 * summit subarch): flat logical mode does not reach CPUs across nodes. */
	.irqchip = &irqchip_xapic_cluster,
	.ops = &summit_ops,
};
MACHINE_REGISTER(summit, MACHINE_BAND_PLATFORM);
