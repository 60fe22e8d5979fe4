/* SPDX-License-Identifier: MIT */
/*
 * Time: clocksources (free-running counters to read time from) and
 * clockevents (per-CPU timers that interrupt). Drivers describe what they
 * have; the machine entry picks which to use (kernel/time.c holds them).
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/compiler.h>

#define NSEC_PER_SEC 1000000000ull

struct clocksource {
	const char *name;	/* "tsc", "hpet", "pmtimer", "pit", "kvmclock", "xen" */
	uint64_t (*read)(void); /* counts up; wraps at mask */
	uint64_t mask;		/* counter width: (1 << bits) - 1 */
	uint64_t hz;		/* counts per second */
	int rating;		/* higher is preferred when several exist */
};

/* Elapsed counts between two reads, across one wrap. */
static inline uint64_t clocksource_delta(const struct clocksource *cs, uint64_t a, uint64_t b)
{
	return (b - a) & cs->mask;
}

struct clockevent {
	const char *name; /* "lapic", "lapic-deadline", "pit", "hpet", "xen-timer" */
	/* Program this CPU's timer; the handler runs at every expiry. */
	int (*set_periodic)(unsigned hz);
	int (*set_oneshot)(uint64_t ns);
	void (*stop)(void);
};

/* kernel/time.c */
void clocksource_register(const struct clocksource *cs);
/* The best registered clocksource, or the one named by clock=NAME. */
const struct clocksource *clocksource_select(const char *prefer);
const struct clocksource *clocksource_get(const char *name);
extern const struct clocksource *clocksource_current;
uint64_t clock_ns(void); /* ns since clocksource_select() */
/* Change cs's rate (a refined TSC): clock_ns goes on from where it is. */
void clocksource_set_hz(struct clocksource *cs, uint64_t hz);
void udelay(unsigned long us);
void mdelay(unsigned long ms);

/* ns since boot from the TSC (0 without one): a pvop (SCHED_CLOCK). */
#ifdef CONFIG_PARAVIRT
#include <asm/paravirt.h>
PV_REGPARM uint64_t native_sched_clock(void);
static inline uint64_t sched_clock(void)
{
	return PV_CALL0(PV_SCHED_CLOCK);
}
#else
#ifndef PV_REGPARM
#define PV_REGPARM
#endif
uint64_t native_sched_clock(void);
#define sched_clock() native_sched_clock()
#endif

/* The tick: clockevent handlers call timer_tick() on their CPU. */
void timer_tick(void);
uint64_t timer_ticks(unsigned cpu);
extern const struct clockevent *clockevent_current;

#endif
