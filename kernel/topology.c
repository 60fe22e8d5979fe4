// SPDX-License-Identifier: MIT
#include <kernel/topology.h>
#include <string.h>

struct topology topo;

void topo_reset(void)
{
	memset(&topo, 0, sizeof(topo));
}

bool topo_add_cpu(uint32_t apic_id, uint32_t acpi_uid, bool bsp)
{
	for (unsigned i = 0; i < topo.ncpus; i++) {
		if (topo.cpus[i].apic_id == apic_id) {
			topo.cpus_dropped++; /* a duplicate: firmware bug, keep the first */
			return false;
		}
	}
	if (topo.ncpus == TOPO_MAX_CPUS) {
		topo.cpus_dropped++;
		return false;
	}
	topo.cpus[topo.ncpus++] = (struct topo_cpu){apic_id, acpi_uid, bsp};
	return true;
}

uint32_t topo_isa_to_gsi(unsigned irq, uint16_t *flags)
{
	for (unsigned i = 0; i < topo.noverrides; i++) {
		if (topo.overrides[i].isa_irq == irq) {
			*flags = topo.overrides[i].flags;
			return topo.overrides[i].gsi;
		}
	}
	*flags = INTI_POLARITY_HIGH | INTI_TRIGGER_EDGE; /* ISA default */
	return irq;
}

int topo_gsi_to_ioapic(uint32_t gsi, unsigned *pin)
{
	for (unsigned i = 0; i < topo.nioapics; i++) {
		const struct topo_ioapic *io = &topo.ioapics[i];
		if (io->verified && gsi >= io->gsi_base && gsi < io->gsi_base + io->pins) {
			*pin = gsi - io->gsi_base;
			return (int)i;
		}
	}
	return -1;
}
