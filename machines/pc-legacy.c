// SPDX-License-Identifier: MIT
/*
 * pc-legacy: the PC/AT. Dual 8259 PIC, PIT channel 0 as the tick, one CPU,
 * no local APIC used even if one exists. It runs wherever an 8259 answers,
 * so it is the last resort and scores lowest.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <asm/irqchip.h>
#include <kernel/firmware.h>
#include <kernel/topology.h>
#include <asm/pic.h>
#include <asm/cpufeature.h>
#include <kernel/printk.h>

static void pc_legacy_probe(struct probe_result *r)
{
	if (!pic_present()) {
		r->refusal = "no 8259 PIC answers";
		return;
	}
	r->score = SCORE_FALLBACK;
	probe_note(r, "8259 PIC answers");
	probe_note(r, cpu_has(X86_FEATURE_APIC) ? ", CPU has an APIC (unused)" : ", no APIC");
	pc_note_bios(r);
}

static void pc_legacy_setup(void)
{
	const struct acpi_info *a = fw_acpi();

	topo.source = "defaults";
	topo_add_cpu(0, 0, true);
	topo.pic = true;
	if (a)
		pc_devices_from_acpi(a); /* HPET, PM timer, S5: clocks and power-off */
	else if (cpu_has(X86_FEATURE_APIC) && !fw_mptable())
		printk(KERN_WARN "pc-legacy: no ACPI MADT and no MP table list this machine's "
				 "CPUs: running on the boot CPU only, with the 8259 PIC\n");
}

static const struct machine_ops pc_legacy_ops = {
	.setup = pc_legacy_setup,
};

static const struct machine pc_legacy = {
	.name = "pc-legacy",
	.description = "PC/AT: 8259 PIC and PIT, one CPU",
	.probe = pc_legacy_probe,
	.irqchip = &irqchip_pic, /* the PC/AT model even where the CPU has an APIC */
	.ops = &pc_legacy_ops,
};
MACHINE_REGISTER(pc_legacy, MACHINE_BAND_GENERIC);
