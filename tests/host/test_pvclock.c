// SPDX-License-Identifier: MIT
/* The pvclock arithmetic (arch/x86/kernel/pvclock.c) against values worked
 * out by hand and against a 128-bit reference. */
#include "harness.h"
#include <asm/pvclock.h>

/* Reference: the exact product in 128 bits (host only). */
static uint64_t ref_scale(uint64_t d, uint32_t mul, int shift)
{
	d = shift < 0 ? d >> -shift : d << shift;
	return (uint64_t)(((unsigned __int128)d * mul) >> 32);
}

static uint64_t fake_tsc_value;

static uint64_t fake_tsc(void)
{
	return fake_tsc_value;
}

int main(void)
{
	/* mul 2^31, shift 0: half a ns per tick (a 2 GHz TSC). */
	CHECK_EQ(pvclock_scale(1000, 0x80000000u, 0), 500);
	/* shift +1 doubles first: 1 ns per tick (1 GHz, as under QEMU -icount). */
	CHECK_EQ(pvclock_scale(1000, 0x80000000u, 1), 1000);
	/* shift -1 halves first: 0.25 ns per tick (4 GHz). */
	CHECK_EQ(pvclock_scale(1000, 0x80000000u, -1), 250);
	CHECK_EQ(pvclock_scale(0, 0xffffffffu, 5), 0);
	/* A delta above 2^32 with mul near 2^32: the product needs 96 bits. */
	uint64_t big = 0x0123456789abcdefull;
	CHECK_EQ(pvclock_scale(big, 0xfffffffeu, 0), ref_scale(big, 0xfffffffeu, 0));
	CHECK_EQ(pvclock_scale(big, 0xc5d1b3a7u, -3), ref_scale(big, 0xc5d1b3a7u, -3));
	CHECK_EQ(pvclock_scale(~0ull, 0xffffffffu, 0), ref_scale(~0ull, 0xffffffffu, 0));
	/* Sweep: the split multiply matches the 128-bit one everywhere. */
	unsigned bad = 0;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int sh = (int)(x % 11) - 5;
		uint64_t d = x >> (x % 40);
		if (sh > 0)
			d >>= sh; /* keep the pre-shift in range, as a real delta is */
		if (pvclock_scale(d, (uint32_t)(x >> 20), (int8_t)sh) !=
		    ref_scale(d, (uint32_t)(x >> 20), sh))
			bad++;
	}
	CHECK_EQ(bad, 0);

	/* A record for a 1.25 GHz TSC: mul 0.8 * 2^32, shift 0 (0.8 ns per tick).
	 * 2.5e9 ticks after the stamp: 2 s later. */
	struct pvclock_vcpu_time_info r = {
		.version = 2,
		.tsc_timestamp = 1000000,
		.system_time = 5000000000ull,
		.tsc_to_system_mul = 0xcccccccdu,
		.tsc_shift = 0,
	};
	CHECK_EQ(pvclock_ns_at(&r, 1000000 + 2500000000ull), 7000000000ull);
	CHECK_EQ(pvclock_ns_at(&r, 1000000), 5000000000ull);
	/* A TSC read just before the stamp (another CPU's record): no time, not 2^64. */
	CHECK_EQ(pvclock_ns_at(&r, 999990), 5000000000ull);
	/* tsc_timestamp near the top of the counter: the delta wraps modulo 2^64. */
	r.tsc_timestamp = ~0ull - 99;
	CHECK_EQ(pvclock_ns_at(&r, 150), 5000000000ull + 200);

	/* TSC kHz from mul/shift. */
	CHECK_EQ(pvclock_tsc_khz(0xcccccccdu, 0), 1249999);  /* 1.25 GHz, rounded down */
	CHECK_EQ(pvclock_tsc_khz(0x80000000u, 1), 1000000);  /* 1 GHz */
	CHECK_EQ(pvclock_tsc_khz(0x80000000u, 0), 2000000);  /* 2 GHz */
	CHECK_EQ(pvclock_tsc_khz(0x80000000u, -1), 4000000); /* 4 GHz */
	CHECK_EQ(pvclock_tsc_khz(0xfa000000u, 2), 256000);   /* 0.977 * 4 ns: 256 MHz */
	CHECK_EQ(pvclock_tsc_khz(0, 0), 0);
	/* Round trip: the kHz derived back from the mul a hypervisor would pick
	 * for 2596.064 MHz (mul = 2^32 * 10^6 / kHz at shift 0, twice that at shift -1). */
	uint32_t mul = (uint32_t)((1000000ull << 32) / 2596064);
	uint64_t khz = pvclock_tsc_khz(mul, 0);
	CHECK(khz >= 2596063 && khz <= 2596065);
	mul = (uint32_t)((1000000ull << 33) / 2596064);
	khz = pvclock_tsc_khz(mul, -1);
	CHECK(khz >= 2596063 && khz <= 2596065);

	/* pvclock_read: a consistent record reads straight through. */
	struct pvclock_vcpu_time_info live = {
		.version = 4,
		.tsc_timestamp = 100,
		.system_time = 1000,
		.tsc_to_system_mul = 0x80000000u,
		.tsc_shift = 1,
		.flags = PVCLOCK_TSC_STABLE_BIT,
	};
	uint8_t flags = 0;
	fake_tsc_value = 600;
	CHECK_EQ(pvclock_read(&live, fake_tsc, &flags), 1500);
	CHECK_EQ(flags, PVCLOCK_TSC_STABLE_BIT);

	struct pvclock_wall_clock wc = {.version = 2, .sec = 1700000000, .nsec = 123};
	uint32_t sec, nsec;
	pvclock_read_wall(&wc, &sec, &nsec);
	CHECK_EQ(sec, 1700000000);
	CHECK_EQ(nsec, 123);

	/* pvclock_mul_shift_from_khz, as tsc_to_ns uses it: against the exact
	 * delta * 10^6 / khz, from a 1 MHz clock to a 9 GHz one. */
	static const uint64_t khzs[] = {1,	 1000,	  3579,	   10000,   999999,  1000000,
					1000001, 2100000, 2893437, 3600000, 5000000, 9000000};
	static const uint64_t deltas[] = {0,	      1,	  999,	     1000000, 1000000000ull,
					  3ull << 32, 1ull << 44, 1ull << 52};
	for (unsigned i = 0; i < sizeof(khzs) / sizeof(khzs[0]); i++) {
		uint32_t mul;
		int8_t shift;
		pvclock_mul_shift_from_khz(khzs[i], &mul, &shift);
		CHECK(mul >= 0x80000000u || shift == -8);
		/* Round trip: the rate the pair describes is the one given. */
		uint64_t back = pvclock_tsc_khz(mul, shift);
		CHECK(back >= khzs[i] - (khzs[i] > 1) && back <= khzs[i] + 1);
		for (unsigned j = 0; j < sizeof(deltas) / sizeof(deltas[0]); j++) {
			uint64_t d = deltas[j];
			unsigned __int128 exact = (unsigned __int128)d * 1000000 / khzs[i];
			if (exact >> 63)
				continue; /* beyond 2^63 ns: centuries */
			uint64_t got = pvclock_scale(d, mul, shift), want = (uint64_t)exact;
			uint64_t err = got > want ? got - want : want - got;
			/* mul truncated: below 2^-31 of the result; a negative shift
			 * drops up to 2^-shift ticks, at most 1 ns each here. */
			uint64_t bound = (want >> 30) + 2 + (shift < 0 ? (1u << -shift) : 0);
			if (err > bound)
				printf("khz %llu delta %llu: got %llu want %llu\n",
				       (unsigned long long)khzs[i], (unsigned long long)d,
				       (unsigned long long)got, (unsigned long long)want);
			CHECK(err <= bound);
		}
	}
	uint32_t zmul = 1;
	int8_t zshift = 1;
	pvclock_mul_shift_from_khz(0, &zmul, &zshift);
	CHECK_EQ(zmul, 0);
	return harness_done();
}
