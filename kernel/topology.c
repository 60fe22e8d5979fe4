// SPDX-License-Identifier: MIT
#include <kernel/topology.h>
#include <firmware/acpi.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <asm/apic.h>
#include <string.h>

struct topology topo;

/*
 * The highest APIC id an INIT, a STARTUP or an IPI can name: an xAPIC
 * destination is 8 bits and 0xff is the broadcast (so 256 truncates to 0,
 * the boot CPU, and 255 reaches everyone); x2APIC ids are 32 bits with
 * 0xffffffff the broadcast. A CPU with x2APIC is run in x2APIC mode when
 * any listed id needs it (machines/native.c choose_mode).
 */
uint32_t topo_apic_id_max(void)
{
	return lapic_x2apic_capable() ? 0xfffffffeu : 0xfeu;
}

void topo_reset(void)
{
	memset(&topo, 0, sizeof(topo));
}

unsigned topo_add_phantoms_first(unsigned n)
{
	unsigned added = 0;

	for (unsigned i = 0; i < n && i < SMP_PHANTOMS_FIRST_MAX; i++)
		added += topo_add_cpu(TOPO_PHANTOM_FIRST_ID + i, 0, false);
	/* Rotate them to the head of the list, in order. */
	for (unsigned k = 0; k < added; k++) {
		struct topo_cpu last = topo.cpus[topo.ncpus - 1];
		memmove(&topo.cpus[1], &topo.cpus[0], (topo.ncpus - 1) * sizeof(topo.cpus[0]));
		topo.cpus[0] = last;
	}
	return added;
}

bool topo_add_cpu(uint32_t apic_id, uint32_t acpi_uid, bool bsp)
{
	for (unsigned i = 0; i < topo.ncpus; i++) {
		if (topo.cpus[i].apic_id == apic_id) {
			topo.cpus_dropped++; /* a duplicate: firmware bug, keep the first */
			return false;
		}
	}
	if (apic_id > topo_apic_id_max()) {
		/* Starting it would send INIT to the wrong CPU, or to all of them. */
		if (topo.cpus_unreachable++ < 4)
			printk(KERN_WARN
			       "topology: %s lists a CPU with APIC id %u; this CPU has no "
			       "x2APIC and xAPIC names ids 0-254 (255 is broadcast): "
			       "left out\n",
			       topo.source ? topo.source : "firmware", apic_id);
		return false;
	}
	if (topo.ncpus == TOPO_MAX_CPUS) {
		topo.cpus_dropped++;
		return false;
	}
	topo.cpus[topo.ncpus++] = (struct topo_cpu){apic_id, acpi_uid, bsp};
	return true;
}

void topo_ensure_boot_cpu(uint32_t apic_id)
{
	for (unsigned i = 0; i < topo.ncpus; i++) {
		if (topo.cpus[i].apic_id == apic_id) {
			topo.cpus[i].bsp = true;
			return;
		}
	}
	printk(KERN_WARN "topology: %s does not list the boot CPU (APIC id %u) as enabled: "
			 "counted anyway\n",
	       topo.source ? topo.source : "firmware", apic_id);
	if (topo.ncpus == TOPO_MAX_CPUS)
		topo.ncpus--; /* the boot CPU runs this code: it beats the last listed */
	memmove(&topo.cpus[1], &topo.cpus[0], topo.ncpus * sizeof(topo.cpus[0]));
	topo.cpus[0] = (struct topo_cpu){apic_id, 0, true};
	topo.ncpus++;
}

/*
 * ISA IRQs are 0-15. The PIT's output on IRQ0 is edge-triggered, active
 * high on every PC: firmware saying level or active-low for it programs an
 * interrupt storm (Linux forces IRQ0's polarity for the same reason).
 */
void topo_add_override(unsigned isa_irq, uint32_t gsi, uint16_t flags)
{
	const char *src = topo.source ? topo.source : "firmware";

	if (isa_irq > 15) {
		printk(KERN_WARN "topology: %s override from IRQ %u (ISA IRQs are 0-15) -> GSI%u: "
				 "ignored\n",
		       src, isa_irq, gsi);
		return;
	}
	if (isa_irq == 0 && ((flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL ||
			     (flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)) {
		printk(KERN_WARN "topology: %s override IRQ0 -> GSI%u flags %#x (level or "
				 "active-low): the PIT is edge, active high: using that\n",
		       src, gsi, flags);
		flags = INTI_POLARITY_HIGH | INTI_TRIGGER_EDGE;
	}
	for (unsigned i = 0; i < topo.noverrides; i++) {
		if (topo.overrides[i].isa_irq == isa_irq) {
			printk(KERN_WARN "topology: %s overrides IRQ%u twice: keeping GSI%u\n", src,
			       isa_irq, topo.overrides[i].gsi);
			return;
		}
	}
	if (topo.noverrides < TOPO_MAX_OVERRIDES)
		topo.overrides[topo.noverrides++] =
			(struct topo_override){(uint8_t)isa_irq, gsi, flags};
}

static void topo_drop_override(unsigned i)
{
	memmove(&topo.overrides[i], &topo.overrides[i + 1],
		(topo.noverrides - i - 1) * sizeof(topo.overrides[0]));
	topo.noverrides--;
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

const char *topo_ioapic_dup_refusal(unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (topo.ioapics[j].addr == topo.ioapics[i].addr)
			return "the same registers as an IO-APIC listed before it";
	return NULL;
}

const char *topo_ioapic_gsi_refusal(unsigned i)
{
	const struct topo_ioapic *io = &topo.ioapics[i];

	if (io->gsi_base > 0xffffffffu - io->pins)
		return "its GSI range wraps around 2^32";
	for (unsigned j = 0; j < i; j++) {
		const struct topo_ioapic *o = &topo.ioapics[j];
		if (o->verified && io->gsi_base < o->gsi_base + o->pins &&
		    o->gsi_base < io->gsi_base + io->pins)
			return "its GSIs overlap those of an IO-APIC listed before it";
	}
	return NULL;
}

void topo_check_overrides(void)
{
	for (unsigned i = 0; i < topo.noverrides;) {
		const struct topo_override *o = &topo.overrides[i];
		unsigned pin;
		if (topo_gsi_to_ioapic(o->gsi, &pin) >= 0) {
			i++;
			continue;
		}
		printk(KERN_WARN "irq: %s override IRQ%u -> GSI%u: no IO-APIC serves GSI%u: "
				 "ignored (IRQ%u stays GSI%u)\n",
		       topo.source ? topo.source : "firmware", o->isa_irq, o->gsi, o->gsi,
		       o->isa_irq, o->isa_irq);
		topo_drop_override(i);
	}
}

/* Largest CPU count each xAPIC logical mode can name: flat has 8 bits;
 * cluster has 15 clusters of 4 (cluster 15 is the broadcast). */
static unsigned mode_max_cpus(enum apic_mode m)
{
	return m == APIC_MODE_XAPIC_FLAT ? 8 : m == APIC_MODE_XAPIC_CLUSTER ? 60 : ~0u;
}

static bool xapic_mode(enum apic_mode m)
{
	return m == APIC_MODE_XAPIC_FLAT || m == APIC_MODE_XAPIC_PHYS ||
	       m == APIC_MODE_XAPIC_CLUSTER;
}

enum apic_mode topo_choose_apic_mode(enum apic_mode_req req, enum apic_mode pref, bool fadt_phys,
				     bool x2, bool x2_on, const char **why)
{
	static const enum apic_mode from_req[] = {
		[APIC_REQ_XAPIC_FLAT] = APIC_MODE_XAPIC_FLAT,
		[APIC_REQ_XAPIC_PHYS] = APIC_MODE_XAPIC_PHYS,
		[APIC_REQ_XAPIC_CLUSTER] = APIC_MODE_XAPIC_CLUSTER,
		[APIC_REQ_X2APIC_PHYS] = APIC_MODE_X2APIC_PHYS,
		[APIC_REQ_X2APIC_CLUSTER] = APIC_MODE_X2APIC_CLUSTER,
	};
	unsigned n = topo.ncpus ? topo.ncpus : 1;
	uint32_t max_id = 0;

	for (unsigned i = 0; i < topo.ncpus; i++)
		if (topo.cpus[i].apic_id > max_id)
			max_id = topo.cpus[i].apic_id;
	*why = NULL;
	if (req >= APIC_REQ_XAPIC_FLAT && req <= APIC_REQ_X2APIC_CLUSTER) {
		enum apic_mode m = from_req[req];
		const char *no = NULL;

		if (!xapic_mode(m) && !x2 && !x2_on)
			no = "this CPU has no x2APIC";
		else if (n > mode_max_cpus(m))
			no = m == APIC_MODE_XAPIC_FLAT ? "flat mode names 8 CPUs"
						       : "cluster mode names 60 CPUs";
		else if (xapic_mode(m) && max_id > 0xfe)
			no = "an APIC id above 254 needs x2APIC";
		/* Going back to xAPIC needs the APIC disabled first (SDM 11.12.5). */
		else if (xapic_mode(m) && x2_on)
			no = "firmware left the APIC in x2APIC mode";
		if (!no)
			return m;
		printk(KERN_WARN "apic: apic=%s refused for %u CPUs (highest APIC id %u): %s\n",
		       cmdline_apic_name(req), n, max_id, no);
	}
	if (max_id > 0xfe) {
		/* topo_add_cpu kept such ids only because this CPU has x2APIC. */
		*why = fadt_phys ? "APIC ids above 254 need x2APIC; the FADT forces physical"
				 : "APIC ids above 254 need x2APIC; cluster mode by default";
		return fadt_phys ? APIC_MODE_X2APIC_PHYS : APIC_MODE_X2APIC_CLUSTER;
	}
	if (pref && n <= mode_max_cpus(pref) && !(xapic_mode(pref) && x2_on) &&
	    (xapic_mode(pref) || x2 || x2_on)) {
		*why = "the machine entry's platform mode";
		return pref;
	}
	if (pref)
		printk(KERN_WARN "apic: the machine entry's %s mode cannot name %u CPUs here: "
				 "not used\n",
		       pref == APIC_MODE_XAPIC_CLUSTER ? "cluster" : "platform", n);
	/* As Linux (x2apic_phys.c, x2apic_cluster.c): cluster mode, one ICR
	 * write reaching up to 16 CPUs of a cluster, unless the firmware says
	 * logical destinations do not work here. */
	if ((x2 || x2_on) && fadt_phys) {
		*why = "the CPU has x2APIC; the FADT forces physical destination mode (flag bit "
		       "19)";
		return APIC_MODE_X2APIC_PHYS;
	}
	if (x2 || x2_on) {
		*why = "the CPU has x2APIC; cluster mode by default (apic=x2apic-phys forces "
		       "physical)";
		return APIC_MODE_X2APIC_CLUSTER;
	}
	if (n <= 8) {
		*why = "default, logical flat names up to 8";
		return APIC_MODE_XAPIC_FLAT;
	}
	*why = "bigsmp, physical above 8";
	return APIC_MODE_XAPIC_PHYS;
}

/*
 * The MADT as topology: enabled CPUs (the boot CPU added back if firmware
 * left it out, where there is an APIC: boot_apic_id), IO-APICs, interrupt
 * overrides, local APIC NMI wiring. Pure over the parsed table, so the
 * machine entries (machines/pc.c) and the fuzzer (tests/fuzz/
 * fuzz_topology.c) run the same code. MADT MPS INTI flags use the MP
 * spec's encoding.
 */
bool topo_from_madt(const struct acpi_madt *m, bool has_apic, uint32_t boot_apic_id)
{
	const uint16_t inti = INTI_POLARITY_MASK | INTI_TRIGGER_MASK;

	topo.source = "madt";
	topo.lapic_addr = m->lapic_addr;
	topo.pic = m->flags & ACPI_MADT_PCAT_COMPAT;
	for (unsigned i = 0; i < m->ncpus; i++)
		if (m->cpus[i].flags & ACPI_CPU_ENABLED)
			topo_add_cpu(m->cpus[i].apic_id, m->cpus[i].uid, false);
	topo.cpus_dropped += m->cpus_dropped;
	if (has_apic)
		topo_ensure_boot_cpu(boot_apic_id);
	for (unsigned i = 0; i < m->nioapics && topo.nioapics < TOPO_MAX_IOAPICS; i++)
		topo.ioapics[topo.nioapics++] = (struct topo_ioapic){
			.id = m->ioapics[i].id,
			.addr = m->ioapics[i].address,
			.gsi_base = m->ioapics[i].gsi_base,
		};
	for (unsigned i = 0; i < m->noverrides; i++)
		topo_add_override(m->overrides[i].irq, m->overrides[i].gsi,
				  m->overrides[i].flags & inti);
	for (unsigned i = 0; i < m->nlapic_nmis && topo.nnmis < TOPO_MAX_NMIS; i++) {
		uint32_t uid = m->lapic_nmis[i].uid, apic = TOPO_ALL_CPUS;
		if (m->lapic_nmis[i].lint > 1) {
			printk(KERN_WARN "topology: MADT local APIC NMI on LINT%u (there are LINT0 "
					 "and LINT1): ignored\n",
			       m->lapic_nmis[i].lint);
			continue;
		}
		if (uid != ACPI_UID_ALL) {
			apic = ~0u - 1; /* a UID no enabled CPU has: matches nobody */
			for (unsigned c = 0; c < topo.ncpus; c++)
				if (topo.cpus[c].acpi_uid == uid)
					apic = topo.cpus[c].apic_id;
		}
		topo.nmis[topo.nnmis++] = (struct topo_nmi){apic, m->lapic_nmis[i].lint,
							    m->lapic_nmis[i].flags & inti};
	}
	return topo.ncpus > 0;
}
