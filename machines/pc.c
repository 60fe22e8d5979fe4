// SPDX-License-Identifier: MIT
/*
 * What the PC entries share: turning firmware tables into `topo`, the 8259
 * as a source of device IRQs (irq_source_pic: pc-legacy's, and the fallback
 * of any entry that finds no usable local APIC or IO-APIC), the PIT tick.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <kernel/firmware.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/topology.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/irqchip.h>
#include <asm/paravirt.h>
#include <asm/pic.h>
#include <asm/timers.h>
#include <asm/trap.h>
#include <string.h>

/* ---- ACPI MADT ---- */

/* The boot CPU's initial APIC id: CPUID 0xB (32 bits) where it is
 * implemented, else leaf 1 (8 bits). */
static uint32_t boot_apic_id(void)
{
	struct cpuid_regs r;

	if (boot_cpu.max_leaf >= 0xb) {
		cpuid(0xb, 0, &r);
		if (r.ebx)
			return r.edx;
	}
	cpuid(1, 0, &r);
	return r.ebx >> 24;
}

static void ensure_boot_cpu(void)
{
	if (cpu_has(X86_FEATURE_APIC))
		topo_ensure_boot_cpu(boot_apic_id());
}

bool pc_topology_from_madt(const struct acpi_info *a)
{
	bool apic = cpu_has(X86_FEATURE_APIC);

	if (!a->madt.present)
		return false;
	return topo_from_madt(&a->madt, apic, apic ? boot_apic_id() : 0);
}

uint64_t pc_acpi_hpet(const struct acpi_info *a, const char **why)
{
	uint64_t pa = a->hpet.base.address;

	*why = NULL;
	if (!a->hpet.present)
		return 0;
	if (a->hpet.base.space != ACPI_SPACE_MEM)
		*why = "not in memory space";
	else if (!(*why = fw_mmio_refusal(pa, 0x400)) && !hpet_answers(pa))
		*why = "where nothing answers";
	return *why ? 0 : pa;
}

void pc_devices_from_acpi(const struct acpi_info *a)
{
	const struct acpi_fadt *f = &a->fadt;
	const char *why;

	topo.hpet_addr = pc_acpi_hpet(a, &why);
	if (why)
		printk(KERN_WARN "acpi: HPET table: registers at %#llx %s: no HPET\n",
		       (unsigned long long)a->hpet.base.address, why);
	if (f->present) {
		if (f->pm_tmr.address &&
		    (f->pm_tmr.space == ACPI_SPACE_IO || f->pm_tmr.space == ACPI_SPACE_MEM)) {
			topo.pmtimer_addr = f->pm_tmr.address;
			topo.pmtimer_mmio = f->pm_tmr.space == ACPI_SPACE_MEM;
			topo.pmtimer_32bit = f->flags & ACPI_FADT_TMR_VAL_EXT;
		}
		if (!(f->boot_arch & ACPI_BOOT_NO_CMOS_RTC))
			topo.rtc_century = f->century;
		if (a->s5.present) {
			topo.s5 = true;
			topo.slp_typ_a = a->s5.slp_typ_a;
			topo.slp_typ_b = a->s5.slp_typ_b;
			if (f->pm1a_cnt.space == ACPI_SPACE_IO && f->pm1a_cnt.address <= 0xffff)
				topo.pm1a_cnt = (uint16_t)f->pm1a_cnt.address;
			if (f->pm1b_cnt.space == ACPI_SPACE_IO && f->pm1b_cnt.address <= 0xffff)
				topo.pm1b_cnt = (uint16_t)f->pm1b_cnt.address;
			if ((f->flags & ACPI_FADT_HW_REDUCED) && f->sleep_control.address) {
				topo.sleep_control = f->sleep_control.address;
				topo.sleep_control_mmio = f->sleep_control.space == ACPI_SPACE_MEM;
			}
		}
	}
}

/* ---- MP table ---- */

static bool isa_bus(const struct mp_info *m, uint8_t id)
{
	const struct mp_bus *b = mptable_bus(m, id);
	return b && !memcmp(b->type, "ISA", 3);
}

bool pc_topology_from_mptable(const struct mp_info *m)
{
	topo.source = "mptable";
	topo.lapic_addr = m->lapic_addr;
	/* IMCR present (feature byte 2 bit 7) means the BIOS left "PIC mode". */
	topo.imcr = fw_mptable_imcr();
	topo.pic = true; /* MP systems are PC-AT compatible (MP spec 3.6) */
	for (unsigned i = 0; i < m->ncpus; i++)
		if (m->cpus[i].flags & MP_CPU_ENABLED)
			topo_add_cpu(m->cpus[i].apic_id, 0, m->cpus[i].flags & MP_CPU_BSP);
	/* SeaBIOS on isapc lists its only CPU as the BSP but not enabled: the
	 * CPU running this code exists whatever the table says. */
	for (unsigned i = 0; i < m->ncpus && !topo.ncpus; i++)
		if (m->cpus[i].flags & MP_CPU_BSP)
			topo_add_cpu(m->cpus[i].apic_id, 0, true);
	topo.cpus_dropped += m->cpus_dropped;
	ensure_boot_cpu();
	/* MP tables give no GSI bases: number the IO-APICs' pins in table order,
	 * as Linux does (24 pins assumed until each answers its version read). */
	uint32_t gsi = 0;
	for (unsigned i = 0; i < m->nioapics && topo.nioapics < TOPO_MAX_IOAPICS; i++) {
		if (!(m->ioapics[i].flags & MP_IOAPIC_ENABLED))
			continue;
		topo.ioapics[topo.nioapics++] = (struct topo_ioapic){
			.id = m->ioapics[i].id,
			.addr = m->ioapics[i].address,
			.gsi_base = gsi,
		};
		gsi += 24;
	}
	/* ISA interrupt assignments become overrides: IRQ -> (IO-APIC, pin). */
	for (unsigned i = 0; i < m->nirqs && topo.noverrides < TOPO_MAX_OVERRIDES; i++) {
		const struct mp_irq *q = &m->irqs[i];
		if (q->type != MP_INT || !isa_bus(m, q->src_bus))
			continue;
		for (unsigned j = 0; j < topo.nioapics; j++) {
			if (q->dst_id != MP_DEST_ALL && topo.ioapics[j].id != q->dst_id)
				continue;
			topo_add_override(q->src_irq, topo.ioapics[j].gsi_base + q->dst_pin,
					  q->flags & (INTI_POLARITY_MASK | INTI_TRIGGER_MASK));
			break;
		}
	}
	for (unsigned i = 0; i < m->nlints && topo.nnmis < TOPO_MAX_NMIS; i++) {
		const struct mp_irq *q = &m->lints[i];
		if (q->type != MP_NMI || q->dst_pin > 1)
			continue;
		topo.nmis[topo.nnmis++] = (struct topo_nmi){
			q->dst_id == MP_DEST_ALL ? TOPO_ALL_CPUS : q->dst_id, q->dst_pin,
			q->flags & (INTI_POLARITY_MASK | INTI_TRIGGER_MASK)};
	}
	return topo.ncpus > 0;
}

/*
 * The firmware -> topology choice the PC-like entries share: the MADT where
 * ACPI has one (even one that lists no CPU: its IO-APICs are still the
 * better list), else the MP table, else nothing (topo keeps the boot CPU
 * that topo_ensure_boot_cpu adds, or stays empty for the 8259 fallback);
 * then the ACPI devices (HPET, PM timer, RTC century, S5) wherever ACPI is.
 * Entries with a reason to differ say so in their own setup (pc-mps: the MP
 * table first; summit: the MADT only when it carries the identity; vmi:
 * only the MADT is trusted).
 */
void pc_topology_from_firmware(void)
{
	const struct acpi_info *a = fw_acpi();

	if (a && a->madt.present)
		pc_topology_from_madt(a);
	else if (fw_mptable())
		pc_topology_from_mptable(fw_mptable());
	if (a)
		pc_devices_from_acpi(a);
}

/* The firmware's own name (SMBIOS type 0), for probe evidence: "SeaBIOS",
 * "The Bochs Project", ... */
void pc_note_bios(struct probe_result *r)
{
	const struct smbios_info *s = fw_smbios();

	if (s && s->bios_vendor[0])
		probe_note(r, ", BIOS '%s'", s->bios_vendor);
}

/* ---- PCI host bridge, by configuration mechanism #1 ---- */

bool pc_pci_host_bridge(uint16_t *vendor, uint16_t *device)
{
	outl(0xcf8, 0x80000000u); /* bus 0, device 0, function 0, register 0 */
	uint32_t id = inl(0xcfc);

	if (id == 0xffffffffu || id == 0)
		return false;
	*vendor = id & 0xffff;
	*device = id >> 16;
	return true;
}

/* ---- device IRQs through the 8259 (alone, or in virtual wire) ---- */

/*
 * The 8259's EOI for the vectors it delivered. With no local APIC it is
 * the only EOI; in virtual-wire mode (MP spec 3.6.2.2: the 8259's INTR
 * reaches the boot CPU's LINT0 as ExtINT) the local APIC takes no EOI for
 * these either, because an ExtINT interrupt is not put in service in the
 * local APIC (SDM 10.8.5, "ExtINT ... does not require an EOI").
 */
static bool pic_src_eoi(unsigned vector)
{
	unsigned irq = vector - PIC_VECTOR_BASE;

	if (vector < PIC_VECTOR_BASE || irq >= 16)
		return false;
	/* A spurious IRQ 7/15 (the line dropped before the CPU's INTA) is not
	 * in service: it gets no EOI (8259A datasheet, "Interrupt Sequence"). */
	if ((irq == 7 || irq == 15) && pic_spurious(irq))
		return true;
	pic_eoi(irq);
	return true;
}

/* The 8259 delivers to the boot CPU only, at a fixed vector per line. */
static int pic_src_route(unsigned irq, unsigned vector, unsigned cpu)
{
	return irq < 16 && cpu == 0 ? (int)(PIC_VECTOR_BASE + irq) : -1;
}

static void pic_src_mask(unsigned irq, bool masked)
{
	if (irq < 16)
		pic_mask(irq, masked);
}

const struct irq_source irq_source_pic = {
	.name = "8259",
	.route = pic_src_route,
	.mask = pic_src_mask,
	.eoi = pic_src_eoi,
};

/* ---- the PIT as the tick where there is no local APIC timer ---- */

static void pit_tick(struct trap_frame *f, void *data)
{
	timer_tick();
}

const char *pc_pit_timer_init_cpu(unsigned hz)
{
	if (smp_processor_id() != 0 || pit_periodic(hz) < 0)
		return NULL;
	irq_set_handler(PIC_VECTOR_BASE + 0, pit_tick, NULL);
	pic_mask(0, false);
	return "pit";
}
