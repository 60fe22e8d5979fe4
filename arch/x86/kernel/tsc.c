// SPDX-License-Identifier: MIT
/* The TSC: its frequency, from CPUID or measured against another clock. */
#include <asm/timers.h>
#include <asm/tsc.h>
#include <asm/cpufeature.h>
#include <asm/paravirt.h>
#include <asm/pvclock.h>

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

uint64_t tsc_calibrate(const struct clocksource *ref, unsigned ms)
{
	uint64_t want = ref->hz * ms / 1000, r0, r1, d;
	unsigned long spins = 0;

	uint64_t t0 = tsc_paired_read(ref->read, &r0);
	do {
		r1 = ref->read();
		d = clocksource_delta(ref, r0, r1);
		if (++spins > 200000000ul || (spins > 1000000ul && !d))
			return 0; /* ref does not move */
	} while (d < want);
	uint64_t t1 = tsc_paired_read(ref->read, &r1);
	d = clocksource_delta(ref, r0, r1);
	return (t1 - t0) * ref->hz / d / 1000;
}
