/* SPDX-License-Identifier: MIT */
/*
 * Interrupt-controller drivers (docs/adding.md).
 *
 * Two choices, each made once on the boot CPU (irqchip_set) and read-only
 * afterwards (the pointers live in __ro_after_init, write-protected with
 * .rodata once bring-up is done):
 *
 *   irqchip     how CPUs are named and reached: EOI, IPIs, NMIs, the
 *               destination of a routed IRQ. One const driver per APIC
 *               addressing mode (arch/x86/kernel/apic.c), the 8259 alone
 *               (arch/x86/kernel/pic.c), or a machine's own (Xen PV's event
 *               channels, machines/xen-pv.c).
 *   irq_source  where device (ISA) IRQs come in: the IO-APICs
 *               (machines/native.c), the 8259 (machines/pc.c; with an APIC
 *               chip this is "virtual wire"), or nowhere.
 *
 * A machine entry that needs one chip whatever the CPU says names it in
 * struct machine's `irqchip` (pc-legacy: the 8259; Summit, ES7000:
 * xapic-cluster).
 */
#ifndef ASM_IRQCHIP_H
#define ASM_IRQCHIP_H

#include <asm/apic.h>
#include <asm/trap.h>

struct irqchip {
	const char *name;    /* BOOT-REPORT "apic" */
	enum apic_mode mode; /* APIC_MODE_NONE: no local APIC in use */
	/* This CPU's logical destination (DFR/LDR), its local APIC enabled. */
	void (*init_cpu)(unsigned cpu);
	/* How an ICR or IO-APIC entry names cpu; *logical: destination mode bit. */
	uint32_t (*dest)(unsigned cpu, bool *logical);
	/* dm: APIC_DM_FIXED or APIC_DM_NMI. */
	void (*send_ipi)(unsigned cpu, unsigned vector, uint32_t dm);
	void (*send_ipi_allbutself)(unsigned vector, uint32_t dm);
	/* End of interrupt for a vector the irq_source did not claim. */
	void (*eoi)(unsigned vector);
};

struct irq_source {
	const char *name;
	/* Route ISA IRQ irq to vector on cpu; the vector used, or -1. */
	int (*route)(unsigned irq, unsigned vector, unsigned cpu);
	void (*mask)(unsigned irq, bool masked);
	/* The EOI of a vector this source delivered: true if it was one of its
	 * own (then the chip's EOI is not sent). */
	bool (*eoi)(unsigned vector);
};

extern const struct irqchip *irqchip;
extern const struct irq_source *irq_source;

/* An NMI IPI to cpu, in whatever way the chosen chip names it. */
static inline void irqchip_send_nmi(unsigned cpu)
{
	irqchip->send_ipi(cpu, VEC_NMI, APIC_DM_NMI);
}

/* arch/x86/kernel/apic.c: one driver per addressing mode */
extern const struct irqchip irqchip_xapic_flat, irqchip_xapic_phys, irqchip_xapic_cluster,
	irqchip_x2apic_phys, irqchip_x2apic_cluster;
const struct irqchip *irqchip_for_mode(enum apic_mode m);
/* Once, on the boot CPU, from the machine's irq.init; a second call is refused. */
void irqchip_set(const struct irqchip *chip, const struct irq_source *src);
extern const struct irq_source irq_source_none;

/* arch/x86/kernel/pic.c: the 8259 alone, no local APIC */
extern const struct irqchip irqchip_pic;

#endif
