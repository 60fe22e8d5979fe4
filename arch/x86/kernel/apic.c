// SPDX-License-Identifier: MIT
/*
 * APIC addressing modes: how a CPU is named as an interrupt destination.
 *
 *   xapic-flat     logical, DFR flat, LDR bit = 1 << cpu: at most 8 CPUs
 *   xapic-phys     physical APIC ids: any number of CPUs ("bigsmp")
 *   xapic-cluster  logical, DFR cluster, LDR = cluster << 4 | 1 << (cpu % 4):
 *                  up to 15 clusters of 4 (IBM Summit, Unisys ES7000)
 *   x2apic-phys    32-bit physical x2APIC ids
 *   x2apic-cluster logical, LDR fixed by hardware: (id >> 4) << 16 | 1 << (id & 15)
 *
 * INIT and STARTUP always go by physical APIC id.
 */
#include <asm/apic.h>
#include <kernel/percpu.h>
#include <kernel/panic.h>

static enum apic_mode mode = APIC_MODE_NONE;

static const char *const names[] = {
	[APIC_MODE_NONE] = "pic",
	[APIC_MODE_XAPIC_FLAT] = "xapic-flat",
	[APIC_MODE_XAPIC_PHYS] = "xapic-phys",
	[APIC_MODE_XAPIC_CLUSTER] = "xapic-cluster",
	[APIC_MODE_X2APIC_PHYS] = "x2apic-phys",
	[APIC_MODE_X2APIC_CLUSTER] = "x2apic-cluster",
};

const char *apic_mode_name(enum apic_mode m)
{
	return names[m];
}

void apic_set_mode(enum apic_mode m)
{
	mode = m;
}

enum apic_mode apic_get_mode(void)
{
	return mode;
}

/* Logical cluster id of a CPU in xapic-cluster mode: clusters of 4, 15 usable. */
static uint32_t xapic_cluster_ldr(unsigned cpu)
{
	return (uint32_t)((cpu / 4) << 4 | 1u << (cpu % 4));
}

void apic_init_cpu_dest(unsigned cpu)
{
	switch (mode) {
	case APIC_MODE_XAPIC_FLAT:
		lapic_write(APIC_DFR, 0xffffffffu);
		lapic_write(APIC_LDR, (1u << cpu) << 24);
		break;
	case APIC_MODE_XAPIC_CLUSTER:
		lapic_write(APIC_DFR, 0x0fffffffu);
		lapic_write(APIC_LDR, xapic_cluster_ldr(cpu) << 24);
		break;
	default:
		break; /* physical modes need no LDR; x2APIC's is read-only */
	}
	percpu[cpu]->apic_ldr = mode == APIC_MODE_X2APIC_CLUSTER ? lapic_read(APIC_LDR) : 0;
}

uint32_t apic_dest(unsigned cpu, bool *logical)
{
	struct percpu *p = percpu[cpu];

	switch (mode) {
	case APIC_MODE_XAPIC_FLAT:
		*logical = true;
		return 1u << cpu;
	case APIC_MODE_XAPIC_CLUSTER:
		*logical = true;
		return xapic_cluster_ldr(cpu);
	case APIC_MODE_X2APIC_CLUSTER:
		*logical = true;
		return p->apic_ldr;
	default:
		*logical = false;
		return p->apic_id;
	}
}

void apic_send_ipi(unsigned cpu, unsigned vector, uint32_t dm)
{
	bool logical;
	uint32_t dest = apic_dest(cpu, &logical);

	lapic_write_icr(dm | vector | APIC_INT_ASSERT | (logical ? APIC_DEST_LOGICAL : 0), dest);
}

void apic_send_ipi_allbutself(unsigned vector, uint32_t dm)
{
	lapic_write_icr(APIC_DEST_ALLBUT | dm | vector | APIC_INT_ASSERT, 0);
}

void apic_send_init(uint32_t apic_id)
{
	lapic_write_icr(APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT, apic_id);
}

void apic_send_sipi(uint32_t apic_id, unsigned page)
{
	lapic_write_icr(APIC_DM_STARTUP | (page & 0xff), apic_id);
}
