// SPDX-License-Identifier: MIT
/*
 * APIC addressing modes: how a CPU is named as an interrupt destination,
 * one const driver (struct irqchip, include/asm/irqchip.h) per mode.
 *
 *   xapic-flat     logical, DFR flat, LDR bit = 1 << cpu: at most 8 CPUs
 *   xapic-phys     physical APIC ids: any number of CPUs ("bigsmp")
 *   xapic-cluster  logical, DFR cluster, LDR = cluster << 4 | 1 << (cpu % 4):
 *                  up to 15 clusters of 4 (IBM Summit, Unisys ES7000)
 *   x2apic-phys    32-bit physical x2APIC ids
 *   x2apic-cluster logical, LDR fixed by hardware: (id >> 4) << 16 | 1 << (id & 15)
 *
 * Intel SDM vol. 3A, "Advanced Programmable Interrupt Controller (APIC)"
 * (ch. 10 in older editions, 11 in newer): 10.6.2 "Determining IPI
 * Destination", 10.12.10 "x2APIC Logical Destination Mode".
 *
 * In xAPIC logical mode the kernel writes the LDR itself, so a CPU's
 * logical id follows its CPU number; in x2APIC the LDR is read-only and
 * derived from the x2APIC id, so it is read back per CPU (percpu apic_ldr).
 * The DFR decides how every APIC interprets a logical destination; all
 * APICs in a system must use the same model (SDM 10.6.2.2), which is why
 * the mode is chosen once for all CPUs.
 *
 * INIT and STARTUP always go by physical APIC id.
 */
#include <asm/irqchip.h>
#include <kernel/percpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/minmax.h>

/* Chosen once (irqchip_set); until then the no-APIC, no-source pair. */
const struct irqchip *irqchip __ro_after_init = &irqchip_pic;
const struct irq_source *irq_source __ro_after_init = &irq_source_none;
static bool chosen __ro_after_init;

void irqchip_set(const struct irqchip *chip, const struct irq_source *src)
{
	if (chosen) {
		printk(KERN_ERR "irqchip: %s already chosen, %s refused\n", irqchip->name,
		       chip->name);
		return;
	}
	chosen = true;
	irqchip = chip;
	irq_source = src;
}

enum apic_mode apic_get_mode(void)
{
	return irqchip->mode;
}

const char *apic_mode_name(enum apic_mode m)
{
	return m == APIC_MODE_NONE ? irqchip_pic.name : irqchip_for_mode(m)->name;
}

/* ---- what every APIC mode shares ---- */

static void apic_eoi(unsigned vector)
{
	/* Any write to the EOI register ends the highest-priority in-service
	 * vector (SDM 10.8.5); the value is ignored, 0 by convention. */
	lapic_eoi();
}

static void send_ipi(unsigned cpu, unsigned vector, uint32_t dm)
{
	bool logical;
	uint32_t dest = irqchip->dest(cpu, &logical);

	lapic_write_icr(dm | vector | APIC_INT_ASSERT | (logical ? APIC_DEST_LOGICAL : 0), dest);
}

/* The "all excluding self" shorthand needs no destination, so it is the
 * same ICR write in every mode (SDM 10.6.1, destination shorthand 11b). */
static void send_ipi_allbutself(unsigned vector, uint32_t dm)
{
	lapic_write_icr(APIC_DEST_ALLBUT | dm | vector | APIC_INT_ASSERT, 0);
}

void apic_send_init(uint32_t apic_id)
{
	/* Level-triggered assert: the form every APIC since the 82489DX accepts. */
	lapic_write_icr(APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT, apic_id);
}

void apic_send_init_others(void)
{
	/* The ICR's destination shorthand 11b, all excluding self (10.6.1). */
	lapic_write_icr(APIC_DM_INIT | APIC_INT_LEVELTRIG | APIC_INT_ASSERT | APIC_DEST_ALLBUT, 0);
}

void apic_send_sipi(uint32_t apic_id, unsigned page)
{
	/* The vector field is the 4 KiB page the AP starts at, real mode. */
	lapic_write_icr(APIC_DM_STARTUP | (page & 0xff), apic_id);
}

uint32_t x2apic_cluster_ldr(uint32_t apic_id)
{
	/* SDM 10.12.10.2: cluster id (x2APIC id bits 31:4) in LDR bits 31:16,
	 * one bit per member (id bits 3:0) in bits 15:0. */
	return (apic_id >> 4) << 16 | 1u << (apic_id & 15);
}

void apic_send_sipi_cluster(uint32_t ldr, unsigned page)
{
	lapic_write_icr(APIC_DM_STARTUP | APIC_DEST_LOGICAL | (page & 0xff), ldr);
}

static uint32_t phys_dest(unsigned cpu, bool *logical)
{
	*logical = false;
	return percpu[cpu]->apic_id;
}

static void no_ldr(unsigned cpu)
{
	/* Physical modes do not look at the LDR. */
	percpu[cpu]->apic_ldr = 0;
}

/* ---- xapic-flat: DFR model 1111b, LDR bits 31:24 one bit per CPU ---- */

static void flat_init_cpu(unsigned cpu)
{
	lapic_write(APIC_DFR, 0xffffffffu);
	lapic_write(APIC_LDR, (1u << cpu) << 24);
	percpu[cpu]->apic_ldr = 1u << cpu;
}

static uint32_t flat_dest(unsigned cpu, bool *logical)
{
	*logical = true;
	return 1u << cpu;
}

/* ---- xapic-cluster: DFR model 0000b, LDR = cluster nibble | member bits ---- */

/* Clusters of 4; cluster 15 is the broadcast cluster, so 15 usable (60 CPUs). */
static uint32_t xapic_cluster_ldr(unsigned cpu)
{
	return (uint32_t)((cpu / 4) << 4 | 1u << (cpu % 4));
}

static void xcluster_init_cpu(unsigned cpu)
{
	lapic_write(APIC_DFR, 0x0fffffffu);
	lapic_write(APIC_LDR, xapic_cluster_ldr(cpu) << 24);
	percpu[cpu]->apic_ldr = xapic_cluster_ldr(cpu);
}

static uint32_t xcluster_dest(unsigned cpu, bool *logical)
{
	*logical = true;
	return xapic_cluster_ldr(cpu);
}

/* ---- x2apic-cluster: the LDR is read-only, derived from the x2APIC id ---- */

/*
 * SDM 10.12.10.2: LDR[31:16] = x2APIC id[19:4] (the cluster), LDR[15:0] =
 * 1 << x2APIC id[3:0] (the member). There is no DFR in x2APIC mode. A
 * logical IPI with several member bits of one cluster reaches them all in
 * one ICR write.
 */
static void x2cluster_init_cpu(unsigned cpu)
{
	uint32_t ldr = lapic_read(APIC_LDR);

	/*
	 * The member bit makes a zero LDR impossible in x2APIC mode. Bochs
	 * (2.7, 2.8) derives the LDR in its IA32_APIC_BASE write handler from
	 * the mode the APIC was in *before* the write, so the write that turns
	 * x2APIC on leaves it 0 and every logical interrupt unmatched; a
	 * second write of the same value derives it.
	 */
	if (!ldr) {
		lapic_rewrite_base();
		ldr = lapic_read(APIC_LDR);
	}
	if (!ldr)
		printk(KERN_ERR "apic: CPU %u: x2APIC LDR reads 0: logical interrupts to it "
				"will not arrive\n",
		       cpu);
	percpu[cpu]->apic_ldr = ldr;
}

static uint32_t x2cluster_dest(unsigned cpu, bool *logical)
{
	*logical = true;
	return percpu[cpu]->apic_ldr;
}

const struct irqchip irqchip_xapic_flat = {
	.name = "xapic-flat",
	.mode = APIC_MODE_XAPIC_FLAT,
	.init_cpu = flat_init_cpu,
	.dest = flat_dest,
	.send_ipi = send_ipi,
	.send_ipi_allbutself = send_ipi_allbutself,
	.eoi = apic_eoi,
};

const struct irqchip irqchip_xapic_phys = {
	.name = "xapic-phys",
	.mode = APIC_MODE_XAPIC_PHYS,
	.init_cpu = no_ldr,
	.dest = phys_dest,
	.send_ipi = send_ipi,
	.send_ipi_allbutself = send_ipi_allbutself,
	.eoi = apic_eoi,
};

const struct irqchip irqchip_xapic_cluster = {
	.name = "xapic-cluster",
	.mode = APIC_MODE_XAPIC_CLUSTER,
	.init_cpu = xcluster_init_cpu,
	.dest = xcluster_dest,
	.send_ipi = send_ipi,
	.send_ipi_allbutself = send_ipi_allbutself,
	.eoi = apic_eoi,
};

const struct irqchip irqchip_x2apic_phys = {
	.name = "x2apic-phys",
	.mode = APIC_MODE_X2APIC_PHYS,
	.init_cpu = no_ldr,
	.dest = phys_dest,
	.send_ipi = send_ipi,
	.send_ipi_allbutself = send_ipi_allbutself,
	.eoi = apic_eoi,
};

const struct irqchip irqchip_x2apic_cluster = {
	.name = "x2apic-cluster",
	.mode = APIC_MODE_X2APIC_CLUSTER,
	.init_cpu = x2cluster_init_cpu,
	.dest = x2cluster_dest,
	.send_ipi = send_ipi,
	.send_ipi_allbutself = send_ipi_allbutself,
	.eoi = apic_eoi,
};

const struct irqchip *irqchip_for_mode(enum apic_mode m)
{
	static const struct irqchip *const by_mode[] = {
		[APIC_MODE_NONE] = &irqchip_pic,
		[APIC_MODE_XAPIC_FLAT] = &irqchip_xapic_flat,
		[APIC_MODE_XAPIC_PHYS] = &irqchip_xapic_phys,
		[APIC_MODE_XAPIC_CLUSTER] = &irqchip_xapic_cluster,
		[APIC_MODE_X2APIC_PHYS] = &irqchip_x2apic_phys,
		[APIC_MODE_X2APIC_CLUSTER] = &irqchip_x2apic_cluster,
	};

	return (unsigned)m < ARRAY_SIZE(by_mode) ? by_mode[m] : &irqchip_pic;
}

/* ---- no device IRQs at all ---- */

static int none_route(unsigned irq, unsigned vector, unsigned cpu)
{
	return -1;
}

static void none_mask(unsigned irq, bool masked)
{
}

static bool none_eoi(unsigned vector)
{
	return false;
}

const struct irq_source irq_source_none = {
	.name = "none",
	.route = none_route,
	.mask = none_mask,
	.eoi = none_eoi,
};
