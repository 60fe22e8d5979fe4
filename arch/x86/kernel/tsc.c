// SPDX-License-Identifier: MIT
/* The TSC: its frequency, from CPUID or measured against another clock. */
#include <asm/timers.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>
#include <asm/paravirt.h>
#include <asm/pvclock.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <string.h>

uint64_t tsc_khz;
const char *tsc_source;

static uint64_t tsc_read(void)
{
	return rdtsc();
}

struct clocksource tsc_clocksource = {
	.name = "tsc",
	.read = tsc_read,
	.mask = ~0ull,
	.rating = 300,
};

/* tsc_to_ns's scale (asm/tsc.h). */
uint32_t tsc_ns_mul;
int8_t tsc_ns_shift;

void tsc_set_khz(uint64_t khz, const char *source)
{
	pvclock_mul_shift_from_khz(khz, &tsc_ns_mul, &tsc_ns_shift);
	tsc_khz = khz;
	tsc_source = source;
	tsc_clocksource.hz = khz * 1000;
}

uint64_t tsc_khz_cpuid(const char **source)
{
	struct cpuid_regs r;

	if (boot_cpu.max_leaf >= 0x15) {
		/* TSC = crystal * ebx / eax; only exact when the crystal is given. */
		cpuid(0x15, 0, &r);
		if (r.eax && r.ebx && r.ecx) {
			*source = "cpuid-15";
			return (uint64_t)r.ecx * r.ebx / r.eax / 1000;
		}
	}
	if (boot_cpu.max_leaf >= 0x16) {
		cpuid(0x16, 0, &r);
		if (r.eax & 0xffff) {
			*source = "cpuid-16";
			return (uint64_t)(r.eax & 0xffff) * 1000;
		}
	}
	return 0;
}

uint64_t tsc_paired_read(uint64_t (*read)(void), uint64_t *value)
{
	uint64_t best = ~0ull, at = 0;

	/* Bracket the read with the TSC; the tightest of 5 brackets wins, so a
	 * preemption or a slow emulator exit during one read costs nothing. */
	for (int i = 0; i < 5; i++) {
		uint64_t t0 = rdtsc(), v = read(), t1 = rdtsc();
		if (t1 - t0 < best) {
			best = t1 - t0;
			at = t0 + (t1 - t0) / 2;
			*value = v;
		}
	}
	return at;
}

/*
 * Calibration comes in two steps, as in Linux ("Refined TSC clocksource
 * calibration"): a quick window before ready, then, where one tick of the
 * reference is too coarse for that window, a refinement after ready over all
 * the time since the quick window began. The quick window is final when one
 * reference tick is at most 10 ppm of it: QEMU's 100 MHz HPET in 1 ms (under
 * -icount the measured rate is then within 10 ppm: both clocks count the
 * same instructions and only the HPET's 10 ns step is lost). The PIT (838 ns
 * a tick: 840 ppm in 1 ms), the PM timer (279 ns) and a real 14.3 MHz HPET
 * are refined over REFINE_MS, followed at every tick of CPU 0 so that a
 * counter that wraps (the PIT: every 55 ms) is never lost.
 */
#define QUICK_US     1000
#define QUICK_PPM    10
#define REFINE_MS    200
#define REFINE_LIMIT 100 /* a refined rate more than 1% off is a stall, not the rate: keep quick */

enum { REFINE_NONE, REFINE_RUNNING, REFINE_DONE, REFINE_REFUSED };

static struct {
	const struct clocksource *ref;
	uint64_t t0, r0;   /* TSC and reference at the start of the quick window */
	uint64_t prev;	   /* reference when last read */
	uint64_t acc;	   /* reference counts since r0 */
	uint64_t want;	   /* reference counts to refine over */
	uint64_t quick_us; /* the quick window */
	uint64_t quick_khz, khz;
	bool needed;
	volatile int state;
} refine;

/*
 * Boot work that needs no clock, run once inside the next window instead of
 * after it (tsc_window_work). Only where the reference cannot wrap during
 * the work: a window is the reads at its two ends, whatever runs between
 * them, so the work only makes it longer (and the rate finer), and one wrap
 * (the PIT's 16 bits: every 55 ms) would be lost.
 */
#define WINDOW_WORK_MIN_WRAP_S 1
static void (*window_work)(void);

void tsc_window_work(void (*fn)(void))
{
	window_work = fn;
}

static void run_window_work(const struct clocksource *ref)
{
	void (*fn)(void) = window_work;

	if (fn && ref->hz && ref->mask / ref->hz >= WINDOW_WORK_MIN_WRAP_S) {
		window_work = NULL;
		fn();
	}
}

static uint64_t tsc_calibrate(const struct clocksource *ref, unsigned us)
{
	uint64_t want = ref->hz * us / 1000000, r0, r1, d;
	unsigned long spins = 0;

	uint64_t t0 = tsc_paired_read(ref->read, &r0);
	run_window_work(ref);
	do {
		r1 = ref->read();
		d = clocksource_delta(ref, r0, r1);
		if (++spins > 200000000ul || (spins > 1000000ul && !d))
			return 0; /* ref does not move */
	} while (d < want);
	uint64_t t1 = tsc_paired_read(ref->read, &r1);
	d = clocksource_delta(ref, r0, r1);
	uint64_t khz = (t1 - t0) * ref->hz / d / 1000;
	refine = (typeof(refine)){
		.ref = ref,
		.t0 = t0,
		.r0 = r0,
		.prev = r1,
		.acc = d,
		.want = ref->hz / 1000 * REFINE_MS,
		.quick_us = us,
		.quick_khz = khz,
		.needed = d < 1000000 / QUICK_PPM,
	};
	return khz;
}

uint64_t tsc_calibrate_quick(const struct clocksource *ref)
{
	return tsc_calibrate(ref, QUICK_US);
}

bool tsc_refine_start(void)
{
	if (!refine.ref || !refine.needed || !tsc_source || strcmp(tsc_source, refine.ref->name))
		return false;
	/* Room in tsc_to_ns's scale for the refined rate: one shift more than
	 * the quick rate needs, so that the refined multiplier (a single 32-bit
	 * store, seen whole by every CPU) fits without changing the shift. */
	if (tsc_ns_shift < 31) {
		tsc_ns_shift++;
		tsc_ns_mul = (uint32_t)((1000000ull << (32 - tsc_ns_shift)) / tsc_khz);
	}
	refine.state = REFINE_RUNNING;
	return true;
}

/* CPU 0's timer tick, interrupts off. */
void tsc_refine_tick(void)
{
	const struct clocksource *ref = refine.ref;

	if (refine.state != REFINE_RUNNING)
		return;
	uint64_t r = ref->read();
	refine.acc += clocksource_delta(ref, refine.prev, r);
	refine.prev = r;
	if (refine.acc < refine.want)
		return;
	uint64_t t1 = tsc_paired_read(ref->read, &r);
	refine.acc += clocksource_delta(ref, refine.prev, r);
	uint64_t khz = (t1 - refine.t0) * ref->hz / refine.acc / 1000;
	uint64_t mul = (1000000ull << (32 - tsc_ns_shift)) / khz;
	refine.khz = khz;
	if (khz * REFINE_LIMIT < refine.quick_khz * (REFINE_LIMIT - 1) ||
	    khz * REFINE_LIMIT > refine.quick_khz * (REFINE_LIMIT + 1) || mul > 0xffffffffull) {
		refine.state = REFINE_REFUSED;
		return;
	}
	WRITE_ONCE(tsc_ns_mul, (uint32_t)mul);
	WRITE_ONCE(tsc_khz, khz);
	clocksource_set_hz(&tsc_clocksource, khz * 1000);
	refine.state = REFINE_DONE;
}

const char *tsc_calibration(void)
{
	if (!tsc_khz || !refine.ref || !tsc_source || strcmp(tsc_source, refine.ref->name))
		return tsc_khz ? "given" : NULL;
	return refine.needed ? "quick-refined-after-ready" : "quick";
}

void tsc_refine_report(void)
{
	const char *ref = refine.ref ? refine.ref->name : "?";
	uint64_t k = refine.khz, q = refine.quick_khz;

	switch (refine.state) {
	case REFINE_RUNNING:
		printk("tsc: refinement against %s unfinished (%llu of %u ms); rate stays %llu.%03llu "
		       "MHz from %llu us\n",
		       ref, (unsigned long long)(refine.acc * 1000 / refine.ref->hz), REFINE_MS,
		       (unsigned long long)q / 1000, (unsigned long long)q % 1000,
		       (unsigned long long)refine.quick_us);
		break;
	case REFINE_DONE:
	case REFINE_REFUSED:
		printk("tsc: %s %llu.%03llu MHz against %s over %llu ms (%llu us window said "
		       "%llu.%03llu)\n",
		       refine.state == REFINE_DONE ? "refined to" : "refinement refused: measured",
		       (unsigned long long)k / 1000, (unsigned long long)k % 1000, ref,
		       (unsigned long long)(refine.acc * 1000 / refine.ref->hz),
		       (unsigned long long)refine.quick_us, (unsigned long long)q / 1000,
		       (unsigned long long)q % 1000);
		break;
	default:
		break;
	}
}
