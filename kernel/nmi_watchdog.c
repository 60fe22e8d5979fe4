// SPDX-License-Identifier: MIT
/*
 * The NMI watchdog (nmi_watchdog=1). The machine delivers a periodic NMI
 * (mach.nmi_watchdog_start: natively the PIT through the IO-APIC as an NMI to
 * CPU 0, which passes it on to every other CPU by NMI IPI). On each NMI a
 * CPU checks that its own timer tick advanced; one that has not ticked for
 * NMI_STUCK_MS is stuck with interrupts off: report it, where it is, and end
 * the run as a panic instead of hanging. An idle AP has no tick (nohz,
 * kernel/smp.c): while its tick is stopped, an NMI that finds interrupts on
 * (it was halted in its idle loop) counts as progress, one that finds them
 * off does not.
 */
#include <kernel/nmi_watchdog.h>
#include <kernel/machine.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <asm/cpu.h>
#include <asm/irqchip.h>
#include <asm/trap.h>

#define NMI_STUCK_MS 1000
#define STUCK_NMIS   (NMI_STUCK_MS * NMI_WATCHDOG_HZ / 1000)

bool nmi_watchdog_fanout;
static bool running;
static uint64_t last_ticks[NR_CPUS];
static unsigned stuck[NR_CPUS];

bool nmi_watchdog_running(void)
{
	return running;
}

static bool watchdog_nmi(struct trap_frame *f)
{
	unsigned cpu = smp_processor_id();

	if (!running)
		return false;
	if (cpu == 0 && nmi_watchdog_fanout)
		for (unsigned c = 1; c < NR_CPUS; c++)
			if (cpu_online(c))
				irqchip_send_nmi(c);
	uint64_t t = timer_ticks(cpu);
	if (t != last_ticks[cpu] || (smp_tick_stopped(cpu) && (f->flags & X86_EFLAGS_IF))) {
		last_ticks[cpu] = t;
		stuck[cpu] = 0;
		return true;
	}
	if (++stuck[cpu] < STUCK_NMIS)
		return true;
	uintptr_t off, size;
	const char *sym = ksym_lookup(f->ip, &off, &size);
	running = false;
	printk(KERN_ERR "NMI watchdog: CPU %u stuck; where it was:\n", cpu);
	backtrace(f->ip, f->bp);
	panic("NMI watchdog: CPU %u stuck with interrupts off for %u ms at %s+%#lx (ip %#lx)", cpu,
	      NMI_STUCK_MS, sym ? sym : "?", (unsigned long)off, (unsigned long)f->ip);
}

void nmi_watchdog_init(void)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		last_ticks[c] = percpu[c] ? timer_ticks(c) : 0;
	nmi_register(watchdog_nmi);
	running = true;
	if (mach.irq.nmi_watchdog_start(NMI_WATCHDOG_HZ) < 0) {
		running = false;
		printk(KERN_WARN "NMI watchdog: %s has no periodic NMI source here: off\n",
		       machine_current ? machine_current->name : "this machine");
		return;
	}
	printk("NMI watchdog: on, %u Hz, a CPU without a tick for %u ms is reported\n",
	       NMI_WATCHDOG_HZ, NMI_STUCK_MS);
}
