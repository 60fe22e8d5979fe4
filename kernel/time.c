// SPDX-License-Identifier: MIT
/*
 * Clocksources and the tick. One clocksource is current; clock_ns() extends
 * its counter to 64 bits, which needs a read at least once per wrap period
 * (the PIT wraps every 55 ms): timer_tick() on CPU 0 does that read.
 */
#include <kernel/time.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <asm/timers.h>
#include <asm/tsc.h>
#include <string.h>

#define MAX_CLOCKSOURCES 8

static const struct clocksource *sources[MAX_CLOCKSOURCES];
static unsigned nsources;
const struct clocksource *clocksource_current;
const struct clockevent *clockevent_current;

static spinlock_t clock_lock = SPINLOCK_INIT;
static uint64_t last_raw, base_ns, frac;
static uint64_t ticks[NR_CPUS];

void clocksource_register(const struct clocksource *cs)
{
	if (cs && cs->hz && nsources < MAX_CLOCKSOURCES && !clocksource_get(cs->name))
		sources[nsources++] = cs;
}

const struct clocksource *clocksource_get(const char *name)
{
	for (unsigned i = 0; i < nsources; i++)
		if (!strcmp(sources[i]->name, name))
			return sources[i];
	return NULL;
}

const struct clocksource *clocksource_select(const char *prefer)
{
	const struct clocksource *best = NULL;

	for (unsigned i = 0; i < nsources; i++)
		if (!best || sources[i]->rating > best->rating)
			best = sources[i];
	if (prefer && *prefer) {
		const struct clocksource *p = clocksource_get(prefer);
		if (p)
			best = p;
		else
			printk(KERN_WARN "clock: clock=%s not available here, using %s\n", prefer,
			       best ? best->name : "none");
	}
	clocksource_current = best;
	if (best) {
		last_raw = best->read();
		base_ns = frac = 0;
	}
	return best;
}

uint64_t clock_ns(void)
{
	const struct clocksource *cs = clocksource_current;

	if (!cs)
		return 0;
	unsigned long f = spin_lock_irqsave(&clock_lock);
	uint64_t raw = cs->read(), d = clocksource_delta(cs, last_raw, raw);

	last_raw = raw;
	/* ns += d * 1e9 / hz, carrying the remainder so nothing drifts;
	 * split so that d * 1e9 cannot overflow (d % hz < hz < 2^33). */
	uint64_t num = d % cs->hz * NSEC_PER_SEC + frac;

	base_ns += d / cs->hz * NSEC_PER_SEC + num / cs->hz;
	frac = num % cs->hz;
	uint64_t now = base_ns;
	spin_unlock_irqrestore(&clock_lock, f);
	return now;
}

void clocksource_set_hz(struct clocksource *cs, uint64_t hz)
{
	unsigned long f = spin_lock_irqsave(&clock_lock);

	/* Account what the current rate counted so far; the new rate applies
	 * from here on, so clock_ns never steps. */
	if (cs == clocksource_current) {
		uint64_t raw = cs->read(), d = clocksource_delta(cs, last_raw, raw);
		last_raw = raw;
		uint64_t num = d % cs->hz * NSEC_PER_SEC + frac;
		base_ns += d / cs->hz * NSEC_PER_SEC + num / cs->hz;
		frac = 0;
	}
	WRITE_ONCE(cs->hz, hz);
	spin_unlock_irqrestore(&clock_lock, f);
}

static void ndelay_cs(const struct clocksource *cs, uint64_t ns)
{
	uint64_t want = ns * cs->hz / NSEC_PER_SEC + 1, start = cs->read(), done = 0, prev = start;

	/* Accumulate per read so a counter that wraps during the wait is fine. */
	while (done < want) {
		uint64_t now = cs->read();
		done += clocksource_delta(cs, prev, now);
		prev = now;
		cpu_relax();
	}
}

void udelay(unsigned long us)
{
	const struct clocksource *cs = clocksource_current;

	if (cs) {
		ndelay_cs(cs, (uint64_t)us * 1000);
		return;
	}
	if (tsc_khz) {
		uint64_t end = rdtsc() + tsc_khz * us / 1000;
		while (rdtsc() < end)
			cpu_relax();
		return;
	}
	/* Nothing to measure with yet: port 0x80 writes take about 1 us on a PC. */
	for (unsigned long i = 0; i < us; i++)
		io_delay();
}

void mdelay(unsigned long ms)
{
	while (ms--)
		udelay(1000);
}

PV_REGPARM uint64_t native_sched_clock(void)
{
	return tsc_khz ? tsc_to_ns(rdtsc() - boot_tsc) : 0;
}

void timer_tick(void)
{
	unsigned cpu = smp_processor_id();

	ticks[cpu]++;
	if (cpu == 0) {
		clock_ns(); /* keeps short counters (PIT, 24-bit PM timer) from wrapping unseen */
		tsc_refine_tick();
	}
}

uint64_t timer_ticks(unsigned cpu)
{
	return READ_ONCE(ticks[cpu]);
}

/*
 * A halt needs something to end it. Waits halt only while this CPU's tick
 * has been seen to advance within the last 50 ms (5 ticks): a CPU whose
 * timer never fires (not armed yet, or a local APIC that is not where
 * firmware said) spins instead, so its clock-bounded waits still end.
 */
static uint64_t seen_ticks[NR_CPUS], seen_ns[NR_CPUS];

static bool tick_running(void)
{
	unsigned cpu = smp_processor_id();
	uint64_t now = clock_ns(), t = timer_ticks(cpu);

	if (cpu >= NR_CPUS)
		return false;
	if (t != seen_ticks[cpu]) {
		seen_ticks[cpu] = t;
		seen_ns[cpu] = now;
		return true;
	}
	return seen_ns[cpu] && now - seen_ns[cpu] < 50000000ull;
}

/* Spin for the first 1000 steps; then halt while a tick will end it. */
static bool may_halt(unsigned *spins)
{
	return ++*spins >= 1000 && !irqs_disabled() && tick_running();
}

void wait_step(unsigned *spins)
{
	if (may_halt(spins))
		safe_halt();
	else
		cpu_relax();
}

bool wait_step_until(unsigned *spins, bool (*done)(void))
{
	if (done())
		return true;
	if (!may_halt(spins)) {
		cpu_relax();
		return false;
	}
	/* Look once more with interrupts off, then sti; hlt: the interrupt
	 * that makes done() true cannot slip in between and be taken before
	 * the hlt, which would then sleep until the next tick. */
	local_irq_disable();
	if (done()) {
		local_irq_enable();
		return true;
	}
	safe_halt();
	return false;
}
