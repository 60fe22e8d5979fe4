/* SPDX-License-Identifier: MIT */
/*
 * pvclock: the per-vCPU time record that KVM (kvmclock, MSR 0x4b564d01) and
 * Xen (vcpu_time_info in shared_info) both keep in guest memory, same layout.
 * The hypervisor writes it; the guest extrapolates with its own TSC:
 *
 *	ns = system_time + scale(tsc - tsc_timestamp, tsc_to_system_mul, tsc_shift)
 *	scale(d, mul, shift) = ((shift < 0 ? d >> -shift : d << shift) * mul) >> 32
 *
 * An odd version means an update is in progress; a version that changed
 * across the read means the fields may be torn: read again.
 *
 * The math (pvclock_scale, pvclock_ns_at, pvclock_tsc_khz) is pure and
 * host-tested (tests/host/test_pvclock.c); pvclock_read() is the retry loop
 * over a live record, with the TSC read passed in so it is testable too.
 */
#ifndef ASM_PVCLOCK_H
#define ASM_PVCLOCK_H

#include <kernel/compiler.h>

struct pvclock_vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;	    /* ns at tsc_timestamp */
	uint32_t tsc_to_system_mul; /* 32.32 fixed point, after the shift */
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};
_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock record is 32 bytes");

/* flags: the TSC is synchronised across vCPUs, so records never go back
 * relative to each other (KVM honours it only with its CPUID bit 24). */
#define PVCLOCK_TSC_STABLE_BIT (1u << 0)

/* The wall clock at system_time 0 (KVM MSR 0x4b564d00, Xen shared_info). */
struct pvclock_wall_clock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
};

/* ((shift < 0 ? delta >> -shift : delta << shift) * mul) >> 32, over the full
 * 96-bit product: a 64x64->128 multiply on x86_64 (and the host tests), two
 * 32x32->64 ones on i386, no division and no libgcc helper. */
static inline uint64_t pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
#if defined(__x86_64__) && !defined(PVCLOCK_SCALE_32BIT) /* the host tests build both */
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
#else
	uint64_t lo = (uint64_t)(uint32_t)delta * mul;
	uint64_t hi = (uint64_t)(uint32_t)(delta >> 32) * mul;

	return hi + (lo >> 32);
#endif
}

/* arch/x86/kernel/pvclock.c */
/* ns at TSC value tsc, from a consistent copy of the record; a TSC before
 * tsc_timestamp counts as no time elapsed. */
uint64_t pvclock_ns_at(const struct pvclock_vcpu_time_info *r, uint64_t tsc);
/* The TSC frequency the record's mul/shift describe, in kHz; 0 if mul is 0. */
uint64_t pvclock_tsc_khz(uint32_t mul, int8_t shift);
/* The inverse: mul/shift that scale ticks of a khz clock to ns, with mul in
 * [2^31, 2^32) where the shift range allows (relative error below 2^-31).
 * The kernel's own TSC-to-ns conversion uses it (arch/x86/kernel/tsc.c). */
void pvclock_mul_shift_from_khz(uint64_t khz, uint32_t *mul, int8_t *shift);
/* Read ns from a live record: retry while the version is odd or changes.
 * *flags (if not NULL) gets the record's flags. */
uint64_t pvclock_read(const volatile struct pvclock_vcpu_time_info *r, uint64_t (*read_tsc)(void),
		      uint8_t *flags);
/* Read the wall clock record consistently: seconds, nanoseconds. */
void pvclock_read_wall(const volatile struct pvclock_wall_clock *w, uint32_t *sec, uint32_t *nsec);

#endif
