// SPDX-License-Identifier: MIT
/*
 * The conformance suite: the same checks on every machine entry, through
 * the machine's ops only. A check a machine cannot support is a SKIP with
 * the reason, never a pass.
 */
#include <kernel/ktest.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/machine.h>
#include <kernel/nmi_watchdog.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/topology.h>
#include <asm/irqchip.h>
#include <machine/native.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/timers.h>
#include <asm/tsc.h>
#include <string.h>
#include "pit_borrow.h"
#include "timed.h"

static unsigned expected_cpus(void)
{
	unsigned n = topo.ncpus ? topo.ncpus : 1;

	if (cmdline.nosmp || !strcmp(irqchip->name, "pic"))
		n = 1; /* an 8259 machine runs one CPU */
	if (cmdline.maxcpus > 0 && (unsigned)cmdline.maxcpus < n)
		n = (unsigned)cmdline.maxcpus;
	return n > NR_CPUS ? NR_CPUS : n;
}

KTEST(conformance, cpus_online)
{
	/* A CPU the kernel gave up on (smp: ... left out) is only expected when
	 * smp_phantom= injected one (and topology kept it: an id this CPU's APIC
	 * cannot address is left out earlier); anywhere else it is a failure. */
	unsigned phantom = 0;
	for (unsigned i = 0; i < topo.ncpus && expected_cpus() > 1; i++) {
		uint32_t id = topo.cpus[i].apic_id;
		phantom += (cmdline.smp_phantom >= 0 && id == (uint32_t)cmdline.smp_phantom) ||
			   (id >= TOPO_PHANTOM_FIRST_ID &&
			    id < TOPO_PHANTOM_FIRST_ID + (unsigned)cmdline.smp_phantoms_first);
	}
	KT_EXPECT_EQ(t, smp_cpus_left_out, phantom);
	KT_EXPECT_EQ(t, nr_cpus_online, expected_cpus() - phantom);
	unsigned up = 0;
	for (unsigned c = 0; c < NR_CPUS; c++)
		up += cpu_online(c);
	KT_EXPECT_EQ(t, up, nr_cpus_online);
}

/* Under QEMU's TCG the native bring-up starts at most a window of APs at
 * a time (machines/native.c): while the window held, never more than that
 * were starting at once. A window dropped after a stall (a starved host) is
 * said, not failed: the bring-up is then all at once, as on hardware. */
KTEST(conformance, startup_window)
{
#ifdef CONFIG_SMP
	const struct startup_window *w = &startup_window;

	if (!w->size)
		KT_SKIP(t, "no STARTUP window (not the native bring-up under QEMU's TCG)");
	if (w->dropped)
		ktest_log(t, "the window stalled after %u waits: the rest went at once", w->waits);
	KT_EXPECT_MSG(t, w->max_in_flight <= w->size, "%u APs were starting at once, window %u",
		      w->max_in_flight, w->size);
	/* STARTUPs by x2APIC cluster (after the first AP, when it began in
	 * x2APIC mode): each AP's LDR is the one the kernel computed for it,
	 * and at least one AP answered such a STARTUP before its retry by id
	 * (one that names no AP, or others, leaves them to the retries, which
	 * start them all: only these counts tell). */
	if (w->clustered) {
		ktest_log(t,
			  "%u APs named in STARTUPs by x2APIC cluster, %u of them not in "
			  "before the second round",
			  w->cluster_sent, w->cluster_late);
		KT_EXPECT_MSG(t, w->cluster_late < w->cluster_sent,
			      "none of the %u APs sent a cluster STARTUP came up from it",
			      w->cluster_sent);
		for (unsigned c = 1; c < NR_CPUS; c++)
			if (cpu_online(c) && percpu[c]->apic_ldr)
				KT_EXPECT_MSG(t,
					      percpu[c]->apic_ldr ==
						      x2apic_cluster_ldr(percpu[c]->apic_id),
					      "CPU %u (APIC id %u): LDR %#x, computed %#x", c,
					      percpu[c]->apic_id, percpu[c]->apic_ldr,
					      x2apic_cluster_ldr(percpu[c]->apic_id));
	}
#else
	KT_SKIP(t, "CONFIG_SMP=n");
#endif
}

/* An AP wakes the halted boot CPU only when the boot CPU waits for its
 * check-in (kernel/smp.c): at most one IPI per arming, however many APs
 * checked in meanwhile. A missed one would only leave the boot CPU to its
 * next tick, which no test here can tell from a slow host (under -icount the
 * fast bring-up tick hides it: docs/benchmarks.md). */
KTEST(conformance, checkin_wakeups)
{
#ifdef CONFIG_SMP
	const struct smp_wakeups *w = &smp_wakeups;

	if (nr_cpus_online < 2)
		KT_SKIP(t, "no AP started");
	ktest_log(t, "%u APs checked in, %u of them woke CPU 0, which armed %u times",
		  nr_cpus_online - 1, w->ipis, w->arms);
	KT_EXPECT_MSG(t, w->ipis <= w->arms, "%u check-in IPIs for %u armings", w->ipis, w->arms);
#else
	KT_SKIP(t, "CONFIG_SMP=n");
#endif
}

KTEST(conformance, irq_save_restore)
{
	KT_ASSERT(t, !irqs_disabled());
	unsigned long outer = local_irq_save();
	KT_EXPECT(t, irqs_disabled());
	unsigned long inner = local_irq_save();
	KT_EXPECT(t, irqs_disabled());
	local_irq_restore(inner);
	KT_EXPECT_MSG(t, irqs_disabled(), "inner restore enabled interrupts");
	local_irq_restore(outer);
	KT_EXPECT(t, !irqs_disabled());
	/* Ticks arrive again once restored: interrupts really are on. */
	uint64_t before = timer_ticks(0), start = clock_ns();
	while (timer_ticks(0) == before && clock_ns() - start < 200000000ull)
		cpu_relax();
	KT_EXPECT_MSG(t, timer_ticks(0) != before, "no tick within 200 ms after restore");
}

/* A clocksource other than the one the tick was calibrated against. */
static const struct clocksource *independent_clock(void)
{
	static const char *const order[] = {"hpet", "pmtimer", "pit", "tsc"};

	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		const struct clocksource *cs = clocksource_get(order[i]);
		if (cs && cs != clocksource_current)
			return cs;
	}
	return clocksource_current;
}

static uint64_t cs_ns(const struct clocksource *cs, uint64_t counts)
{
	return counts / cs->hz * NSEC_PER_SEC + counts % cs->hz * NSEC_PER_SEC / cs->hz;
}

/*
 * Time N whole ticks against the reference, halting between them: polling
 * a clock in a loop (each HPET read is an exit under emulation) would delay
 * the very interrupts being counted. Each tick's arrival is stamped with the
 * reference; timed.h says how a disturbed measurement is told from a wrong
 * tick period.
 */
enum timed_verdict { TIMED_PASS, TIMED_FAIL, TIMED_DISTURBED };

struct tick_run {
	uint64_t stamp[TIMED_MAX + 1];
	unsigned stamps;
	uint64_t got, ns;
	struct timed_stats st;
	char why[120];
};

static enum timed_verdict tick_attempt(const struct clocksource *ref, unsigned hz, unsigned n,
				       struct tick_run *r)
{
	uint64_t cpu_start[NR_CPUS], want_ns = (uint64_t)n * NSEC_PER_SEC / hz;

	/* The first tick at the new rate, waited for by spinning with a bound: a
	 * timer that no longer fires must end in a failure, not a halt forever. */
	uint64_t n0 = timer_ticks(0), t0 = clock_ns();
	while (timer_ticks(0) == n0) {
		if (clock_ns() - t0 > 100000000ull) {
			snprintf(r->why, sizeof(r->why), "no tick at %u Hz within 100 ms", hz);
			r->got = r->ns = 0;
			return TIMED_FAIL;
		}
		cpu_relax();
	}
	uint64_t prev = ref->read(), acc = 0, last = n0 = timer_ticks(0);
	r->stamps = 0;
	r->stamp[r->stamps++] = 0;
	for (unsigned c = 0; c < nr_cpus_online; c++)
		cpu_start[c] = timer_ticks(c);
	/* Bounded: give up at twice the expected time. */
	while (timer_ticks(0) - n0 < n && cs_ns(ref, acc) < 2 * want_ns) {
		safe_halt();
		uint64_t now = ref->read(), ticks = timer_ticks(0);
		acc += clocksource_delta(ref, prev, now);
		prev = now;
		/* Two ticks seen at one wake-up (this CPU was not running for one of
		 * them) make a long interval: an outlier, not clean. */
		if (ticks != last && r->stamps < ARRAY_SIZE(r->stamp))
			r->stamp[r->stamps++] = cs_ns(ref, acc);
		last = ticks;
	}
	r->got = timer_ticks(0) - n0;
	r->ns = cs_ns(ref, acc);
	timed_stats(r->stamp, r->stamps, &r->st);
	uint64_t want_tick = NSEC_PER_SEC / hz;
	if (r->st.clean * 2 < n) {
		snprintf(r->why, sizeof(r->why),
			 "%u of %u tick intervals within 10%% of their median", r->st.clean, n);
		return TIMED_DISTURBED;
	}
	if (timed_off(r->st.mean_ns, want_tick, 1)) {
		snprintf(r->why, sizeof(r->why), "tick period %llu ns, want %llu ns (%u intervals)",
			 (unsigned long long)r->st.mean_ns, (unsigned long long)want_tick,
			 r->st.clean);
		return TIMED_FAIL;
	}
	if (r->got < n || timed_off(r->ns, want_ns, 1)) {
		snprintf(r->why, sizeof(r->why),
			 "period right, but %llu ticks in %llu us: ticks lost",
			 (unsigned long long)r->got, (unsigned long long)r->ns / 1000);
		return TIMED_DISTURBED;
	}
	/* The other CPUs' ticks (at TICK_HZ) kept coming: none stalled. */
	for (unsigned c = 1; c < nr_cpus_online; c++) {
		uint64_t g = timer_ticks(c) - cpu_start[c], w = r->ns * TICK_HZ / NSEC_PER_SEC;
		if (g + 2 >= w && g <= w + 2)
			continue;
		snprintf(r->why, sizeof(r->why), "CPU %u: %llu ticks, want %llu", c,
			 (unsigned long long)g, (unsigned long long)w);
		return g ? TIMED_DISTURBED : TIMED_FAIL; /* none at all: its timer is dead */
	}
	return TIMED_PASS;
}

KTEST(conformance, timer_tick_rate)
{
	/* 250 Hz leaves a slow emulator (Bochs at 10 MIPS: 40000 instructions a
	 * tick) time to take every tick; 100 ticks make 1% one tick's worth. */
	const unsigned hz = 250, n = 100;
	const struct clocksource *ref = independent_clock();
	static struct tick_run r;
	enum timed_verdict v = TIMED_DISTURBED;
	unsigned attempt;

	if (!ref || (tsc_source && !strcmp(tsc_source, "assumed") && !strcmp(ref->name, "tsc")))
		KT_SKIP(t, "no reference clock on this machine to measure the tick against");
	/* Idle APs have no tick (nohz): ask them to tick at TICK_HZ, so the
	 * check that CPU 0's new rate leaves theirs alone has ticks to see. */
	unsigned late = smp_tick_keep(SMP_ALL_APS, true);
	KT_EXPECT_MSG(t, !late, "%u APs did not start their tick", late);
	KT_ASSERT(t, mach.time.timer_init_cpu(hz) != NULL);
	unsigned fails = 0;
	for (attempt = 1; attempt <= TIMED_ATTEMPTS; attempt++) {
		v = tick_attempt(ref, hz, n, &r);
		if (v == TIMED_PASS)
			break;
		fails += v == TIMED_FAIL;
		ktest_log(t, "attempt %u %s: %s", attempt, v == TIMED_FAIL ? "wrong" : "disturbed",
			  r.why);
	}
	mach.time.timer_init_cpu(TICK_HZ);
	smp_tick_keep(SMP_ALL_APS, false);
	ktest_log(t, "%llu ticks at %u Hz took %llu us of %s (want %llu us)",
		  (unsigned long long)r.got, hz, (unsigned long long)r.ns / 1000, ref->name,
		  (unsigned long long)n * 1000000 / hz);
	if (v != TIMED_PASS && fails < TIMED_FAILS)
		KT_SKIP(t, "%u measurements disturbed (the vCPU did not run steadily), last: %s",
			TIMED_ATTEMPTS, r.why);
	KT_EXPECT_MSG(t, v == TIMED_PASS, "%u of %u measurements wrong, last: %s", fails,
		      TIMED_ATTEMPTS, r.why);
}

static volatile uint32_t ipi_hits[NR_CPUS];

static void count_hit(void *arg)
{
	__atomic_fetch_add(&ipi_hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
}

static void test_ipi(struct trap_frame *f, void *data)
{
	count_hit(NULL);
}

static void send_back_to_bsp(void *arg)
{
	mach.smp.send_ipi(0, VEC_TEST_IPI);
}

static void dump_apic(void *arg)
{
	printk("    # CPU %u: ISR %08x %08x IRR %08x %08x TPR %x PPR %x SVR %x irqs %llu\n",
	       smp_processor_id(), lapic_read(0x170), lapic_read(0x160), lapic_read(0x270),
	       lapic_read(0x260), lapic_read(APIC_TPR), lapic_read(0xa0), lapic_read(APIC_SVR),
	       (unsigned long long)this_cpu()->irqs);
}

static bool wait_hits(unsigned cpu, uint32_t want)
{
	uint64_t start = clock_ns();
	unsigned spins = 0;

	while (READ_ONCE(ipi_hits[cpu]) < want) {
		if (clock_ns() - start > 500000000ull)
			return false;
		wait_step(&spins);
	}
	return true;
}

KTEST(conformance, ipi_every_cpu)
{
	if (nr_cpus_online < 2)
		KT_SKIP(t, "one CPU online");
	irq_set_handler(VEC_TEST_IPI, test_ipi, NULL);
	memset((void *)ipi_hits, 0, sizeof(ipi_hits));
	/* To each AP and back: the AP's handler sends a fixed IPI to the BSP. */
	for (unsigned c = 1; c < nr_cpus_online; c++) {
		uint32_t bsp_before = ipi_hits[0];
		KT_EXPECT_MSG(t, smp_call(c, count_hit, NULL, 500) == 0,
			      "CPU %u did not run the call", c);
		KT_EXPECT_MSG(t, smp_call(c, send_back_to_bsp, NULL, 500) == 0,
			      "CPU %u did not run the call", c);
		KT_EXPECT_MSG(t, wait_hits(0, bsp_before + 1), "no IPI from CPU %u to the BSP", c);
	}
	for (unsigned c = 1; c < nr_cpus_online; c++)
		KT_EXPECT_EQ(t, ipi_hits[c], 1);
	/* Broadcast to all but self. */
	mach.smp.send_ipi_all(VEC_TEST_IPI);
	for (unsigned c = 1; c < nr_cpus_online; c++)
		if (!wait_hits(c, 2)) {
			KT_EXPECT_MSG(t, false, "broadcast IPI did not reach CPU %u (%u hits)", c,
				      ipi_hits[c]);
			smp_call(c, dump_apic, NULL, 500);
			dump_apic(NULL);
		}
	irq_set_handler(VEC_TEST_IPI, NULL, NULL);
}

/* Bounded wait for cond(cpu) to hold; false after timeout_ms. It halts
 * between looks (wait_step): a spinning vCPU in QEMU's single-threaded
 * -icount loop keeps the CPU it waits for from running. */
static bool wait_until(bool (*cond)(unsigned), unsigned cpu, unsigned timeout_ms)
{
	uint64_t t0 = clock_ns();
	unsigned spins = 0;

	while (!cond(cpu)) {
		if (clock_ns() - t0 > (uint64_t)timeout_ms * 1000000)
			return false;
		wait_step(&spins);
	}
	return true;
}

static bool never(unsigned cpu)
{
	return false;
}

static uint64_t tick_mark[NR_CPUS];

static bool ticked_twice(unsigned cpu)
{
	return timer_ticks(cpu) >= tick_mark[cpu] + 2;
}

static volatile bool work_saw_ticks;

/* Runs on the AP as smp_run_async work: its tick must be on meanwhile. */
static void work_waits_for_ticks(void *arg)
{
	unsigned me = smp_processor_id();

	tick_mark[me] = timer_ticks(me);
	work_saw_ticks = wait_until(ticked_twice, me, 1000);
}

static void work_nothing(void *arg)
{
}

KTEST(conformance, idle_tick_stops)
{
	if (nr_cpus_online < 2)
		KT_SKIP(t, "one CPU online");
	unsigned cpus[2] = {1, nr_cpus_online - 1};
	for (unsigned i = 0; i < (cpus[0] == cpus[1] ? 1u : 2u); i++) {
		unsigned c = cpus[i];
		/* Idle: with nohz not one tick in 50 ms; without, ticks at 100 Hz. */
		if (smp_nohz())
			KT_EXPECT_MSG(t, wait_until(smp_tick_stopped, c, 200),
				      "CPU %u idles with its tick on", c);
		uint64_t before = timer_ticks(c);
		tick_mark[c] = before;
		if (smp_nohz()) {
			wait_until(never, c, 50);
			KT_EXPECT_MSG(t, timer_ticks(c) == before, "idle CPU %u ticked %llu times",
				      c, (unsigned long long)(timer_ticks(c) - before));
		} else {
			KT_EXPECT_MSG(t, wait_until(ticked_twice, c, 1000),
				      "nohz=off, but idle CPU %u does not tick", c);
		}
		/* Work: the tick runs while the AP works, so its waits can halt. */
		work_saw_ticks = false;
		KT_ASSERT(t, smp_run_async(c, work_waits_for_ticks, NULL) == 0);
		KT_EXPECT_MSG(t, smp_wait_async(c, 2000) == 0, "CPU %u did not finish its work", c);
		KT_EXPECT_MSG(t, work_saw_ticks, "CPU %u had no tick while working", c);
		/* smp_tick_keep: ticks while idle, then stops again. */
		KT_EXPECT_MSG(t, smp_tick_keep(c, true) == 0, "CPU %u did not start its tick", c);
		tick_mark[c] = timer_ticks(c);
		KT_EXPECT_MSG(t, wait_until(ticked_twice, c, 1000), "CPU %u kept no tick", c);
		KT_EXPECT_MSG(t, smp_tick_keep(c, false) == 0, "CPU %u did not stop its tick", c);
		if (smp_nohz())
			KT_EXPECT_MSG(t, wait_until(smp_tick_stopped, c, 200),
				      "CPU %u kept its tick after smp_tick_keep(off)", c);
		/* Back-to-back work: each must wake the AP although no tick will
		 * (a wake-up lost between the AP's look for work and its hlt
		 * would end one of these in the timeout). */
		unsigned done = 0;
		for (unsigned k = 0; k < 200; k++)
			done += smp_run_async(c, work_nothing, NULL) == 0 &&
				smp_wait_async(c, 500) == 0;
		KT_EXPECT_MSG(t, done == 200, "CPU %u finished %u of 200 short works", c, done);
	}
}

/* With nmi_watchdog=1: the APs idle tickless for longer than the watchdog's
 * limit while its NMIs reach them, and none is called stuck (a false alarm
 * panics the run). */
KTEST(conformance, watchdog_idle_tickless)
{
	uint64_t nmis[NR_CPUS];

	if (!nmi_watchdog_running())
		KT_SKIP(t, "the NMI watchdog is off (nmi_watchdog=1 runs this)");
	if (nr_cpus_online < 2 || !smp_nohz())
		KT_SKIP(t, "no tickless idle AP (one CPU, or nohz=off)");
	for (unsigned c = 1; c < nr_cpus_online; c++)
		nmis[c] = READ_ONCE(percpu[c]->nmis);
	wait_until(never, 0, 1500);
	for (unsigned c = 1; c < nr_cpus_online; c++) {
		KT_EXPECT_MSG(t, smp_tick_stopped(c), "CPU %u is not idle tickless", c);
		KT_EXPECT_MSG(t, READ_ONCE(percpu[c]->nmis) > nmis[c] + 20,
			      "CPU %u took %llu watchdog NMIs in 1.5 s", c,
			      (unsigned long long)(READ_ONCE(percpu[c]->nmis) - nmis[c]));
	}
}

static volatile bool nmi_armed;
static volatile uint32_t nmi_hits[NR_CPUS];

static bool test_nmi(struct trap_frame *f)
{
	if (!nmi_armed)
		return false;
	__atomic_fetch_add(&nmi_hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
	return true;
}

KTEST(conformance, nmi_every_cpu)
{
	static bool registered;

	if (!strcmp(irqchip->name, "pic"))
		KT_SKIP(t, "8259 PIC machine: no NMI IPI");
	if (nmi_watchdog_running())
		KT_SKIP(t, "the NMI watchdog is running: NMI counts are not exact");
	if (!registered) {
		nmi_register(test_nmi);
		registered = true;
	}
	memset((void *)nmi_hits, 0, sizeof(nmi_hits));
	nmi_armed = true;
	for (unsigned c = 0; c < nr_cpus_online; c++) {
		irqchip_send_nmi(c);
		uint64_t start = clock_ns();
		unsigned spins = 0;
		while (!READ_ONCE(nmi_hits[c]) && clock_ns() - start < 500000000ull)
			wait_step(&spins);
		KT_EXPECT_MSG(t, nmi_hits[c] == 1, "CPU %u: %u NMIs, want 1", c, nmi_hits[c]);
	}
	nmi_armed = false;
}

static volatile uint32_t dev_irqs;

static uint64_t pit_stamp[TIMED_MAX + 1];

static void pit_irq(struct trap_frame *f, void *data)
{
	if (dev_irqs < ARRAY_SIZE(pit_stamp))
		pit_stamp[dev_irqs] = clock_ns();
	dev_irqs++;
}

/* 50 ms of the PIT at 1 kHz: the count, and the period between IRQs. */
KTEST(conformance, device_irq_pit)
{
	const char *busy = pit_borrow_refusal();
	struct timed_stats st = {0};
	char why[120] = "";
	enum timed_verdict v = TIMED_DISTURBED;
	unsigned fails = 0;

	if (busy)
		KT_SKIP(t, "%s", busy);
	for (unsigned attempt = 1; attempt <= TIMED_ATTEMPTS && v != TIMED_PASS; attempt++) {
		dev_irqs = 0;
		int vec = request_isa_irq(0, 0, pit_irq, NULL);
		KT_ASSERT(t, vec > 0);
		uint16_t flags;
		if (attempt == 1)
			ktest_log(t, "IRQ0 -> GSI%u -> vector %#x", topo_isa_to_gsi(0, &flags),
				  vec);
		pit_periodic(1000);
		/* The device's own view, whatever the vCPU's scheduling: in mode 2
		 * the count runs from the divisor down, so the largest of many
		 * samples over 5 ms is the divisor the PIT was given. */
		unsigned reload = 0;
		uint64_t start = clock_ns();
		while (clock_ns() - start < 5000000ull) {
			unsigned c = pit_read_count(0);
			if (c > reload)
				reload = c;
		}
		/* Then 50 ms of interrupts, counted without touching the PIT: each
		 * port access takes QEMU's global lock, which delays the IRQs. */
		dev_irqs = 0;
		start = clock_ns();
		while (clock_ns() - start < 50000000ull)
			cpu_relax();
		pit_stop();
		free_isa_irq(0, vec);
		unsigned got = dev_irqs;
		timed_stats(pit_stamp, got < ARRAY_SIZE(pit_stamp) ? got : ARRAY_SIZE(pit_stamp),
			    &st);
		/* A wrong pin (no IRQ0->pin 2 override) gives none at all. */
		if (!got) {
			snprintf(why, sizeof(why), "no PIT interrupt in 50 ms");
			v = TIMED_FAIL;
		} else if (reload > 1193 * 102 / 100 || reload < 1193 * 3 / 4) {
			/* Samples never exceed the divisor; a slow emulator (Bochs) takes
			 * ~130 counts between samples, so the largest may fall short. */
			snprintf(why, sizeof(why), "PIT counts down from %u, want 1193 for 1 kHz",
				 reload);
			v = TIMED_FAIL;
		} else if (st.clean * 2 < st.n || st.n < 10) {
			snprintf(why, sizeof(why),
				 "%u interrupts, %u of %u intervals within 10%% of "
				 "their median",
				 got, st.clean, st.n);
			v = TIMED_DISTURBED;
		} else if (timed_off(st.mean_ns, 1000000, 5)) {
			snprintf(why, sizeof(why), "PIT period %llu ns, want 1000000 ns",
				 (unsigned long long)st.mean_ns);
			v = TIMED_FAIL;
		} else if (got < 40 || got > 60) {
			snprintf(why, sizeof(why), "%u PIT interrupts in 50 ms, want 50", got);
			v = TIMED_DISTURBED;
		} else {
			v = TIMED_PASS;
		}
		fails += v == TIMED_FAIL;
		if (v != TIMED_PASS)
			ktest_log(t, "attempt %u %s: %s", attempt,
				  v == TIMED_FAIL ? "wrong" : "disturbed", why);
	}
	if (v != TIMED_PASS && fails < TIMED_FAILS)
		KT_SKIP(t, "%u measurements disturbed (the vCPU did not run steadily), last: %s",
			TIMED_ATTEMPTS, why);
	KT_EXPECT_MSG(t, v == TIMED_PASS, "%u of %u measurements wrong, last: %s", fails,
		      TIMED_ATTEMPTS, why);
}

static volatile uint32_t storm_irqs;

static void storm_irq(struct trap_frame *f, void *data)
{
	storm_irqs++;
}

/*
 * The storm check of request_isa_irq: the PIT's IRQ0 routed level-triggered
 * (as a wrong MADT override would have it; the PIT output is high almost all
 * the time) must be masked with a message, not take the CPU forever.
 */
KTEST(conformance, irq_storm_masked)
{
	const char *busy = pit_borrow_refusal();
	uint16_t flags;
	unsigned pin;

	if (busy)
		KT_SKIP(t, "%s", busy);
	uint32_t gsi = topo_isa_to_gsi(0, &flags);
	if (!strcmp(irqchip->name, "pic") || topo_gsi_to_ioapic(gsi, &pin) < 0)
		KT_SKIP(t, "IRQ0 is not on an IO-APIC here: the 8259's edge-triggered lines "
			   "cannot be made to storm");
	if (facts.hypervisor && !strcmp(facts.hypervisor, "xen"))
		KT_SKIP(t, "Xen owns the PIT");
	struct topo_override *o = NULL, saved;
	unsigned saved_n = topo.noverrides;
	for (unsigned i = 0; i < topo.noverrides; i++)
		if (topo.overrides[i].isa_irq == 0)
			o = &topo.overrides[i];
	if (!o) {
		if (topo.noverrides == TOPO_MAX_OVERRIDES)
			KT_SKIP(t, "no room for an IRQ0 override");
		o = &topo.overrides[topo.noverrides++];
		*o = (struct topo_override){0, gsi, 0};
	}
	saved = *o;
	o->flags = INTI_TRIGGER_LEVEL | INTI_POLARITY_HIGH;
	storm_irqs = 0;
	int v = request_isa_irq(0, 0, storm_irq, NULL);
	if (v > 0) {
		pit_periodic(1000);
		uint64_t start = clock_ns();
		/* A storm reaches the limit within microseconds; 50 ms without one
		 * is a machine that does not re-deliver a held level. */
		while (!irq_stormed(0) && clock_ns() - start < 50000000ull)
			cpu_relax();
		pit_stop();
		free_isa_irq(0, v);
	}
	*o = saved;
	topo.noverrides = saved_n;
	KT_ASSERT(t, v > 0);
	ktest_log(t, "%u interrupts reached the handler", storm_irqs);
	if (!irq_stormed(0) && storm_irqs <= 1000)
		KT_SKIP(t,
			"no storm to detect: this machine re-delivers a held level only on "
			"new edges (%u interrupts in 50 ms)",
			storm_irqs);
	KT_EXPECT_MSG(t, irq_stormed(0), "IRQ0 level-triggered: no storm detected (%u interrupts)",
		      storm_irqs);
	/* Masked once a 10 ms window holds over 1000: a slow vCPU may spread the
	 * first thousands over several windows, never hundreds of thousands. */
	KT_EXPECT_MSG(t, storm_irqs < 20000, "%u interrupts before the mask", storm_irqs);
}

#define COM1 0x3f8

static void uart_irq(struct trap_frame *f, void *data)
{
	uint8_t iir = inb(COM1 + 2);

	if (!(iir & 1)) {
		dev_irqs++;
		outb(COM1 + 1, 0); /* IER off: one interrupt is the test */
	}
}

KTEST(conformance, device_irq_uart)
{
	outb(COM1 + 7, 0x5a);
	if (inb(COM1 + 7) != 0x5a)
		KT_SKIP(t, "no UART at COM1");
	dev_irqs = 0;
	int v = request_isa_irq(4, 0, uart_irq, NULL);
	KT_ASSERT(t, v > 0);
	unsigned long f = local_irq_save();
	console_flush();
	outb(COM1 + 4, inb(COM1 + 4) | 0x08); /* OUT2 gates the IRQ line on a PC */
	outb(COM1 + 1, 0x02);		      /* interrupt on transmitter empty */
	local_irq_restore(f);
	uint64_t start = clock_ns();
	while (!dev_irqs && clock_ns() - start < 200000000ull)
		cpu_relax();
	outb(COM1 + 1, 0);
	outb(COM1 + 4, inb(COM1 + 4) & ~0x08);
	free_isa_irq(4, v);
	KT_EXPECT_MSG(t, dev_irqs == 1, "%u UART interrupts, want 1 (vector %#x)", dev_irqs, v);
}

KTEST(conformance, unexpected_vector)
{
	if (!strcmp(irqchip->name, "pic"))
		KT_SKIP(t, "8259 PIC machine: no self-IPI");
	const unsigned v = 0xe0; /* no handler: counted, acknowledged, ignored */
	uint32_t before = (uint32_t)irq_unexpected_on(v);
	mach.smp.send_ipi(0, v);
	uint64_t start = clock_ns();
	while (irq_unexpected_on(v) == before && clock_ns() - start < 200000000ull)
		cpu_relax();
	KT_EXPECT_EQ(t, irq_unexpected_on(v), before + 1);
	/* And the CPU still takes interrupts afterwards (the EOI happened). */
	uint64_t ticks = timer_ticks(0);
	start = clock_ns();
	while (timer_ticks(0) == ticks && clock_ns() - start < 200000000ull)
		cpu_relax();
	KT_EXPECT(t, timer_ticks(0) != ticks);
}
