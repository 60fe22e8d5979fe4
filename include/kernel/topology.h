/* SPDX-License-Identifier: MIT */
/*
 * What a machine entry learned about the hardware during probe/setup, in
 * one form whatever the source (MADT, MP table, hypervisor, defaults): the
 * CPUs, the IO-APICs, how ISA IRQs map to GSIs, where NMIs come in.
 * Drivers and the generic SMP/IRQ code read it; only machines fill it.
 */
#ifndef KERNEL_TOPOLOGY_H
#define KERNEL_TOPOLOGY_H

#include <kernel/compiler.h>
#include <asm/apic.h>

#define TOPO_MAX_CPUS	   CONFIG_NR_CPUS
#define TOPO_MAX_IOAPICS   16
#define TOPO_MAX_OVERRIDES 32
#define TOPO_MAX_NMIS	   16

/* Interrupt polarity/trigger, as MADT and MP tables encode them (MPS 4.3.4). */
#define INTI_POLARITY_MASK    0x3
#define INTI_POLARITY_CONFORM 0x0
#define INTI_POLARITY_HIGH    0x1
#define INTI_POLARITY_LOW     0x3
#define INTI_TRIGGER_MASK     0xc
#define INTI_TRIGGER_CONFORM  0x0
#define INTI_TRIGGER_EDGE     0x4
#define INTI_TRIGGER_LEVEL    0xc

struct topo_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	bool bsp;
};

struct topo_ioapic {
	uint32_t id;
	uint64_t addr;
	uint32_t gsi_base;
	uint32_t pins; /* from the version register, once verified */
	bool verified; /* its version register answered */
};

struct topo_override {
	uint8_t isa_irq;
	uint32_t gsi;
	uint16_t flags; /* INTI_* */
};

struct topo_nmi {
	uint32_t apic_id; /* TOPO_ALL_CPUS for every CPU */
	uint8_t lint;	  /* 0 or 1 */
	uint16_t flags;
};
#define TOPO_ALL_CPUS 0xffffffffu

struct topology {
	const char *source;  /* "madt", "mptable", "defaults", "xen", ... */
	uint64_t lapic_addr; /* 0: no local APIC */
	struct topo_cpu cpus[TOPO_MAX_CPUS];
	unsigned ncpus;		   /* listed and usable */
	unsigned cpus_dropped;	   /* listed beyond NR_CPUS, or duplicates */
	unsigned cpus_unreachable; /* APIC ids this CPU's APIC cannot address */
	struct topo_ioapic ioapics[TOPO_MAX_IOAPICS];
	unsigned nioapics;
	struct topo_override overrides[TOPO_MAX_OVERRIDES];
	unsigned noverrides;
	struct topo_nmi nmis[TOPO_MAX_NMIS];
	unsigned nnmis;
	/* The local APIC must not be used, found by a machine's setup (VMI on
	 * isapc: no MADT to trust); false: use it if the CPU has one. */
	bool no_apic;
	bool pic;  /* dual 8259s present (MADT PCAT_COMPAT, MP IMCR, legacy) */
	bool imcr; /* MP "PIC mode": IMCR must be switched to APIC mode */

	/* Platform devices firmware described (0: not described). */
	uint64_t hpet_addr;
	uint64_t pmtimer_addr;
	bool pmtimer_mmio, pmtimer_32bit;
	unsigned rtc_century; /* CMOS index of the century byte */
	/* ACPI soft-off: SLP_TYP(S5) | SLP_EN into PM1a/PM1b control (I/O ports),
	 * or the hardware-reduced sleep control register. */
	bool s5;
	uint16_t pm1a_cnt, pm1b_cnt;
	uint8_t slp_typ_a, slp_typ_b;
	uint64_t sleep_control;
	bool sleep_control_mmio;
};

extern struct topology topo;

void topo_reset(void);
/* Add a CPU once (same apic_id again is ignored); false if full, or if its
 * APIC id is above topo_apic_id_max() (said once per CPU, first 4). */
bool topo_add_cpu(uint32_t apic_id, uint32_t acpi_uid, bool bsp);
/* Fault injection (smp_phantoms_first=N): N CPUs that are not there, APIC
 * ids TOPO_PHANTOM_FIRST_ID.., listed before every other CPU, as firmware
 * that marks absent CPUs enabled at the head of its MADT. Returns how many
 * were added. */
#define TOPO_PHANTOM_FIRST_ID 240 /* up to SMP_PHANTOMS_FIRST_MAX (kernel/cmdline.h) */
unsigned topo_add_phantoms_first(unsigned n);
uint32_t topo_apic_id_max(void);
/* Firmware that forgets the boot CPU (or lists it disabled) is wrong: it runs
 * this code. Adds it first, with a message, when missing. */
void topo_ensure_boot_cpu(uint32_t apic_id);
struct acpi_madt;
/* The parsed MADT into topo (kernel/topology.c); false if it lists no CPU. */
bool topo_from_madt(const struct acpi_madt *m, bool has_apic, uint32_t boot_apic_id);
/* Add an ISA override after checking it: a source IRQ above 15 is ignored,
 * a level or active-low IRQ0 made edge/high, a second one for an IRQ ignored;
 * each with a message naming topo.source. */
void topo_add_override(unsigned isa_irq, uint32_t gsi, uint16_t flags);
/* IO-APIC i against those listed before it: the same registers, or (pins
 * known) a GSI range that wraps or overlaps a verified one; NULL if fine. */
const char *topo_ioapic_dup_refusal(unsigned i);
const char *topo_ioapic_gsi_refusal(unsigned i);
/* With the IO-APICs verified: drop (with a message) each override to a GSI
 * none of them serves; the IRQ keeps its identity GSI. */
void topo_check_overrides(void);
/*
 * The APIC addressing mode for this topology: the request (apic=) when it
 * can name every listed CPU on this CPU (x2 capable, x2_on: firmware left
 * x2APIC on), else refused with a message and chosen: x2APIC physical when
 * an id needs it, the machine entry's platform mode (pref, APIC_MODE_NONE
 * for none) when it can name them all; where the CPU has x2APIC, cluster
 * mode unless the FADT forces physical destinations (fadt_phys); flat up
 * to 8, physical above. *why says why when chosen, NULL when the request
 * was honoured.
 */
enum apic_mode_req;
enum apic_mode topo_choose_apic_mode(enum apic_mode_req req, enum apic_mode pref, bool fadt_phys,
				     bool x2, bool x2_on, const char **why);
/* ISA IRQ -> GSI and flags, applying overrides (identity, edge/high otherwise). */
uint32_t topo_isa_to_gsi(unsigned irq, uint16_t *flags);
/* The IO-APIC (index) and pin serving a GSI; -1 if none does. */
int topo_gsi_to_ioapic(uint32_t gsi, unsigned *pin);

#endif
