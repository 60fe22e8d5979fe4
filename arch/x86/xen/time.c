// SPDX-License-Identifier: MIT
/*
 * Xen system time: shared_info mapped over one of our pages, and each
 * vCPU's vcpu_time_info (the pvclock record): ns = system_time +
 * scale(tsc - tsc_timestamp) with scale = (d << shift or >> -shift) * mul
 * / 2^32. Xen rewrites a record rarely, so a read extrapolates with rdtsc;
 * an odd or changed version means it was caught mid-update: read again.
 * The record is the pvclock one: arch/x86/kernel/pvclock.c does the math
 * for Xen and kvmclock alike.
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/cpu.h>
#include <asm/pvclock.h>
#include <asm/tsc.h>
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

#ifdef CONFIG_MACHINE_XEN_PV
/* Classic PV: no physmap to add it to; map the machine frame start_info
 * names over the same page instead (its own frame is given up). */
int xen_shared_info_map_pv(uint64_t maddr)
{
	uint64_t pte = (maddr & ~0xfffull) | 0x3 /* P, W */ | (1ull << 63) /* NX */;

	if (xen_hc_update_va_mapping((unsigned long)shared_page, pte, UVMF_INVLPG) < 0)
		return -1;
	xen_shared_info = (struct xen_shared_info *)shared_page;
	return 0;
}
#endif

static unsigned this_vcpu(void)
{
	unsigned cpu = smp_processor_id();

	if (!vcpu_of[cpu])
		vcpu_of[cpu] = xen_this_vcpu() + 1;
	return vcpu_of[cpu] - 1;
}

static uint64_t read_tsc(void)
{
	return rdtsc();
}

/* This vCPU's vcpu_info: where it registered it (classic PV: in its percpu
 * area), else its legacy slot in shared_info. */
struct xen_vcpu_info *xen_vcpu_info_this(void)
{
	struct xen_vcpu_info *vi = this_cpu()->hv_irq_state;
	unsigned v = this_vcpu();

	return vi ? vi : &xen_shared_info->vcpu_info[v < XEN_LEGACY_MAX_VCPUS ? v : 0];
}

uint64_t xen_clock_ns(void)
{
	const volatile struct xen_vcpu_time_info *t = &xen_vcpu_info_this()->time;

	/* Xen's vcpu_time_info is the pvclock record (shared with kvmclock). */
	return pvclock_read((const volatile struct pvclock_vcpu_time_info *)t, read_tsc, NULL);
}

uint64_t xen_tsc_khz(void)
{
	if (!xen_shared_info)
		return 0;
	const struct xen_vcpu_info *vi = percpu[0] && percpu[0]->hv_irq_state
						 ? percpu[0]->hv_irq_state
						 : &xen_shared_info->vcpu_info[0];
	const volatile struct xen_vcpu_time_info *t = &vi->time;

	return pvclock_tsc_khz(t->tsc_to_system_mul, t->tsc_shift);
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

/* The same clock under the name a classic PV guest reports (machines/xen-pv.c). */
const struct clocksource xen_pv_clocksource = {
	.name = "pvclock",
	.read = xen_cs_read,
	.mask = ~0ull,
	.hz = NSEC_PER_SEC,
	.rating = 400,
};

/* Seconds since 1970: shared_info's wallclock at system time 0, plus now. */
int64_t xen_wallclock(void)
{
	const volatile struct xen_shared_info *s = xen_shared_info;
	uint32_t v, sec, nsec;

	if (!s)
		return -1;
	do {
		v = s->wc_version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		sec = s->wc_sec;
		nsec = s->wc_nsec;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != s->wc_version);
	if (!sec)
		return -1;
	return (int64_t)sec + (int64_t)((nsec + xen_clock_ns()) / NSEC_PER_SEC);
}
