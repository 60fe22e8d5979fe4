// SPDX-License-Identifier: MIT
/*
 * The local APIC timer as each CPU's tick. Periodic mode counts the bus
 * clock divided by 16; its rate is measured once against the clocksource.
 * Where the CPU has TSC-deadline mode and the TSC rate is known, the tick
 * is a deadline re-armed at every expiry instead.
 */
#include <asm/apic.h>
#include <asm/tsc.h>
#include <asm/timers.h>
#include <asm/trap.h>
#include <asm/cpufeature.h>
#include <asm/paravirt.h>
#include <kernel/time.h>
#include <kernel/percpu.h>

#define DIVIDE_16 0x3

static uint64_t timer_hz; /* APIC timer counts per second at divide 16 */
static bool use_deadline;
static uint64_t deadline_period[NR_CPUS]; /* TSC counts per tick, per CPU */
static uint64_t next_deadline[NR_CPUS];

uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

static uint64_t read_ccr(void)
{
	return lapic_read(APIC_TMCCT);
}

/*
 * Count the APIC timer against the clocksource until both have moved far
 * enough for 0.05%: at least 250 us and 2000 timer counts (QEMU's 62.5 MHz
 * timer needs the 250 us; a slower one takes longer), at most 10 ms. The
 * tick needs 1%. Against the TSC each end is a bracketed read
 * (tsc_paired_read): under -icount exact, on hardware good to ~1 us.
 */
#define CAL_MIN_US     250
#define CAL_MIN_COUNTS 2000
#define CAL_MAX_US     10000

uint64_t lapic_timer_calibrate(void)
{
	const struct clocksource *cs = clocksource_current;
	uint64_t a0, a1;

	if (!cs)
		return 0;
	lapic_write(APIC_TDCR, DIVIDE_16);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_APIC_TIMER);
	lapic_write(APIC_TMICT, 0xffffffffu);
	uint64_t min = cs->hz * CAL_MIN_US / 1000000, max = cs->hz * CAL_MAX_US / 1000000;
	if (cs == &tsc_clocksource) {
		uint64_t t0 = tsc_paired_read(read_ccr, &a0), t1;
		do {
			while (rdtsc() - t0 < min)
				cpu_relax();
			t1 = tsc_paired_read(read_ccr, &a1);
			min += min / 2;
		} while (a0 - a1 < CAL_MIN_COUNTS && t1 - t0 < max);
		timer_hz = (a0 - a1) * cs->hz / (t1 - t0);
	} else {
		uint64_t c0 = cs->read(), d;
		a0 = read_ccr();
		do {
			d = clocksource_delta(cs, c0, cs->read());
			a1 = read_ccr();
		} while ((d < min || a0 - a1 < CAL_MIN_COUNTS) && d < max);
		timer_hz = (a0 - a1) * cs->hz / d;
	}
	lapic_write(APIC_TMICT, 0);
	return timer_hz;
}

static void tick_handler(struct trap_frame *f, void *data)
{
	if (use_deadline) {
		unsigned cpu = smp_processor_id();
		next_deadline[cpu] += deadline_period[cpu];
		uint64_t now = rdtsc();
		/* Fell behind (a long stall): skip ahead rather than storm. */
		if ((int64_t)(next_deadline[cpu] - now) < 0)
			next_deadline[cpu] = now + deadline_period[cpu];
		wrmsr(MSR_IA32_TSC_DEADLINE, next_deadline[cpu]);
	}
	timer_tick();
}

const char *lapic_timer_start(unsigned hz)
{
	irq_set_handler(VEC_APIC_TIMER, tick_handler, NULL);
	use_deadline = cpu_has(X86_FEATURE_TSC_DEADLINE) && tsc_khz;
	if (use_deadline) {
		unsigned cpu = smp_processor_id();
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
	lapic_write(APIC_TDCR, DIVIDE_16);
	lapic_write(APIC_LVTT, APIC_TIMER_PERIODIC | VEC_APIC_TIMER);
	lapic_write(APIC_TMICT, (uint32_t)(timer_hz / hz));
	return "lapic";
}
