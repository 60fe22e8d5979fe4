/* SPDX-License-Identifier: MIT */
/*
 * The machine table (docs/machines.md).
 *
 * Each entry is a const struct machine in its own file under machines/,
 * registered with MACHINE_REGISTER() into the .machines.<band> linker
 * sections. The linker sorts the sections by name, so the table is walked
 * band by band (bands below), and within a band in link order (the order of
 * obj-y in machines/Build.mk).
 *
 * At boot every probe runs. The highest score wins; a tie goes to the entry
 * walked first. machine=NAME forces an entry unless its probe refuses.
 * The winner's ops are copied into `mach`, every member it leaves NULL
 * taken from native_machine_ops, so callers never test for NULL. `mach` is
 * __ro_after_init: written once by machine_select, write-protected with
 * .rodata when bring-up is done.
 */
#ifndef KERNEL_MACHINE_H
#define KERNEL_MACHINE_H

#include <kernel/compiler.h>
#include <firmware/bootinfo.h>

struct percpu;
struct json;
struct pv_ops_override;

/* Scores: hypervisor entries outrank anything found on bare hardware. */
#define SCORE_FALLBACK	 1  /* runs anywhere (pc-legacy) */
#define SCORE_FIRMWARE	 10 /* found its firmware tables */
#define SCORE_PLATFORM	 20 /* firmware identifies this exact platform */
#define SCORE_HYPERVISOR 50 /* a hypervisor signature */
#define SCORE_HV_ROM	 60 /* a hypervisor ROM (VMI) binds over the hypervisor */

#define PROBE_EVIDENCE_LEN 160

struct probe_result {
	int score;			   /* 0 = not this machine */
	char evidence[PROBE_EVIDENCE_LEN]; /* what was seen, for the log */
	const char *refusal;		   /* score 0: why not (shown when forced) */
};

/* What `hypervisor` in BOOT-REPORT says; set by cpu probing, not by machines. */
const char *hypervisor_name(void);

/*
 * What differs per machine, grouped. Every member is a function pointer
 * (kernel/machine.c fills NULL ones from native_machine_ops member by
 * member). The interrupt controller itself is not here: it is a driver
 * (struct irqchip, include/asm/irqchip.h) chosen once by irq.init.
 */
struct machine_irq_ops {
	/* Boot CPU: choose the irqchip and irq_source (irqchip_set), set up
	 * the local APIC, IO-APICs or 8259. */
	void (*init)(void);
	void (*init_cpu)(void); /* every other CPU, after init on the BSP */
	/* End of interrupt for a vector the irq_source did not end itself
	 * (native: the irqchip's; KVM: PV EOI). */
	void (*eoi)(unsigned vector);
	void (*nmi_init_cpu)(void); /* LINT1/firmware NMI wiring */
	/* Start a periodic NMI on every CPU (watchdog); -1 if the machine can't. */
	int (*nmi_watchdog_start)(unsigned hz);
};

struct machine_smp_ops {
	/* Start APs cpus[0..n-1] (percpu set up, stacks given); the caller
	 * waits for them to come online with a bounded wait. */
	int (*start_cpus)(struct percpu **cpus, unsigned n);
	/* Fixed IPIs (native: the irqchip's; Xen: event channels). */
	void (*send_ipi)(unsigned cpu, unsigned vector);
	void (*send_ipi_all)(unsigned vector); /* every online CPU but self */
};

struct machine_time_ops {
	/* TSC frequency in kHz and how it was learned; 0 if unknown. */
	uint64_t (*tsc_khz)(const char **source);
	/* Register this machine's clocksources (kernel/time.c picks one). */
	void (*clocksource_init)(void);
	/* Start this CPU's tick at hz; returns the clockevent's name. hz 0
	 * stops it (an idle AP, kernel/smp.c): the name, or NULL where this
	 * timer cannot be stopped and keeps ticking. */
	const char *(*timer_init_cpu)(unsigned hz);
	int64_t (*wallclock)(void); /* seconds since 1970, -1 unknown */
};

struct machine_power_ops {
	/* The end: tell the emulator the status and stop. */
	void (*exit)(int status);
};

struct machine_ops {
	/* After paging: read firmware into `topo`, map and verify devices. */
	void (*setup)(void);
	struct machine_irq_ops irq;
	struct machine_smp_ops smp;
	struct machine_time_ops time;
	struct machine_power_ops power;
};

struct irqchip;

struct machine {
	const char *name;
	const char *description;
	/*
	 * Optional, for hypervisor entries: runs on every entry before memory
	 * and paging are set up (no allocator, paging off on i386, the boot page
	 * tables on x86_64). It checks cheaply (CPUID) whether its hypervisor is
	 * there and, if so, may set up what the boot needs from it: a hypercall
	 * page in its own .bss, a console, bi's memory map when the loader gave
	 * none (Xen's PVH dom0). Returns true if it found its hypervisor.
	 */
	bool (*early)(struct boot_info *bi);
	/*
	 * Pure: reads CPUID, firmware tables and device registers to score the
	 * entry, and changes nothing (no mapping, no allocation, no firmware or
	 * ROM code called): every entry's probe runs, whichever wins.
	 */
	void (*probe)(struct probe_result *r);
	/*
	 * Optional: the work probe must not do, run only for the entry chosen
	 * (the winner, or the one machine=NAME forced), before its pvops are
	 * bound: mapping and calling a ROM (VMI). Returns false, with r->refusal
	 * set, to refuse after all; the entry then scores 0 and the choice is
	 * made again among the others.
	 */
	bool (*claim)(struct probe_result *r);
	const struct machine_ops *ops;
	/* pvops this machine replaces (include/pvops.h); NULL: all native. */
	const struct pv_ops_override *pv;
	/* The interrupt controller this platform needs whatever the CPU
	 * offers (pc-legacy: irqchip_pic; Summit, ES7000: the xapic-cluster
	 * driver); NULL: chosen from the CPU and the topology. apic= on the
	 * command line still overrides it. */
	const struct irqchip *irqchip;
	/* Runs with the kernel deprivileged (cpu_deprivileged: a Xen PV guest).
	 * When the kernel is, every other entry is refused. */
	bool deprivileged;
};

#define MACHINE_BAND_HYPERVISOR "1" /* walked first */
#define MACHINE_BAND_PLATFORM	"2"
#define MACHINE_BAND_GENERIC	"3"

#define MACHINE_REGISTER(var, band)                                                                \
	static const struct machine *const machine_ptr_##var __used __section(".machines." band)   \
		__aligned(sizeof(void *)) = &var

extern struct machine_ops mach; /* the chosen entry's ops, defaults filled; __ro_after_init */
extern const struct machine *machine_current;
extern const struct machine_ops native_machine_ops;

/* kernel/machine.c */
void machine_early(struct boot_info *bi);
void machine_select(const char *forced);
void machine_probe_json(struct json *j);
void machine_exit(int status);

#endif
