// SPDX-License-Identifier: MIT
/*
 * pvclock arithmetic (include/asm/pvclock.h). Hypervisor-neutral: kvmclock
 * and Xen's vcpu_time_info share it; pvclock_scale itself is inline in the
 * header (tsc_to_ns uses it on every timestamp).
 */
#include <asm/pvclock.h>

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

void pvclock_mul_shift_from_khz(uint64_t khz, uint32_t *mul, int8_t *shift)
{
	/* ns per tick = 10^6 / khz = mul / 2^32 * 2^shift: mul = (10^6 << (32 -
	 * shift)) / khz. The smallest shift whose mul fits 32 bits keeps the most
	 * bits of mul. From -8 (256 GHz) the numerator still fits 64 bits. */
	int s = -8;
	uint64_t m = 0;

	if (!khz) {
		*mul = 0;
		*shift = 0;
		return;
	}
	for (; s < 31; s++) {
		m = (1000000ull << (32 - s)) / khz;
		if (m <= 0xffffffffull)
			break;
	}
	*mul = (uint32_t)(m > 0xffffffffull ? 0xffffffffull : m);
	*shift = (int8_t)s;
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
