/* SPDX-License-Identifier: MIT */
/*
 * The native ops (machines/native.c) that machine entries inherit or call
 * from their own versions, and what the PC entries share (machines/pc.c).
 */
#ifndef MACHINE_NATIVE_H
#define MACHINE_NATIVE_H

#include <kernel/machine.h>
#include <firmware/acpi.h>
#include <firmware/mptable.h>

/* machines/native.c */
void native_irq_init(void);
void native_irq_init_cpu(void);
void native_send_ipi(unsigned cpu, unsigned vector);
void native_send_ipi_all(unsigned vector);
#ifdef CONFIG_SMP
int native_start_cpus(struct percpu **cpus, unsigned n);
/* What native_start_cpus's STARTUP window did (conformance.startup_window):
 * size 0 = no window (not under QEMU's TCG, or no AP started). */
struct startup_window {
	unsigned size, waits;
	unsigned max_in_flight; /* each AP with those before it not yet in, as it
				 * was sent, while the window held */
	bool dropped;		/* no AP checked in for a while: the rest went at once */
	unsigned sipis;		/* STARTUP IPIs sent, both rounds */
	bool clustered;		/* after the first AP, STARTUPs by x2APIC cluster */
	unsigned cluster_sent;	/* APs named in those (cpus[1] on, in order) */
	unsigned cluster_late;	/* of them, not checked in by the second round */
};
extern struct startup_window startup_window;
#else
static inline int native_start_cpus(struct percpu **cpus, unsigned n)
{
	return -1; /* CONFIG_SMP=n: no AP is started */
}
#endif
uint64_t native_tsc_khz(const char **source);
void native_clocksource_init(void);
const char *native_timer_init_cpu(unsigned hz);
int64_t native_wallclock(void);

/* machines/pc.c: firmware -> topology, and the 8259 PIC interrupt model */
bool pc_topology_from_madt(const struct acpi_info *a);
bool pc_topology_from_mptable(const struct mp_info *m);
/* MADT, else MP table; then ACPI's devices: what most entries' setup does. */
void pc_topology_from_firmware(void);
void pc_devices_from_acpi(const struct acpi_info *a);
/* The HPET the ACPI table describes, checked (memory map, then a register
 * read); 0 with *why set when it is unusable, 0 with *why NULL when absent. */
uint64_t pc_acpi_hpet(const struct acpi_info *a, const char **why);
/* Device IRQs through the IO-APICs (native.c) or the 8259 (pc.c). */
struct irq_source;
extern const struct irq_source irq_source_ioapic, irq_source_pic;
/* The PIT's IRQ 0 as the boot CPU's tick: where no local APIC timer is. */
const char *pc_pit_timer_init_cpu(unsigned hz);
bool pc_pci_host_bridge(uint16_t *vendor, uint16_t *device);
void pc_note_bios(struct probe_result *r);

#endif
