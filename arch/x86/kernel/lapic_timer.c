// SPDX-License-Identifier: MIT
/*
 * The local APIC timer as each CPU's tick, in one of three modes (the name
 * lapic_timer_start returns is BOOT-REPORT's clockevent):
 *
 * - "lapic-deadline": the CPU has TSC-deadline mode and the TSC rate is
 *   known. The tick is a TSC deadline re-armed at every expiry; the timer's
 *   own rate is never measured.
 * - "lapic": xAPIC (MMIO). Periodic mode, the bus clock divided by 16, its
 *   rate measured once by reading the current count (TMCCT) against the
 *   clocksource.
 * - "lapic-oneshot": x2APIC without TSC-deadline mode. The current count is
 *   never read: QEMU 10 under -icount cannot give it to an x2APIC (MSR)
 *   read and stops the machine ("Bad icount read"), while an MMIO read is
 *   an I/O access it can time. The rate is measured by timing one-shot
 *   interrupts with the clocksource, and the tick is a one-shot re-armed at
 *   every expiry for a TSC deadline, converted to counts at that rate: an
 *   error in the rate (the interrupt's latency is host time under plain TCG,
 *   100-500 us) moves when the ticks come, not their average rate.
 */
#include <asm/apic.h>
#include <asm/tsc.h>
#include <asm/timers.h>
#include <asm/trap.h>
#include <asm/cpufeature.h>
#include <asm/paravirt.h>
#include <asm/irqflags.h>
#include <kernel/time.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>

#define DIVIDE_16 0x3

enum { MODE_PERIODIC, MODE_DEADLINE, MODE_ONESHOT, MODE_STOPPED };
#define ONESHOT_MAX_HZ 1000

static uint64_t timer_hz;		  /* APIC timer counts per second at divide 16 */
static bool timer_hz_counted;		  /* timer_hz from TMCCT reads: exact enough for periodic */
static const char *timer_how;		  /* how timer_hz was measured, for the log */
static const char *timer_ref;		  /* against which clock */
static uint64_t timer_window_us;	  /* over how long */
static int mode[NR_CPUS];		  /* per CPU: the bring-up tick differs from the APs' */
static uint64_t deadline_period[NR_CPUS]; /* TSC counts per tick, per CPU */
static uint64_t next_deadline[NR_CPUS];

uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

static bool lapic_timer_deadline_usable(void)
{
	return cpu_has(X86_FEATURE_TSC_DEADLINE) && tsc_khz;
}

/*
 * x2APIC without TSC-deadline: the one-shot mode (above), unless the rate
 * was counted over MMIO before the switch to x2APIC (native_irq_init calls
 * lapic_timer_calibrate then): a counted rate is as good in x2APIC mode, and
 * the periodic tick then needs no current-count read either.
 */
static bool oneshot_mode(void)
{
	return !lapic_timer_deadline_usable() && lapic_is_x2apic() && tsc_khz &&
	       !(timer_hz && timer_hz_counted);
}

/*
 * Both calibrations run until the timer has moved far enough for 0.05%: at
 * least CAL_MIN_US and CAL_MIN_COUNTS timer counts (QEMU's 62.5 MHz timer
 * needs the 250 us; a slower one takes longer), at most CAL_MAX_US.
 */
#define CAL_MIN_US     250
#define CAL_MIN_COUNTS 2000
#define CAL_MAX_US     10000

static uint64_t read_ccr(void)
{
	return lapic_read(APIC_TMCCT);
}

/*
 * xAPIC: count the timer against the clocksource. Against the TSC each end
 * is a bracketed read (tsc_paired_read): under -icount exact, on hardware
 * good to ~1 us.
 */
static uint64_t calibrate_ccr(const struct clocksource *cs, uint64_t min, uint64_t max)
{
	uint64_t a0, a1;

	lapic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_APIC_TIMER);
	lapic_write(APIC_TMICT, 0xffffffffu);
	if (cs == &tsc_clocksource) {
		uint64_t t0 = tsc_paired_read(read_ccr, &a0), t1;
		do {
			while (rdtsc() - t0 < min)
				cpu_relax();
			t1 = tsc_paired_read(read_ccr, &a1);
			min += min / 2;
		} while (a0 - a1 < CAL_MIN_COUNTS && t1 - t0 < max);
		lapic_write(APIC_TMICT, 0);
		timer_window_us = (t1 - t0) * 1000000 / cs->hz;
		return (a0 - a1) * cs->hz / (t1 - t0);
	}
	uint64_t c0 = cs->read(), d;
	a0 = read_ccr();
	do {
		d = clocksource_delta(cs, c0, cs->read());
		a1 = read_ccr();
	} while ((d < min || a0 - a1 < CAL_MIN_COUNTS) && d < max);
	lapic_write(APIC_TMICT, 0);
	timer_window_us = d * 1000000 / cs->hz;
	return (a0 - a1) * cs->hz / d;
}

/*
 * x2APIC: one-shot runs timed by the clocksource read in the interrupt
 * handler. A warm-up run (the first interrupt: where code is translated on
 * first execution, QEMU's TCG, it took 2.7 ms of host time for an 8 us
 * count), a short run and a long run, and the rate from the difference of
 * the last two: what they have in common (the TMICT write, the interrupt's
 * delivery, the handler's way to the read) cancels, so under -icount the
 * figure is exact (62.500 MHz within 2 ppm).
 */
#define CAL_SHORT 500 /* counts: 8 us at 62.5 MHz */

static volatile uint64_t fired_at;
static volatile bool fired;

static void calibrate_handler(struct trap_frame *f, void *data)
{
	const struct clocksource *cs = data;

	fired_at = cs->read();
	fired = true;
}

/* Clocksource counts from the TMICT write to the interrupt, 0 if it did not
 * come within limit counts (a timer that never fires). */
static uint64_t one_shot(const struct clocksource *cs, uint32_t counts, uint64_t limit)
{
	fired = false;
	uint64_t c0 = cs->read(), d = 0;
	lapic_write(APIC_TMICT, counts);
	while (!fired && d < limit) {
		cpu_relax();
		d = clocksource_delta(cs, c0, cs->read());
	}
	lapic_write(APIC_TMICT, 0);
	return fired ? clocksource_delta(cs, c0, fired_at) : 0;
}

/*
 * The shortest of up to three runs: a vCPU thread that loses its host core
 * between the TMICT write and the interrupt only ever makes a run longer.
 * Single runs, QEMU 10 plain TCG with 1024 vCPUs on 2 cores: 41984008 Hz
 * where the timer runs at 62.5 MHz. Two runs that agree within 1/128 end it
 * early (always, where time is exact: -icount). A timer that does not fire
 * is not tried again.
 */
static uint64_t one_shot_best(const struct clocksource *cs, uint32_t counts, uint64_t limit)
{
	uint64_t best = 0;

	for (int i = 0; i < 3; i++) {
		uint64_t d = one_shot(cs, counts, limit);
		if (!d)
			break;
		bool agree = best && (d > best ? d - best : best - d) <= best / 128;
		best = best && best < d ? best : d;
		if (agree)
			break;
	}
	return best;
}

static uint64_t calibrate_oneshot(const struct clocksource *cs, uint64_t min, uint64_t max)
{
	unsigned long flags = local_irq_save();

	irq_set_handler(VEC_APIC_TIMER, calibrate_handler, (void *)cs);
	lapic_write(APIC_LVTT, VEC_APIC_TIMER); /* one-shot, unmasked */
	local_irq_enable();
	/* Waits are bounded well above max: a vCPU thread on a loaded host
	 * can be off its core for tens of ms. */
	uint64_t limit = 10 * max;
	one_shot(cs, CAL_SHORT, limit);
	uint64_t d_short = one_shot_best(cs, CAL_SHORT, limit), d_long = 0, n = 0;
	if (d_short) {
		/* Counts for the long run by the short run's pace. That pace
		 * includes the latency, so it is slow: 1/16 more, and if the
		 * difference still falls short, again at the pace seen. */
		uint64_t cap = CAL_SHORT * max / d_short, want = CAL_SHORT * min / d_short;
		for (int tries = 0; tries < 3; tries++) {
			want += want / 16;
			n = CAL_SHORT + (want > CAL_MIN_COUNTS ? want : CAL_MIN_COUNTS);
			if (n > cap)
				n = cap;
			if (n > 0xffffffffu)
				n = 0xffffffffu;
			if (n <= CAL_SHORT)
				break;
			d_long = one_shot_best(cs, (uint32_t)n, limit);
			if (!d_long || n == cap || (d_long > d_short && d_long - d_short >= min))
				break;
			/* A late short run (a host preempting the emulator) can
			 * leave no difference at all: then twice the counts. */
			want = d_long > d_short ? (n - CAL_SHORT) * min / (d_long - d_short)
						: 2 * (n - CAL_SHORT);
		}
	}
	local_irq_restore(flags);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_APIC_TIMER);
	if (d_long > d_short)
		return (n - CAL_SHORT) * cs->hz / (d_long - d_short);
	/* No usable difference (a stalled short run): one run's pace, its
	 * latency included, so low; the tick re-arms where it comes early. */
	if (d_long)
		return n * cs->hz / d_long;
	return d_short ? CAL_SHORT * cs->hz / d_short : 0;
}

/*
 * Counting inside the TSC window: native_tsc_khz starts the timer before it
 * measures the TSC against its reference and reads it again after, so the
 * timer's rate needs no window of its own (250 us and more after the TSC's
 * 1 ms). Both ends are TSC-bracketed TMCCT reads, the same as calibrate_ccr
 * against the TSC, and the TSC rate is the one the window gives. Only where
 * the rate is needed and TMCCT is an MMIO read: not with TSC-deadline mode
 * (no calibration at all) and not in x2APIC mode (QEMU 10 under -icount
 * cannot time an MSR read of TMCCT; see the top of this file). An APIC that
 * native_irq_init switches to x2APIC later is still xAPIC here.
 */
static struct {
	uint64_t t0, a0;
	bool counting;
} window;

bool lapic_timer_window_begin(void)
{
	if (timer_hz || lapic_is_x2apic() || cpu_has(X86_FEATURE_TSC_DEADLINE))
		return false;
	lapic_write(APIC_TDCR, DIVIDE_16);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_APIC_TIMER);
	lapic_write(APIC_TMICT, 0xffffffffu);
	window.t0 = tsc_paired_read(read_ccr, &window.a0);
	window.counting = true;
	return true;
}

uint64_t lapic_timer_window_end(uint64_t tsc_khz_measured)
{
	uint64_t a1, t1, counts, dt, q, r;

	if (!window.counting)
		return 0;
	window.counting = false;
	t1 = tsc_paired_read(read_ccr, &a1);
	/* A slow timer (Bochs' 10 MHz bus: 625 counts in 1 ms) counts on until
	 * CAL_MIN_COUNTS, by the pace seen so far: the window's time is kept. */
	uint64_t max = tsc_khz_measured * CAL_MAX_US / 1000;
	while (tsc_khz_measured && a1 && a1 <= window.a0 && window.a0 - a1 < CAL_MIN_COUNTS &&
	       t1 - window.t0 < max) {
		uint64_t seen = window.a0 - a1, so_far = t1 - window.t0;
		uint64_t wait = seen ? so_far * (CAL_MIN_COUNTS - seen) / seen + 1 : so_far;
		for (uint64_t t = rdtsc(); rdtsc() - t < wait;)
			cpu_relax();
		t1 = tsc_paired_read(read_ccr, &a1);
	}
	lapic_write(APIC_TMICT, 0);
	counts = window.a0 - a1;
	dt = t1 - window.t0;
	/* No TSC rate, a count that ran out (TMCCT stops at 0) or still too
	 * few counts for 0.05%: lapic_timer_calibrate measures later. */
	if (!tsc_khz_measured || !a1 || a1 > window.a0 || counts < CAL_MIN_COUNTS || !dt)
		return 0;
	/* counts * kHz * 1000 / dt without overflowing 64 bits: counts < 2^32
	 * and a TSC below 4 THz keep counts * kHz under 2^64. */
	q = counts * tsc_khz_measured / dt;
	r = counts * tsc_khz_measured % dt;
	timer_hz = q * 1000 + r * 1000 / dt;
	timer_hz_counted = true;
	timer_how = "counted against tsc during its window against";
	timer_ref = NULL; /* tsc_source, set once this returns */
	timer_window_us = dt * 1000 / tsc_khz_measured;
	return timer_hz;
}

uint64_t lapic_timer_calibrate(void)
{
	const struct clocksource *cs = clocksource_current;

	/* TSC-deadline mode counts the TSC, whose rate is known: nothing to
	 * measure (lapic_timer_start uses it whenever this holds). */
	if (!cs || lapic_timer_deadline_usable())
		return 0;
	uint64_t min = cs->hz * CAL_MIN_US / 1000000, max = cs->hz * CAL_MAX_US / 1000000;
	lapic_write(APIC_TDCR, DIVIDE_16);
	timer_hz_counted = !lapic_is_x2apic();
	timer_how = timer_hz_counted ? "counted against" : "one-shot runs against";
	timer_ref = cs->name;
	timer_window_us = 0;
	timer_hz = timer_hz_counted ? calibrate_ccr(cs, min, max) : calibrate_oneshot(cs, min, max);
	return timer_hz;
}

/* TSC counts from now to this CPU's next deadline, 0 if it has passed. */
static uint64_t arm_next(unsigned cpu, bool advance)
{
	uint64_t now = rdtsc();

	if (advance)
		next_deadline[cpu] += deadline_period[cpu];
	/* Fell behind (a long stall): skip ahead rather than storm. */
	if ((int64_t)(next_deadline[cpu] - now) <= 0)
		next_deadline[cpu] = now + deadline_period[cpu];
	return next_deadline[cpu] - now;
}

static void arm_oneshot(uint64_t tsc_counts)
{
	uint64_t hz = tsc_khz * 1000, c = (tsc_counts * timer_hz + hz - 1) / hz; /* not early */

	lapic_write(APIC_TMICT, c ? (c > 0xffffffffu ? 0xffffffffu : (uint32_t)c) : 1);
}

static void tick_handler(struct trap_frame *f, void *data)
{
	unsigned cpu = smp_processor_id();

	if (mode[cpu] == MODE_DEADLINE) {
		arm_next(cpu, true);
		wrmsr(MSR_IA32_TSC_DEADLINE, next_deadline[cpu]);
	} else if (mode[cpu] == MODE_STOPPED) {
		return; /* raised just before the stop: not a tick */
	} else if (mode[cpu] == MODE_ONESHOT) {
		/* Early or late, the next deadline is one period after this
		 * one: with the rate off by a fraction e (< 1) every expiry
		 * comes a steady (e * period - latency) / (1 - e) early, and
		 * the ticks keep the period on average. Re-arming an early
		 * expiry for the rest of the way would cost one more interrupt
		 * latency per tick (measured: 100 ticks at 250 Hz in 560-630
		 * ms under plain TCG, against 400). */
		arm_oneshot(arm_next(cpu, true));
	}
	timer_tick();
}

const char *lapic_timer_start(unsigned hz)
{
	unsigned cpu = smp_processor_id();

	irq_set_handler(VEC_APIC_TIMER, tick_handler, NULL);
	if (!hz) {
		/* Stopped: masked, no count, no deadline (SDM 10.5.4: a zero
		 * initial count or deadline disarms the timer). */
		if (mode[cpu] == MODE_DEADLINE)
			wrmsr(MSR_IA32_TSC_DEADLINE, 0); /* while the LVT still takes it */
		mode[cpu] = MODE_STOPPED;
		lapic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_APIC_TIMER);
		lapic_write(APIC_TMICT, 0);
		return "lapic";
	}
	if (lapic_timer_deadline_usable()) {
		mode[cpu] = MODE_DEADLINE;
		deadline_period[cpu] = tsc_khz * 1000 / hz;
		lapic_write(APIC_LVTT, APIC_TIMER_DEADLINE | VEC_APIC_TIMER);
		/* SDM 10.5.4.1: order the LVT write before the MSR write. */
		__asm__ __volatile__("mfence" ::: "memory");
		next_deadline[cpu] = rdtsc() + deadline_period[cpu];
		wrmsr(MSR_IA32_TSC_DEADLINE, next_deadline[cpu]);
		return "lapic-deadline";
	}
	if (!timer_hz)
		return NULL;
	if (timer_how) {
		const char *ref = timer_ref ? timer_ref : tsc_source;

		printk("apic: timer %llu Hz at divide 16 (%s %s", (unsigned long long)timer_hz,
		       timer_how, ref ? ref : "?");
		if (timer_window_us)
			printk(", %llu us", (unsigned long long)timer_window_us);
		printk(")\n");
		timer_how = NULL; /* once, on the CPU that measured it */
	}
	lapic_write(APIC_TDCR, DIVIDE_16);
	/*
	 * A tick above ONESHOT_MAX_HZ is kernel/smp.c's bring-up tick, there
	 * only to give QEMU's single-threaded -icount loop virtual-timer
	 * deadlines, at which it acts on the APs' STARTUPs. Periodic, the timer
	 * makes those deadlines itself; one-shot, each needs the boot CPU to
	 * run its handler and re-arm, and with 255 APs sharing that loop it
	 * did once in 9 ms (q35 -smp 256, APs up in 9.26 ms against 0.43 ms
	 * periodic). The rate's error only moves a wake-up there.
	 */
	if (oneshot_mode() && hz <= ONESHOT_MAX_HZ) {
		mode[cpu] = MODE_ONESHOT;
		deadline_period[cpu] = tsc_khz * 1000 / hz;
		lapic_write(APIC_LVTT, VEC_APIC_TIMER); /* one-shot */
		next_deadline[cpu] = rdtsc() + deadline_period[cpu];
		arm_oneshot(deadline_period[cpu]);
		return "lapic-oneshot";
	}
	mode[cpu] = MODE_PERIODIC;
	lapic_write(APIC_LVTT, APIC_TIMER_PERIODIC | VEC_APIC_TIMER);
	lapic_write(APIC_TMICT, (uint32_t)(timer_hz / hz));
	return "lapic";
}
