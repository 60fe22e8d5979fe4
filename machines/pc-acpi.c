// SPDX-License-Identifier: MIT
/*
 * pc-acpi: a PC described by ACPI. CPUs, IO-APICs, interrupt overrides and
 * NMI wiring from the MADT; HPET, PM timer and soft-off from the HPET
 * table, FADT and DSDT (QEMU pc and q35, Bochs i440fx).
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <kernel/firmware.h>
#include <kernel/topology.h>
#include <asm/apic.h>

#define SCORE_PC_ACPI (SCORE_FIRMWARE + 2)

static void pc_acpi_probe(struct probe_result *r)
{
	const struct acpi_info *a = fw_acpi();

	if (!a || !a->madt.present) {
		r->refusal = a ? "ACPI without a MADT" : "no ACPI tables";
		return;
	}
	if (!lapic_detect(0)) {
		r->refusal = "firmware lists APICs but this CPU has no usable local APIC";
		return;
	}
	r->score = SCORE_PC_ACPI;
	probe_note(r, "ACPI %s OEM '%s': MADT %u CPU, %u IOAPIC, %u override",
		   a->xsdt ? "XSDT" : "RSDT", a->oem_id, a->madt.ncpus, a->madt.nioapics,
		   a->madt.noverrides);
	const char *why;
	if (pc_acpi_hpet(a, &why))
		probe_note(r, ", HPET");
	else if (why)
		probe_note(r, ", HPET table unusable (%s)", why);
	uint16_t v, d;
	if (pc_pci_host_bridge(&v, &d))
		probe_note(r, ", host bridge %04x:%04x", v, d);
	pc_note_bios(r);
}

static const struct machine_ops pc_acpi_ops = {
	.setup = pc_topology_from_firmware, /* the probe found the MADT */
};

static const struct machine pc_acpi = {
	.name = "pc-acpi",
	.description = "ACPI PC: MADT, HPET and PM timer",
	.probe = pc_acpi_probe,
	.ops = &pc_acpi_ops,
};
MACHINE_REGISTER(pc_acpi, MACHINE_BAND_GENERIC);
