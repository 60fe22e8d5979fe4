// SPDX-License-Identifier: MIT
/*
 * xen: a PVH guest of the Xen hypervisor; measured as dom0 of Xen 4.17
 * (docs/machines.md "xen"). Found by its CPUID signature; Xen's own
 * interfaces replace what Xen owns or does better than the emulated PC:
 * console_io and COM2 for the console (COM1 belongs to Xen), the memory
 * map from XENMEM_memory_map (dom0's start_info v0 has none), the pvclock
 * in shared_info as clocksource and TSC rate, a per-vCPU one-shot timer on
 * an event channel as the tick, IPIs over per-vCPU event channels. What
 * Xen emulates well stays native: the local APIC (x2APIC, NMIs, and IPIs to
 * a vCPU whose port is not bound yet), the IO-APIC, INIT-SIPI AP start-up.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/cpufeature.h>
#include <asm/paging.h>
#include <asm/platform.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/firmware.h>
#include <kernel/kernel.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <kernel/topology.h>

#define XEN_COM2 0x2f8

static bool have_shared_info;

static bool __init xen_early(struct boot_info *bi)
{
	/* A classic PV kernel has its hypercall page already, from its own
	 * entry: that is machines/xen-pv.c's case, not this one. */
	if (cpu_deprivileged || xen_hypercall_init() < 0)
		return false;
#ifndef CONFIG_X86_64
	/*
	 * The i386 dom0 uses 2-level paging, at the cost of NX. Measured cause
	 * (docs/machines.md "xen", limits), outside this kernel: QEMU's TCG
	 * page walker sets the accessed bit (bit 5) in PAE PDPT entries (a
	 * reserved bit there, SDM Vol 3A 4.4.1), and Xen's own software walk of
	 * the guest's tables (to emulate an intercepted instruction, here the
	 * CR0 accesses: QEMU's SVM has no decode assists; or to copy a
	 * hypercall's buffer) finds the bit, takes
	 * it as reserved and injects a #PF (error 0x19, 0x9 without NX). The
	 * first CR0 access after CR0.PG faults, on Xen 4.17 and 4.20 and under
	 * QEMU 7.2 and 10. The kernel cannot keep the bit clear: every TLB fill
	 * of QEMU's walker sets it again. 2-level tables have no such entry.
	 * xen_pae tries PAE anyway, for a walker that leaves PDPT entries
	 * alone (hardware should; not measured here), and panics with the
	 * evidence where it does not.
	 */
	if (cmdline.xen_pae)
		paging_pae_check = true; /* try PAE, check the PDPT after CR0.PG */
	else
		paging_no_pae = true;
#endif
	/* Under xen_pae, console_io would be the first to hang on a bad PDPT
	 * entry (Xen's copy of the buffer walks it): COM2 carries the log. */
	if (!paging_pae_check)
		xen_console_register();
	/* As dom0, COM1 is Xen's and our writes to it are dropped. */
	if (uart_init(XEN_COM2))
		uart_console_register(XEN_COM2);
	if (paging_no_pae)
		printk(KERN_WARN
		       "xen: i386 dom0: 2-level paging, no NX (PAE: Xen on QEMU TCG faults on PDPTE.A)\n");
	if (paging_pae_check)
		printk(KERN_WARN "xen: i386 dom0: xen_pae: PAE paging, checked after CR0.PG; "
				 "Xen's console not used\n");
	if (!bi->n_mmap) {
		if (xen_memory_map(bi) == 0)
			printk("xen: memory map from XENMEM_memory_map: %u regions\n", bi->n_mmap);
		else
			printk(KERN_ERR "xen: XENMEM_memory_map failed\n");
	}
	have_shared_info = xen_shared_info_map() == 0;
	if (!have_shared_info)
		printk(KERN_WARN "xen: shared_info could not be mapped: no Xen clock or timer\n");
	return true;
}

static void xen_probe(struct probe_result *r)
{
	uint32_t base = xen_cpuid_scan();
	char extra[16];

	if (!base) {
		r->refusal = "no Xen signature in CPUID 0x40000000-0x4000ff00";
		return;
	}
	if (!xen_hypercalls_ready) {
		r->refusal = "Xen signature found but the hypercall page was not set up";
		return;
	}
	uint32_t v = xen_version(extra, sizeof(extra));
	r->score = SCORE_HYPERVISOR;
	probe_note(r, "CPUID %#x = XenVMMXenVMM, Xen %u.%u%s (XENVER_version), hypercall page",
		   base, v >> 16, v & 0xffff, extra);
	if (have_shared_info)
		probe_note(r, ", shared_info");
	const struct acpi_info *a = fw_acpi();
	if (a && a->madt.present)
		probe_note(r, ", MADT %u CPU", a->madt.ncpus);
}

static void xen_setup(void)
{
	/* Xen 4.17's dom0 XSDT has a garbage signature but valid entries; its
	 * MADT lists x2APIC entries only (APIC id = 2 x vCPU id). */
	pc_topology_from_firmware();
}

static void xen_clocksource_init(void)
{
	native_clocksource_init();
	if (have_shared_info)
		clocksource_register(&xen_clocksource);
}

static uint64_t xen_tsc_khz_op(const char **source)
{
	uint64_t khz = have_shared_info ? xen_tsc_khz() : 0;

	if (!khz)
		return native_tsc_khz(source);
	*source = "xen";
	return khz;
}

static void xen_send_ipi_op(unsigned cpu, unsigned vector)
{
	if (!xen_send_ipi(cpu, vector))
		native_send_ipi(cpu, vector);
}

static void xen_send_ipi_all_op(unsigned vector)
{
	unsigned self = smp_processor_id();

	for (unsigned c = 0; c < NR_CPUS; c++)
		if (c != self && cpu_online(c))
			xen_send_ipi_op(c, vector);
}

/* Each CPU's IPI port, bound with the rest of its interrupt set-up. */
static void xen_irq_init(void)
{
	native_irq_init();
	if (have_shared_info && xen_ipi_init_cpu() == 1)
		printk("xen: IPIs over event channels (EVTCHNOP_bind_ipi per vCPU)\n");
}

static void xen_irq_init_cpu(void)
{
	native_irq_init_cpu();
	if (have_shared_info)
		xen_ipi_init_cpu();
}

static const char *xen_timer_init_cpu_op(unsigned hz)
{
	const char *name = have_shared_info ? xen_timer_init_cpu(hz) : NULL;

	/* No event channels: Xen's emulated LAPIC timer also works. */
	return name ? name : native_timer_init_cpu(hz);
}

static const struct machine_ops xen_ops = {
	.setup = xen_setup,
	.irq =
		{
			.init = xen_irq_init,
			.init_cpu = xen_irq_init_cpu,
		},
	.smp =
		{
			.send_ipi = xen_send_ipi_op,
			.send_ipi_all = xen_send_ipi_all_op,
		},
	.time =
		{
			.clocksource_init = xen_clocksource_init,
			.tsc_khz = xen_tsc_khz_op,
			.timer_init_cpu = xen_timer_init_cpu_op,
		},
	.power =
		{
			.exit = xen_exit_dom0,
		},
};

static const struct machine xen_machine = {
	.name = "xen",
	.description = "Xen PVH guest: hypercalls, event channels, Xen clock",
	.early = xen_early,
	.probe = xen_probe,
	.ops = &xen_ops,
};
MACHINE_REGISTER(xen_machine, MACHINE_BAND_HYPERVISOR);
