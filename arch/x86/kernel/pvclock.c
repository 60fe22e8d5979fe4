// SPDX-License-Identifier: MIT
/*
 * pvclock arithmetic (include/asm/pvclock.h). Hypervisor-neutral: kvmclock
 * and Xen's vcpu_time_info share it. No 64x64 multiply or 128-bit type, so
 * that i386 builds it without libgcc helpers beyond 64-bit division.
 */
#include <asm/pvclock.h>

/* (d * mul) >> 32 over the full 96-bit product, from 32-bit halves. */
static uint64_t mul_u64_u32_shr32(uint64_t d, uint32_t mul)
{
	uint64_t lo = (uint64_t)(uint32_t)d * mul;
	uint64_t hi = (d >> 32) * mul;

	return hi + (lo >> 32);
}

uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return mul_u64_u32_shr32(delta, mul);
}

uint64_t pvclock_ns_at(const struct pvclock_vcpu_time_info *r, uint64_t tsc)
{
	/* tsc_timestamp may sit near 2^64: the difference is taken modulo 2^64,
	 * and one that reads as negative (a TSC sampled before the record was
	 * written, on another CPU's slightly earlier clock) counts as zero. */
	uint64_t delta = tsc - r->tsc_timestamp;

	if ((int64_t)delta < 0)
		delta = 0;
	return r->system_time + pvclock_scale(delta, r->tsc_to_system_mul, r->tsc_shift);
}

uint64_t pvclock_tsc_khz(uint32_t mul, int8_t shift)
{
	/* 1 TSC tick = mul / 2^32 * 2^shift ns, so kHz = 10^6 * 2^32 / mul / 2^shift. */
	uint64_t khz;

	if (!mul)
		return 0;
	khz = (1000000ull << 32) / mul;
	if (shift < 0)
		khz <<= -shift;
	else
		khz >>= shift;
	return khz;
}

uint64_t pvclock_read(const volatile struct pvclock_vcpu_time_info *r, uint64_t (*read_tsc)(void),
		      uint8_t *flags)
{
	struct pvclock_vcpu_time_info copy;
	uint32_t v;

	do {
		v = r->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		copy.tsc_timestamp = r->tsc_timestamp;
		copy.system_time = r->system_time;
		copy.tsc_to_system_mul = r->tsc_to_system_mul;
		copy.tsc_shift = r->tsc_shift;
		copy.flags = r->flags;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != r->version);
	if (flags)
		*flags = copy.flags;
	/* The TSC is read after the copy: a record updated since only moves
	 * tsc_timestamp forward, which the next read will see. */
	return pvclock_ns_at(&copy, read_tsc());
}

void pvclock_read_wall(const volatile struct pvclock_wall_clock *w, uint32_t *sec, uint32_t *nsec)
{
	uint32_t v;

	do {
		v = w->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		*sec = w->sec;
		*nsec = w->nsec;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != w->version);
}
