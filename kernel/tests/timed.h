/* SPDX-License-Identifier: MIT */
/*
 * Timed tests under real-time emulation (docs/testing.md): a vCPU the host
 * does not run loses or merges interrupts, so one measurement can be
 * disturbed without anything being wrong. The tests record the reference
 * time of every event, and judge the period from the intervals:
 *   - most intervals (>= half) agree with their median within 10%: the
 *     period is their mean, and off by more than the tolerance is a failure
 *     whatever else happened (a wrong divisor shifts every interval);
 *   - fewer agree: the measurement is disturbed;
 *   - the period is right but events are missing overall: disturbed too.
 * Any measurement that passes ends the test. Otherwise it is repeated up to
 * TIMED_ATTEMPTS times: TIMED_FAILS or more wrong ones fail the test (a wrong
 * divisor is wrong every time; a descheduled vCPU that merged every other
 * interrupt looks wrong once in a while), fewer make it a skip with the
 * evidence. Under -icount nothing is ever disturbed: one attempt decides.
 */
#ifndef KERNEL_TESTS_TIMED_H
#define KERNEL_TESTS_TIMED_H

#include <kernel/compiler.h>

#define TIMED_ATTEMPTS 5
#define TIMED_FAILS    3
#define TIMED_MAX      128

struct timed_stats {
	unsigned n;	    /* intervals */
	unsigned clean;	    /* within 10% of the median */
	uint64_t median_ns; /* of all intervals */
	uint64_t mean_ns;   /* of the clean ones */
};

/* Intervals between successive stamps t[0..count). */
static inline void timed_stats(const uint64_t *t, unsigned count, struct timed_stats *s)
{
	uint64_t d[TIMED_MAX];
	unsigned n = count > 1 ? count - 1 : 0;
	uint64_t sum = 0;

	*s = (struct timed_stats){.n = n};
	if (n > TIMED_MAX)
		n = s->n = TIMED_MAX;
	for (unsigned i = 0; i < n; i++)
		d[i] = t[i + 1] - t[i];
	for (unsigned i = 1; i < n; i++) /* insertion sort: n <= 128 */
		for (unsigned j = i; j && d[j - 1] > d[j]; j--) {
			uint64_t x = d[j];
			d[j] = d[j - 1];
			d[j - 1] = x;
		}
	if (!n)
		return;
	s->median_ns = d[n / 2];
	for (unsigned i = 0; i < n; i++) {
		if (d[i] * 10 >= s->median_ns * 9 && d[i] * 10 <= s->median_ns * 11) {
			s->clean++;
			sum += d[i];
		}
	}
	s->mean_ns = s->clean ? sum / s->clean : 0;
}

/* off by more than pct percent? */
static inline bool timed_off(uint64_t got, uint64_t want, unsigned pct)
{
	return got * 100 < want * (100 - pct) || got * 100 > want * (100 + pct);
}

#endif
