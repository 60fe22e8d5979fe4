// SPDX-License-Identifier: MIT
/*
 * microvm: QEMU's minimal x86 machine. No PCI, no BIOS data area, two
 * IO-APICs, hardware-reduced ACPI or only qboot's MP table, and with
 * pic=off,pit=off,rtc=off none of the legacy devices: the entry must not
 * assume any of them (the generic code checks each device before use).
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <kernel/firmware.h>
#include <kernel/physmem.h>
#include <kernel/topology.h>
#include <asm/apic.h>
#include <asm/ioapic.h>
#include <asm/pic.h>
#include <asm/platform.h>
#include <asm/timers.h>

#define SCORE_MICROVM (SCORE_PLATFORM - 2)
/* microvm's second IO-APIC (present with ACPI). isapc shares the rest of
 * the evidence (fw_cfg, no PCI) but has none of: this IO-APIC, qboot's MP
 * table, or a missing BIOS data area. */
#define MICROVM_IOAPIC1 0xfec10000u

static void microvm_probe(struct probe_result *r)
{
	uint16_t v, d;

	if (!fw_cfg_present()) {
		r->refusal = "no QEMU fw_cfg";
		return;
	}
	if (pc_pci_host_bridge(&v, &d)) {
		r->refusal = "a PCI host bridge answers: not microvm";
		return;
	}
	if (!lapic_detect(0)) {
		r->refusal = "no local APIC";
		return;
	}
	bool ioapic1 = ioapic_probe(MICROVM_IOAPIC1, NULL) > 0;
	bool qboot = fw_mptable() && fwmem_id_eq(fw_mptable()->oem_id, "QBOOT");
	bool no_bda = !fwmem_ebda(&physmem);
	if (!ioapic1 && !qboot && !no_bda) {
		r->refusal = "no microvm sign (IOAPIC at 0xfec10000, qboot, no BDA)";
		return;
	}
	r->score = SCORE_MICROVM;
	probe_note(r, "fw_cfg QEMU, no PCI host bridge");
	if (ioapic1)
		probe_note(r, ", IOAPIC at 0xfec10000");
	if (qboot)
		probe_note(r, ", qboot MP table");
	if (no_bda)
		probe_note(r, ", no BDA/EBDA");
	const struct acpi_info *a = fw_acpi();
	if (a)
		probe_note(r, ", ACPI%s %u IOAPIC",
			   a->fadt.present && (a->fadt.flags & ACPI_FADT_HW_REDUCED) ? " hw-reduced"
										     : "",
			   a->madt.nioapics);
	else if (fw_mptable())
		probe_note(r, ", MP table %u IOAPIC", fw_mptable()->nioapics);
	if (!pic_present())
		probe_note(r, ", no 8259");
	if (!pit_present())
		probe_note(r, ", no PIT");
}

static void microvm_setup(void)
{
	pc_topology_from_firmware();
	topo.pic = pic_present();
}

static const struct machine_ops microvm_ops = {
	.setup = microvm_setup,
};

static const struct machine microvm = {
	.name = "microvm",
	.description = "QEMU microvm: no PCI, no BIOS data area, optional legacy devices",
	.probe = microvm_probe,
	.ops = &microvm_ops,
};
MACHINE_REGISTER(microvm, MACHINE_BAND_PLATFORM);
