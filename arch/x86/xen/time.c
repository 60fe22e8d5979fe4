// SPDX-License-Identifier: MIT
/*
 * Xen system time: shared_info mapped over one of our pages, and each
 * vCPU's vcpu_time_info (the pvclock record): ns = system_time +
 * scale(tsc - tsc_timestamp) with scale = (d << shift or >> -shift) * mul
 * / 2^32. Xen rewrites a record rarely, so a read extrapolates with rdtsc;
 * an odd or changed version means it was caught mid-update: read again.
 * (A minimal private pvclock: no shared pvclock helper existed here.)
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/cpu.h>
#include <kernel/percpu.h>
#include <kernel/time.h>

static uint8_t shared_page[4096] __aligned(4096);
struct xen_shared_info *xen_shared_info;

/* vCPU id per logical CPU, plus one (0 = not asked yet). */
static uint32_t vcpu_of[NR_CPUS];

int xen_shared_info_map(void)
{
	struct xen_add_to_physmap x = {
		.domid = XEN_DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (uintptr_t)shared_page >> 12,
	};

	if (xen_hc_memory_op(XENMEM_add_to_physmap, &x) < 0)
		return -1;
	xen_shared_info = (struct xen_shared_info *)shared_page;
	return 0;
}

static unsigned this_vcpu(void)
{
	unsigned cpu = smp_processor_id();

	if (!vcpu_of[cpu])
		vcpu_of[cpu] = xen_this_vcpu() + 1;
	return vcpu_of[cpu] - 1;
}

/* (delta * mul) >> 32 without a 128-bit type: i386 has none. */
static uint64_t mul_frac(uint64_t delta, uint32_t mul)
{
	uint64_t lo = (delta & 0xffffffffu) * mul, hi = (delta >> 32) * mul;

	return hi + (lo >> 32);
}

static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return mul_frac(delta, mul);
}

uint64_t xen_clock_ns(void)
{
	unsigned v = this_vcpu();
	const volatile struct xen_vcpu_time_info *t =
		&xen_shared_info->vcpu_info[v < XEN_LEGACY_MAX_VCPUS ? v : 0].time;
	uint32_t ver;
	uint64_t ns;

	do {
		ver = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		/* tsc_timestamp may be ahead of a TSC read on another path, and
		 * wraps: the difference is taken modulo 2^64. */
		uint64_t d = rdtsc() - t->tsc_timestamp;
		ns = t->system_time + scale(d, t->tsc_to_system_mul, t->tsc_shift);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((ver & 1) || ver != t->version);
	return ns;
}

/* ns = tsc * 2^shift * mul / 2^32, so Hz = 10^9 * 2^32 / (mul * 2^shift). */
uint64_t xen_tsc_khz(void)
{
	if (!xen_shared_info)
		return 0;
	const volatile struct xen_vcpu_time_info *t = &xen_shared_info->vcpu_info[0].time;
	uint32_t mul = t->tsc_to_system_mul;
	int8_t shift = t->tsc_shift;

	if (!mul)
		return 0;
	uint64_t khz = (1000000ull << 32) / mul;
	return shift >= 0 ? khz >> shift : khz << -shift;
}

static uint64_t xen_cs_read(void)
{
	return xen_clock_ns();
}

const struct clocksource xen_clocksource = {
	.name = "xen",
	.read = xen_cs_read,
	.mask = ~0ull,
	.hz = NSEC_PER_SEC,
	.rating = 400, /* above the TSC: it is Xen's own time, the same on every vCPU */
};
