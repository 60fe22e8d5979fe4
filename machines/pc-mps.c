// SPDX-License-Identifier: MIT
/*
 * pc-mps: an Intel MultiProcessor Specification 1.4 machine. CPUs, IO-APICs
 * and ISA interrupt routing come from the MP configuration table (QEMU pc
 * with acpi=off, Bochs i430fx). Below pc-acpi: where both tables exist the
 * MADT is the better source (SeaBIOS' MP table lists one CPU per socket).
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <kernel/firmware.h>
#include <kernel/topology.h>
#include <asm/apic.h>

#define SCORE_PC_MPS (SCORE_FIRMWARE + 0)

static void pc_mps_probe(struct probe_result *r)
{
	const struct mp_info *m = fw_mptable();

	if (!m) {
		r->refusal = "no usable MP table";
		return;
	}
	if (!lapic_detect(0)) {
		r->refusal = "firmware lists APICs but this CPU has no usable local APIC";
		return;
	}
	if (m->default_config) {
		r->refusal = "MP default configuration (no table): not supported";
		return;
	}
	r->score = SCORE_PC_MPS;
	probe_note(r, "MP 1.%u OEM '%s' '%s': %u CPU, %u IOAPIC", m->spec_rev, m->oem_id,
		   m->product_id, m->ncpus, m->nioapics);
	pc_note_bios(r);
}

static void pc_mps_setup(void)
{
	const struct acpi_info *a = fw_acpi();

	pc_topology_from_mptable(fw_mptable());
	if (a)
		pc_devices_from_acpi(a);
}

static const struct machine_ops pc_mps_ops = {
	.setup = pc_mps_setup,
};

static const struct machine pc_mps = {
	.name = "pc-mps",
	.description = "MP spec 1.4 PC: local APICs and IO-APICs from the MP table",
	.probe = pc_mps_probe,
	.ops = &pc_mps_ops,
};
MACHINE_REGISTER(pc_mps, MACHINE_BAND_GENERIC);
