// SPDX-License-Identifier: MIT
/*
 * xen-pv: a classic paravirtualized guest of Xen, x86_64, measured as dom0
 * of Xen 4.17 and 4.20 (docs/machines.md "xen-pv"). Chosen because the
 * kernel came in through the PV entry point (XEN_ELFNOTE_ENTRY): under PV
 * the CPU's own CPUID still shows the emulator's signature; only the
 * forced-emulation prefix reaches Xen's leaves.
 *
 * The kernel runs at CPL 3 on page tables Xen validates. There is no local
 * APIC, IO-APIC, PIC or PIT to drive: events replace interrupts (one
 * VIRQ_TIMER port per vCPU for the tick, one IPI port per vCPU), Xen's
 * pvclock is the clocksource and gives the TSC rate, vCPUs start by
 * VCPUOP_initialise/VCPUOP_up and NMIs by VCPUOP_send_nmi. The pvops carry
 * everything privileged (arch/x86/xen/pv.c, pv-ops.S).
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/pv.h>
#include <asm/platform.h>
#include <asm/trap.h>
#include <asm/irqchip.h>
#include <kernel/console.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <kernel/topology.h>
#include <pvops.h>

static void xen_pv_probe(struct probe_result *r)
{
	if (!xen_pv_booted) {
		r->refusal = "not entered through Xen's PV entry point (XEN_ELFNOTE_ENTRY)";
		return;
	}
	const uint8_t *si = xen_pv_start_info;
	uint32_t flags;
	memcpy(&flags, si + XEN_SI_FLAGS, sizeof(flags));
	uint32_t v = xen_version(NULL, 0);
	r->score = SCORE_HYPERVISOR + 5; /* above every CPUID-found entry */
	probe_note(r, "PV entry, start_info '%.14s' flags %#x%s%s, %llu pages, Xen %u.%u", si,
		   flags, flags & SIF_PRIVILEGED ? " privileged" : "",
		   flags & SIF_INITDOMAIN ? " initdomain" : "", (unsigned long long)xen_pv_nr_pages,
		   v >> 16, v & 0xffff);
}

/* vCPUs: VCPUOP_is_up answers for every vCPU the domain has (up or not)
 * and -ENOENT past the last. APIC ids are not a thing here: the "APIC id"
 * of a CPU in the topology is its vCPU id. */
static void xen_pv_setup(void)
{
	/* paging_init mapped the kernel's .bss again, shared_info's page with
	 * it (its own frame): map Xen's frame over it once more (the event
	 * bitmaps; each vCPU's vcpu_info is registered in its percpu area, or,
	 * where Xen refused that, is the slot here, whose mask stayed set). */
	if (xen_shared_info_map_pv(xen_pv_shared_info_maddr()) < 0)
		printk(KERN_ERR "xen-pv: shared_info cannot be mapped: no clock, no events\n");
	topo.source = "xen vcpus";
	for (unsigned v = 0; v < NR_CPUS; v++) {
		long rc = xen_hc_vcpu_op(VCPUOP_is_up, v, NULL);
		if (rc < 0)
			break;
		topo_add_cpu(v, v, v == 0);
	}
}

/*
 * The interrupt controller of a PV guest: event channels. IPIs are
 * EVTCHNOP_send on each vCPU's bound IPI port, NMIs VCPUOP_send_nmi; events
 * need no EOI. Device interrupts of a PV dom0 come as PIRQ event channels
 * bound through PHYSDEVOP; the ISA devices the tests use (PIT, 8259) are
 * Xen's, so there is no irq_source: the tests that need one skip.
 */
static void xen_pv_chip_init_cpu(unsigned cpu)
{
}

static uint32_t xen_pv_chip_dest(unsigned cpu, bool *logical)
{
	*logical = false;
	return percpu[cpu]->apic_id; /* the vCPU id */
}

static void xen_pv_chip_send_ipi(unsigned cpu, unsigned vector, uint32_t dm)
{
	if (dm == APIC_DM_NMI) {
		if (cpu < NR_CPUS && percpu[cpu])
			xen_hc_vcpu_op(VCPUOP_send_nmi, percpu[cpu]->apic_id, NULL);
	} else if (!xen_send_ipi(cpu, vector)) {
		printk(KERN_WARN "xen-pv: IPI %#x to CPU %u: no event channel\n", vector, cpu);
	}
}

static void xen_pv_chip_send_ipi_allbutself(unsigned vector, uint32_t dm)
{
	unsigned self = smp_processor_id();

	for (unsigned c = 0; c < NR_CPUS; c++)
		if (c != self && cpu_online(c))
			xen_pv_chip_send_ipi(c, vector, dm);
}

static void xen_pv_chip_eoi(unsigned vector)
{
}

static const struct irqchip xen_pv_irqchip = {
	.name = "xen-events",
	.mode = APIC_MODE_NONE,
	.init_cpu = xen_pv_chip_init_cpu,
	.dest = xen_pv_chip_dest,
	.send_ipi = xen_pv_chip_send_ipi,
	.send_ipi_allbutself = xen_pv_chip_send_ipi_allbutself,
	.eoi = xen_pv_chip_eoi,
};

static void xen_pv_irq_init(void)
{
	irqchip_set(&xen_pv_irqchip, &irq_source_none);
	if (xen_events_init() < 0)
		printk(KERN_ERR "xen-pv: no event upcall: no tick, no IPIs\n");
	if (xen_ipi_init_cpu() == 1)
		printk("xen: IPIs over event channels (EVTCHNOP_bind_ipi per vCPU)\n");
}

static void xen_pv_irq_init_cpu(void)
{
	xen_ipi_init_cpu();
}

static void xen_pv_nmi_init_cpu(void)
{
	/* The NMI callback is registered per vCPU at its entry. */
}

static int xen_pv_nmi_watchdog_start(unsigned hz)
{
	return -1; /* no performance-counter NMIs for a PV guest here */
}

static void xen_pv_clocksource_init(void)
{
	if (xen_shared_info)
		clocksource_register(&xen_pv_clocksource);
}

static uint64_t xen_pv_tsc_khz(const char **source)
{
	*source = "pvclock";
	return xen_tsc_khz();
}

static const struct machine_ops xen_pv_ops = {
	.setup = xen_pv_setup,
	.irq =
		{
			.init = xen_pv_irq_init,
			.init_cpu = xen_pv_irq_init_cpu,
			.nmi_init_cpu = xen_pv_nmi_init_cpu,
			.nmi_watchdog_start = xen_pv_nmi_watchdog_start,
		},
	.smp =
		{
			.start_cpus = xen_pv_start_cpus,
		},
	.time =
		{
			.tsc_khz = xen_pv_tsc_khz,
			.clocksource_init = xen_pv_clocksource_init,
			.timer_init_cpu = xen_timer_init_cpu,
			.wallclock = xen_wallclock,
		},
	.power =
		{
			.exit = xen_exit_dom0,
		},
};

static const struct machine xen_pv_machine = {
	.name = "xen-pv",
	.description = "Xen classic PV guest: deprivileged, pvops carry the CPU",
	.probe = xen_pv_probe,
	.ops = &xen_pv_ops,
	.pv = &xen_pv_pvops,
	.deprivileged = true,
};
MACHINE_REGISTER(xen_pv_machine, MACHINE_BAND_HYPERVISOR);
