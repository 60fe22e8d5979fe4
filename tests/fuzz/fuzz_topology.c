// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the code that CONSUMES a parsed MADT: the input is a
 * MADT (header included) read by acpi_parse_madt, then turned into `topo`
 * by topo_from_madt (kernel/topology.c), the very function machines/pc.c's
 * pc_topology_from_madt calls, IO-APICs "verified" with an
 * input-chosen pin count and checked as machines/native.c does
 * (topo_ioapic_dup_refusal, topo_ioapic_gsi_refusal, topo_check_overrides),
 * then every ISA IRQ routed (topo_isa_to_gsi, topo_gsi_to_ioapic). The
 * register-address checks against the memory map (fw_mmio_refusal) and the
 * MMIO reads are not host code; the matrix group `hostile` covers them.
 * Invariants: what routing hands out is what the checks allowed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <kernel/topology.h>
#include <kernel/cmdline.h>
#include "../../arch/x86/firmware/acpi_internal.h"

static bool x2apic;

bool lapic_x2apic_capable(void)
{
	return x2apic;
}

int printk(const char *fmt, ...)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_info info;
	const struct acpi_madt *m = &info.madt;

	if (size < 3)
		return 0;
	x2apic = data[0] & 1;
	unsigned pins = 1 + data[1] % 240;
	uint32_t boot_id = data[0] >> 1;
	/* The APIC-mode choice: the apic= request, firmware's x2APIC state, the
	 * machine entry's platform mode, the FADT's physical-mode flag. */
	enum apic_mode_req req = (enum apic_mode_req)(data[2] % 7);
	bool x2_on = x2apic && (data[2] & 0x80);
	enum apic_mode pref = (enum apic_mode)((data[2] >> 3) % 6);
	data += 3;
	size -= 3;
	memset(&info, 0, sizeof(info));
	acpi_parse_madt(&info, data, 0x7fe0000, (uint32_t)size);
	topo_reset();
	/* The consumer the machine entries run (machines/pc.c). */
	topo_from_madt(m, true, boot_id);
	for (unsigned i = 0; i < topo.nioapics; i++) {
		struct topo_ioapic *io = &topo.ioapics[i];
		io->pins = topo_ioapic_dup_refusal(i) ? 0 : pins;
		io->verified = io->pins && !topo_ioapic_gsi_refusal(i);
	}
	topo_check_overrides();
	const char *why;
	bool fadt_phys = data[-1] & 0x40;
	enum apic_mode mode = topo_choose_apic_mode(req, pref, fadt_phys, x2apic, x2_on, &why);

	/* The CPUs: addressable, unique, the boot CPU among them. */
	bool boot = false;
	if (!topo.ncpus || topo.ncpus > TOPO_MAX_CPUS)
		abort();
	for (unsigned i = 0; i < topo.ncpus; i++) {
		if (topo.cpus[i].apic_id > topo_apic_id_max())
			abort();
		for (unsigned j = 0; j < i; j++)
			if (topo.cpus[j].apic_id == topo.cpus[i].apic_id)
				abort();
		boot |= topo.cpus[i].apic_id == boot_id;
	}
	if (!boot)
		abort();
	/* Verified IO-APICs: no two share registers or GSIs, no range wraps. */
	for (unsigned i = 0; i < topo.nioapics; i++) {
		const struct topo_ioapic *a = &topo.ioapics[i];
		if (!a->verified)
			continue;
		if (a->gsi_base + a->pins < a->gsi_base)
			abort();
		for (unsigned j = 0; j < i; j++) {
			const struct topo_ioapic *b = &topo.ioapics[j];
			if (b->verified &&
			    (a->addr == b->addr || (a->gsi_base < b->gsi_base + b->pins &&
						    b->gsi_base < a->gsi_base + a->pins)))
				abort();
		}
	}
	/* Routing: ISA IRQs only, IRQ0 edge/high, and any override left is served. */
	for (unsigned i = 0; i < topo.noverrides; i++) {
		unsigned pin;
		if (topo.overrides[i].isa_irq > 15 ||
		    topo_gsi_to_ioapic(topo.overrides[i].gsi, &pin) < 0)
			abort();
	}
	for (unsigned irq = 0; irq < 16; irq++) {
		uint16_t flags;
		unsigned pin;
		uint32_t gsi = topo_isa_to_gsi(irq, &flags);
		int io = topo_gsi_to_ioapic(gsi, &pin);
		if (io >= 0 && (pin >= topo.ioapics[io].pins || !topo.ioapics[io].verified))
			abort();
		if (irq == 0 && ((flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL ||
				 (flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW))
			abort();
	}
	/* The mode names every CPU: x2APIC only on a CPU that has it, and
	 * required above id 254; flat <= 8 CPUs, cluster <= 60; no xAPIC mode
	 * once firmware left x2APIC on. */
	uint32_t max_id = 0;
	for (unsigned i = 0; i < topo.ncpus; i++)
		if (topo.cpus[i].apic_id > max_id)
			max_id = topo.cpus[i].apic_id;
	bool x2mode = mode == APIC_MODE_X2APIC_PHYS || mode == APIC_MODE_X2APIC_CLUSTER;
	if (mode == APIC_MODE_NONE || (x2mode && !x2apic) || (max_id > 0xfe && !x2mode) ||
	    (mode == APIC_MODE_XAPIC_FLAT && topo.ncpus > 8) ||
	    (mode == APIC_MODE_XAPIC_CLUSTER && topo.ncpus > 60) || (x2_on && !x2mode))
		abort();
	return 0;
}
