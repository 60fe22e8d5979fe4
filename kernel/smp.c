// SPDX-License-Identifier: MIT
/*
 * SMP bring-up and cross-CPU calls. The machine starts the APs (INIT-SIPI-
 * SIPI, or a hypercall); this file prepares their per-CPU data and stacks,
 * waits a bounded time for each to check in, and reports the ones that did
 * not: a CPU that never answers costs a timeout, never a hang. The registers
 * an AP starts with are the arch's (arch/x86/kernel/smpboot.c).
 */
#include <kernel/smp.h>
#include <kernel/machine.h>
#include <kernel/percpu.h>
#include <kernel/topology.h>
#include <kernel/kernel.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/time.h>
#include <kernel/spinlock.h>
#include <asm/irqchip.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/irqflags.h>
#include <asm/paging.h>
#include <asm/trap.h>
#include <asm/tsc.h>
#include <asm/platform.h>
#include <string.h>

#define AP_STACK_PAGES 4

#ifdef CONFIG_SMP
unsigned nr_cpus_online = 1;
#endif
unsigned smp_cpus_left_out;
unsigned nr_cpus_listed = 1;
uint64_t smp_boot_ns;

#ifdef CONFIG_SMP
struct ap_boot ap_boot_table[NR_CPUS];
#endif

/* --- cross-CPU calls --- */

struct call_slot {
	spinlock_t lock;
	void (*volatile fn)(void *);
	void *volatile arg;
	volatile uint32_t done;
	uint32_t caller; /* the CPU holding lock, + 1 (smp_call_others waits on these) */
};
static struct call_slot call_slots[NR_CPUS];

static void call_ipi(struct trap_frame *f, void *data)
{
	struct call_slot *s = &call_slots[smp_processor_id()];
	void (*fn)(void *) = s->fn;

	if (fn) {
		s->fn = NULL;
		fn(s->arg);
		__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	}
}

/* Take cpu's slot and send it fn(arg); call_wait answers for it. */
static void call_send(unsigned cpu, void (*fn)(void *), void *arg)
{
	struct call_slot *s = &call_slots[cpu];

	spin_lock(&s->lock);
	s->caller = smp_processor_id() + 1;
	s->done = 0;
	s->arg = arg;
	__atomic_store_n(&s->fn, fn, __ATOMIC_RELEASE);
	mach.smp.send_ipi(cpu, VEC_CALL_FUNC);
}

/* Wait until cpu has run the call or limit ns have passed since start, then
 * give its slot back: 0, or -1 if it did not answer (the call is withdrawn). */
static int call_wait(unsigned cpu, uint64_t start, uint64_t limit)
{
	struct call_slot *s = &call_slots[cpu];
	unsigned spins = 0;
	int ret = 0;

	while (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) {
		if (clock_ns() - start > limit) {
			s->fn = NULL;
			ret = -1;
			break;
		}
		wait_step(&spins);
	}
	s->caller = 0;
	spin_unlock(&s->lock);
	return ret;
}

int smp_call(unsigned cpu, void (*fn)(void *), void *arg, unsigned timeout_ms)
{
	if (!cpu_online(cpu))
		return -1;
	if (cpu == smp_processor_id()) {
		unsigned long f = local_irq_save();
		fn(arg);
		local_irq_restore(f);
		return 0;
	}
	call_send(cpu, fn, arg);
	return call_wait(cpu, clock_ns(), (uint64_t)timeout_ms * 1000000);
}

unsigned smp_call_others(void (*fn)(void *), void *arg, unsigned timeout_ms)
{
	unsigned self = smp_processor_id(), late = 0;

	/* Every call sent before the first wait: the others run fn at once.
	 * Slots are taken in CPU order, so two callers' slot locks never form
	 * a cycle; a target that waits with interrupts off meanwhile (for a
	 * slot this caller holds, or in a call of its own) costs a timeout,
	 * never a hang. */
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (c != self && cpu_online(c))
			call_send(c, fn, arg);
	uint64_t start = clock_ns(), limit = (uint64_t)timeout_ms * 1000000;
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (c != self && call_slots[c].caller == self + 1)
			late += call_wait(c, start, limit) < 0;
	return late;
}

static void wake(struct trap_frame *f, void *data)
{
	/* Nothing to do: the interrupt ends the AP's hlt; its idle loop looks
	 * for work. */
}

int smp_run_async(unsigned cpu, void (*fn)(void *), void *arg)
{
	struct percpu *p = cpu < NR_CPUS ? percpu[cpu] : NULL;

	if (!cpu || !p || !p->online)
		return -1;
	p->work_arg = arg;
	p->work_done = false;
	__atomic_store_n(&p->work, fn, __ATOMIC_RELEASE);
	mach.smp.send_ipi(cpu, VEC_RESCHED);
	return 0;
}

int smp_wait_async(unsigned cpu, unsigned timeout_ms)
{
	uint64_t start = clock_ns();
	unsigned spins = 0;

	while (!__atomic_load_n(&percpu[cpu]->work_done, __ATOMIC_ACQUIRE)) {
		if (clock_ns() - start > (uint64_t)timeout_ms * 1000000)
			return -1;
		wait_step(&spins);
	}
	return 0;
}

/*
 * nohz: an AP that has nothing to do halts with its tick stopped, and starts
 * it again when it is given work (smp_run_async). Linux's NO_HZ_IDLE does the
 * same for the same reason: a tick wakes the CPU only to find nothing to do.
 * On hardware that is power; on an emulator whose vCPUs are host threads it
 * is the host's time: 1024 idle APs at 100 Hz are 102400 wake-ups a second
 * on a 2-core host, and bringing up the last APs competed with the ticks of
 * the first (QEMU 10, plain TCG, -smp 1024: APs up in 3.1 s with the tick,
 * 1.4 s without, in one run; docs/benchmarks.md). CPU 0 always ticks: it
 * keeps the clock and the NMI watchdog's fan-out. nohz=off keeps every AP
 * ticking, as before.
 */
static bool nohz;

#ifdef CONFIG_SMP
/* Interrupts off. Start or stop this AP's tick; a timer that cannot stop
 * (the op returns NULL for 0) keeps ticking, and nohz is off from then on. */
static void ap_tick(struct percpu *p, bool on)
{
	if (on == !p->tick_stopped)
		return;
	if (on) {
		mach.time.timer_init_cpu(TICK_HZ);
		p->tick_stopped = false;
	} else if (mach.time.timer_init_cpu(0)) {
		p->tick_stopped = true;
	} else {
		nohz = false;
	}
}
#endif

/* Whether cpu's tick is as smp_tick_keep(on) asked. */
static bool tick_as_asked(unsigned cpu, bool on)
{
	return READ_ONCE(percpu[cpu]->tick_stopped) == (nohz && !on);
}

unsigned smp_tick_keep(unsigned cpu, bool on)
{
	unsigned first = cpu == SMP_ALL_APS ? 1 : cpu, end = cpu == SMP_ALL_APS ? NR_CPUS : cpu + 1;
	unsigned spins = 0, left;
	uint64_t t0 = clock_ns();

	if (!cpu)
		return 0; /* CPU 0 always ticks */
	for (unsigned c = first; c < end; c++)
		if (cpu_online(c))
			WRITE_ONCE(percpu[c]->tick_keep, on);
	/* One wake-up each (a broadcast for all): the idle loop looks again. */
	if (cpu == SMP_ALL_APS)
		mach.smp.send_ipi_all(VEC_RESCHED);
	else if (cpu_online(cpu))
		mach.smp.send_ipi(cpu, VEC_RESCHED);
	do {
		left = 0;
		for (unsigned c = first; c < end; c++)
			left += cpu_online(c) && !tick_as_asked(c, on);
		if (!left || clock_ns() - t0 > 1000000000ull)
			break;
		wait_step(&spins);
	} while (1);
	return left;
}

bool smp_nohz(void)
{
	return nohz;
}

bool smp_tick_stopped(unsigned cpu)
{
	return cpu < NR_CPUS && percpu[cpu] && READ_ONCE(percpu[cpu]->tick_stopped);
}

/* --- panic: park everyone else with an NMI (works with interrupts off) --- */

static bool panic_nmi(struct trap_frame *f)
{
	if (!panic_in_progress())
		return false;
	halt_forever();
}

static void stop_others(void)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		if (cpu_online(c) && c != smp_processor_id())
			irqchip_send_nmi(c);
}

/* --- bring-up --- */

#ifdef CONFIG_SMP
/* ap_boot.state: the AP moves it WAITING -> ONLINE, the BSP WAITING -> ABANDONED
 * when it gives up: exactly one of them wins. */
#define AP_WAITING   0
#define AP_ONLINE    1
#define AP_ABANDONED 2

/*
 * The boot CPU waits for check-ins halted, and an AP's IPI ends the halt. An
 * AP sends it only when the count it makes is one the boot CPU waits for and
 * the boot CPU is armed (smp_wait_step_until), and only one AP per arming: under
 * QEMU 8.1 and later every IPI with a destination scans all the vCPUs' APICs
 * (docs/benchmarks.md, "What an IPI costs QEMU"), so the check-ins of APs
 * nobody waited for were, at 1024 CPUs, a quadratic cost. The arming and the
 * counting are sequentially consistent both ways (Dekker): the boot CPU
 * stores wake_armed and then looks at nr_cpus_online; an AP adds itself to
 * nr_cpus_online and then looks at wake_armed. One of the two sees the
 * other, so a check-in is never missed by a boot CPU about to halt.
 */
static unsigned wake_at;
static int wake_armed;
struct smp_wakeups smp_wakeups;

static void smp_wait_arm(unsigned online)
{
	/* Still armed for this count (no AP took it): nothing to do. */
	if (__atomic_load_n(&wake_armed, __ATOMIC_SEQ_CST) &&
	    __atomic_load_n(&wake_at, __ATOMIC_SEQ_CST) == online)
		return;
	smp_wakeups.arms++;
	__atomic_store_n(&wake_at, online, __ATOMIC_SEQ_CST);
	__atomic_store_n(&wake_armed, 1, __ATOMIC_SEQ_CST);
}

bool smp_wait_step_until(unsigned *spins, unsigned online, bool (*done)(void))
{
	smp_wait_arm(online);
	return wait_step_until(spins, done);
}

void smp_wait_disarm(void)
{
	__atomic_store_n(&wake_armed, 0, __ATOMIC_SEQ_CST);
}

void ap_main(struct percpu *p)
{
	percpu_load(p);
	cpu_protect_init();
	struct ap_boot *b = &ap_boot_table[p->cpu - 1];
	mach.irq.init_cpu();
	mach.irq.nmi_init_cpu();
	uint32_t expect = AP_WAITING;
	if (!__atomic_compare_exchange_n(&b->state, &expect, AP_ONLINE, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		halt_forever(); /* too late: the BSP left us out */
	__atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
	unsigned online = __atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
	/* The BSP waits halted: wake it to count us now, not at its next tick
	 * (under -icount that was one 10 ms tick per AP), if it waits for us. */
	if (online >= __atomic_load_n(&wake_at, __ATOMIC_SEQ_CST) &&
	    __atomic_exchange_n(&wake_armed, 0, __ATOMIC_SEQ_CST)) {
		__atomic_fetch_add(&smp_wakeups.ipis, 1, __ATOMIC_RELAXED);
		mach.smp.send_ipi(0, VEC_RESCHED);
	}
	/* Idle by halting: a spinning AP would steal time from the others
	 * under emulation. With nohz the tick starts with the first work; the
	 * BSP calibrated the timer before starting us. */
	p->tick_stopped = true;
	for (;;) {
		/* Look for work with interrupts off and halt with sti; hlt: an
		 * IPI between the look and the hlt would otherwise be taken
		 * before the hlt, which then sleeps on the work it announced
		 * (with a tick, that cost up to one tick; without, forever). */
		local_irq_disable();
		void (*fn)(void *) = p->work;
		if (!fn) {
			ap_tick(p, !nohz || p->tick_keep);
			safe_halt();
			continue;
		}
		p->work = NULL;
		ap_tick(p, true);
		local_irq_enable();
		fn(p->work_arg);
		__atomic_store_n(&p->work_done, true, __ATOMIC_RELEASE);
	}
}

/*
 * While the APs start, CPU 0's tick runs fast where it is the local APIC
 * timer: one tick per BRINGUP_TICK_TSC TSC cycles (20 us at 1 GHz, 2 ms on
 * Bochs' 10 MHz), at most 100 kHz. QEMU's single-threaded TCG under -icount
 * acts on another vCPU's INIT and STARTUP only at a virtual-timer deadline:
 * with the 100 Hz tick the APs came up 10-20 ms after STARTUP, and with 64
 * CPUs about one per tick (430 ms); with this tick all 63 are up in under
 * 1.5 ms, about two ticks per AP. It stops after BRINGUP_TICKS_PER_AP ticks
 * per AP (plus a few) or BRINGUP_FAST_NS, whichever comes first: where vCPUs
 * are host threads (plain TCG) or real CPUs, waking the halted boot CPU every
 * 10 us only takes time from the APs, and each AP wakes it anyway. Plain TCG
 * on a loaded 2-core host: q35 -smp 4, APs up in a median 15.8 ms with an
 * unbounded fast tick, 2.4 ms without (10 boots each); -smp 255, 10.9 s with
 * the tick bounded only by count (the starved boot CPU took one tick per turn
 * and came round to the count check once per tick), 139 ms without.
 */
#define BRINGUP_TICK_TSC     20000
#define BRINGUP_TICK_MAX     100000
#define BRINGUP_TICKS_PER_AP 8
#define BRINGUP_FAST_NS	     2000000ull

static unsigned all_online_target;

/* CPU 0's fast bring-up tick: on, started at t0, stops after `ticks` ticks
 * counted from tick0 or BRINGUP_FAST_NS (smp_bringup_tick_check). */
static struct {
	bool on;
	uint64_t t0, tick0, ticks;
} fast;

static bool all_online(void)
{
	return READ_ONCE(nr_cpus_online) >= all_online_target;
}

static bool __init bringup_tick(bool on)
{
	const char *ce = facts.clockevent;
	uint64_t hz = tsc_khz * 1000 / BRINGUP_TICK_TSC;

	if (!ce || strncmp(ce, "lapic", 5) || hz <= TICK_HZ)
		return false;
	/* A period of a few timer counts would be a storm, not a tick: only
	 * with a rate that gives the fast tick at least 64 counts (a rate
	 * calibrated wrong under a starved emulator can be far too low). */
	if (on && lapic_timer_hz() && lapic_timer_hz() / MIN(hz, BRINGUP_TICK_MAX) < 64)
		return false;
	mach.time.timer_init_cpu(on ? (unsigned)MIN(hz, BRINGUP_TICK_MAX) : TICK_HZ);
	return true;
}

/*
 * Called by whoever waits during bring-up (smp_boot, and a machine's
 * start_cpus that waits between STARTUPs): a fast tick left running while
 * the boot CPU halts wakes it 100000 times a second, which on an emulator
 * whose vCPUs are host threads takes the host from the APs.
 */
void __init smp_bringup_tick_check(void)
{
	if (fast.on &&
	    (timer_ticks(0) - fast.tick0 >= fast.ticks || clock_ns() - fast.t0 >= BRINGUP_FAST_NS))
		fast.on = !bringup_tick(false);
}

/* The bring-up is over (or never began): CPU 0 back to TICK_HZ. */
static void __init bringup_tick_end(void)
{
	if (fast.on)
		bringup_tick(false);
	fast.on = false;
}

static struct percpu *__init prepare_ap(unsigned cpu, uint32_t apic_id)
{
	struct percpu *p = percpu_alloc(cpu);
	uint64_t stack = page_alloc(AP_STACK_PAGES + 1);

	if (!p || !stack)
		return NULL;
	/* The lowest page stays unmapped: an overflow faults, not corrupts. */
	paging_unmap(stack, PAGE_SIZE);
	p->stack_base = (uintptr_t)stack + PAGE_SIZE;
	p->stack_top = p->stack_base + AP_STACK_PAGES * PAGE_SIZE;
	p->apic_id = apic_id;
#ifdef CONFIG_X86_64
	/* Allocated here, not by the AP: 60 APs contending for the allocator
	 * lock is slow on real hardware and dreadful under emulation. */
	if (percpu_alloc_ist(p))
		return NULL;
#endif
	ap_boot_table[cpu - 1] = (struct ap_boot){apic_id, AP_WAITING, p->stack_top, (uintptr_t)p};
	return p;
}
#endif /* CONFIG_SMP */

const struct percpu *stack_guard_owner(uintptr_t addr)
{
	for (unsigned c = 0; c < NR_CPUS; c++) {
		const struct percpu *p = percpu[c];
		if (p && p->stack_base && addr >= p->stack_base - PAGE_SIZE && addr < p->stack_base)
			return p;
	}
	return NULL;
}

#ifdef CONFIG_SMP
void __init smp_boot(void)
{
	static struct percpu *aps[NR_CPUS];
	unsigned n = 0, limit = NR_CPUS;
	uint32_t bsp = percpu[0]->apic_id;

	irq_set_handler(VEC_CALL_FUNC, call_ipi, NULL);
	irq_set_handler(VEC_RESCHED, wake, NULL);
	nmi_register(panic_nmi);
	panic_stop_others = stop_others;
	nr_cpus_listed = topo.ncpus ? topo.ncpus : 1;
	nohz = !cmdline.nohz_off;
	if (cmdline.nosmp)
		limit = 1;
	if (cmdline.maxcpus >= 0 && (unsigned)cmdline.maxcpus < limit)
		limit = cmdline.maxcpus ? (unsigned)cmdline.maxcpus : 1;
	for (unsigned i = 0; i < topo.ncpus && n + 1 < limit; i++) {
		if (topo.cpus[i].apic_id == bsp)
			continue;
		struct percpu *p = prepare_ap(n + 1, topo.cpus[i].apic_id);
		if (!p) {
			printk(KERN_ERR "smp: out of memory for CPU %u\n", n + 1);
			break;
		}
		aps[n++] = p;
	}
	if (topo.ncpus > limit)
		printk("smp: %u of %u listed CPUs used (%s)\n", limit, topo.ncpus,
		       cmdline.nosmp ? "nosmp" : "maxcpus/NR_CPUS");
	if (!n)
		return;
	smpboot_set_registers(n);
	uint64_t t0 = clock_ns();
	fast.t0 = t0;
	fast.tick0 = timer_ticks(0);
	fast.ticks = BRINGUP_TICKS_PER_AP * n + 8;
	fast.on = bringup_tick(true);
	all_online_target = n + 1;
	if (mach.smp.start_cpus(aps, n) < 0) {
		/* No entry may have won the probe (the native ops then run). */
		printk(KERN_WARN "smp: %s cannot start CPUs\n",
		       machine_current ? machine_current->name : "the native ops");
		smpboot_cancel();
		bringup_tick_end();
		return;
	}
	/* Every AP gets at least 200 ms from the last STARTUP; more CPUs, more
	 * time for the slowest (an emulator runs them on a few host cores). The
	 * STARTUPs themselves can take long where each ICR write is emulated
	 * under a contended lock: QEMU 10 plain TCG, -smp 512 on a loaded 2-core
	 * host took 269 s to send them once, and a budget counted from the
	 * first one left the last 25 out. Wait with interrupts on and halting,
	 * so a single-threaded emulator runs the APs meanwhile; the last AP's
	 * IPI ends the halt (armed for n + 1 check-ins; wait_step_until: not
	 * one taken just before it), and the tick ends it if that IPI is lost. */
	uint64_t sent = clock_ns(), budget = (200 + 20ull * n) * 1000000ull;
	unsigned spins = 0;
	unsigned long flags = local_irq_save();
	local_irq_enable();
	while (!smp_wait_step_until(&spins, n + 1, all_online) && clock_ns() - sent < budget)
		smp_bringup_tick_check();
	smp_wait_disarm();
	local_irq_restore(flags);
	smp_boot_ns = clock_ns() - t0;
	bringup_tick_end();
	for (unsigned i = 0; i < n; i++) {
		uint32_t expect = AP_WAITING;
		if (__atomic_compare_exchange_n(&ap_boot_table[i].state, &expect, AP_ABANDONED,
						false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) &&
		    ++smp_cpus_left_out)
			printk(KERN_ERR "smp: CPU %u (APIC id %u) did not come up within %llu ms; "
					"left out\n",
			       aps[i]->cpu, aps[i]->apic_id, (unsigned long long)budget / 1000000);
	}
	/* Stragglers that made it between the wait and the marks are online. */
	while (nr_cpus_online < n + 1) {
		unsigned up = 1;
		for (unsigned i = 0; i < n; i++)
			up += __atomic_load_n(&ap_boot_table[i].state, __ATOMIC_SEQ_CST) ==
			      AP_ONLINE;
		if (up == nr_cpus_online)
			break;
		cpu_relax();
	}
	printk("smp: %u of %u CPUs online, APs started in %llu.%03llu ms (INIT/STARTUP sent in "
	       "%llu.%03llu ms; %u check-ins woke CPU 0)\n",
	       nr_cpus_online, n + 1, (unsigned long long)smp_boot_ns / 1000000,
	       (unsigned long long)smp_boot_ns / 1000 % 1000,
	       (unsigned long long)(sent - t0) / 1000000,
	       (unsigned long long)(sent - t0) / 1000 % 1000, READ_ONCE(smp_wakeups.ipis));
	printk("smp: idle APs %s\n",
	       nohz ? "stop their tick (nohz; nohz=off keeps it)" : "tick at 100 Hz (nohz=off)");
}
#else
/* CONFIG_SMP=n: the boot CPU only; no AP code is built (docs/building.md). */
void __init smp_boot(void)
{
	irq_set_handler(VEC_CALL_FUNC, call_ipi, NULL);
	irq_set_handler(VEC_RESCHED, wake, NULL);
	nmi_register(panic_nmi);
	panic_stop_others = stop_others;
	/* topology already left out what NR_CPUS (1) cannot hold, and said so. */
	nr_cpus_listed = topo.ncpus ? topo.ncpus : 1;
	printk("smp: CONFIG_SMP=n: the boot CPU only\n");
}
#endif
