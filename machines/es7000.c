// SPDX-License-Identifier: MIT
/*
 * es7000: Unisys ES7000 (once Linux i386's mach-es7000). Identified by the
 * ACPI OEM id "UNISYS" (root table or MADT) together with a valid OEM1
 * table, whose format this kernel defines (include/firmware/es7000.h): the
 * OEM id alone is one string any firmware can carry, so a missing or bad
 * table means "not this machine". Like Summit, what is different and real
 * under emulation is the clustered logical APIC addressing.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <asm/irqchip.h>
#include <firmware/es7000.h>
#include <kernel/firmware.h>
#include <kernel/physmem.h>
#include <kernel/printk.h>
#include <kernel/topology.h>
#include <asm/apic.h>

/* Far more than the 52 bytes the format needs; a larger length is refused. */
#define ES7000_OEM_MAP_MAX 4096

static struct es7000_oem es7000_oem;

static bool unisys_oem(const struct acpi_info *a)
{
	return fwmem_id_eq(a->root.oem_id, "UNISYS") || fwmem_id_eq(a->madt.oem_id, "UNISYS");
}

/* NULL when the identity holds; else why not. */
static const char *es7000_identify(const struct acpi_info *a)
{
	static char why[PROBE_EVIDENCE_LEN];

	if (!a || !a->madt.present)
		return a ? "ACPI without a MADT" : "no ACPI tables";
	if (!unisys_oem(a)) {
		snprintf(why, sizeof(why), "ACPI OEM '%s', MADT OEM '%s': not UNISYS",
			 a->root.oem_id, a->madt.oem_id);
		return why;
	}
	const struct acpi_table *t = acpi_table_find(a, ES7000_OEM_SIG, 0);
	if (!t)
		return "ACPI OEM 'UNISYS' but no OEM1 table";
	size_t len = t->length < ES7000_OEM_MAP_MAX ? t->length : ES7000_OEM_MAP_MAX;
	const void *bytes = fwmem_map(&physmem, t->addr, len);
	if (!bytes)
		return "ACPI OEM 'UNISYS' but the OEM1 table is unreadable";
	if (es7000_oem_parse(bytes, len, &es7000_oem) != FW_OK) {
		snprintf(why, sizeof(why), "ACPI OEM 'UNISYS' but OEM1 table at %#llx refused: %s",
			 (unsigned long long)t->addr, es7000_oem.why);
		return why;
	}
	unsigned names = es7000_oem.clusters * ES7000_CPUS_PER_CLUSTER;
	if (a->madt.ncpus > names) {
		snprintf(why, sizeof(why), "OEM1 table names %u clusters (%u CPUs), MADT lists %u",
			 es7000_oem.clusters, names, a->madt.ncpus);
		return why;
	}
	return NULL;
}

static void es7000_probe(struct probe_result *r)
{
	const struct acpi_info *a = fw_acpi();
	const char *why = es7000_identify(a);

	if (why) {
		r->refusal = why;
		return;
	}
	if (!lapic_detect(0)) {
		r->refusal = "Unisys ES7000 identity but no usable local APIC";
		return;
	}
	r->score = SCORE_PLATFORM;
	probe_note(r, "ACPI OEM '%s' table '%s', OEM1 v%u: %u cluster, %u partition; MADT %u CPU",
		   a->root.oem_id, a->root.oem_table_id, es7000_oem.version, es7000_oem.clusters,
		   es7000_oem.partitions, a->madt.ncpus);
	probe_note(r, ": xapic-cluster");
}

static const struct machine_ops es7000_ops = {
	.setup = pc_topology_from_firmware, /* the probe found the MADT */
};

static const struct machine es7000 = {
	.name = "es7000",
	.description = "Unisys ES7000: clustered logical APIC addressing",
	.probe = es7000_probe,
	/* es7000_identify bounded the MADT by the OEM table's clusters (<= 15),
	 * so clustered mode can name every CPU the MADT lists. */
	.irqchip = &irqchip_xapic_cluster,
	.ops = &es7000_ops,
};
MACHINE_REGISTER(es7000, MACHINE_BAND_PLATFORM);
