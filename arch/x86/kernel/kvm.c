// SPDX-License-Identifier: MIT
/*
 * KVM's paravirtual devices (include/asm/kvm_para.h): kvmclock, steal time,
 * PV EOI and the PV send-IPI hypercall. Per-CPU areas are static arrays
 * indexed by CPU number: the kernel is identity-mapped, so their addresses
 * are the guest-physical addresses the MSRs want, and the alignment each MSR
 * requires is the arrays' element alignment.
 */
#include <asm/kvm_para.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/paravirt.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <string.h>

static uint32_t base = ~0u, features;

uint32_t kvm_cpuid_base(void)
{
	if (base == ~0u) {
		struct cpuid_regs r;
		base = cpu_hypervisor_base(KVM_SIGNATURE);
		if (base) {
			cpuid(base + 1, 0, &r);
			features = r.eax;
		}
	}
	return base;
}

uint32_t kvm_features(void)
{
	return kvm_cpuid_base() ? features : 0;
}

/* The hypercall is used only to send IPIs, and that only with
 * CONFIG_KVM_PV_SEND_IPI (machines/Kconfig says why it is off by default). */
#ifdef CONFIG_KVM_PV_SEND_IPI
/* Intel's VMX has vmcall, AMD's SVM vmmcall; the other one is #UD on real
 * hardware (KVM may patch it, a software KVM need not). */
static bool use_vmmcall(void)
{
	return !strcmp(boot_cpu.vendor, "AuthenticAMD") || !strcmp(boot_cpu.vendor, "HygonGenuine");
}

const char *kvm_hypercall_insn(void)
{
	return use_vmmcall() ? "vmmcall" : "vmcall";
}

/* The one hypercall site: KVM may rewrite it in place (below). */
__noinline long kvm_hypercall4(unsigned nr, unsigned long a0, unsigned long a1, unsigned long a2,
			       unsigned long a3)
{
	long ret;

	if (use_vmmcall())
		__asm__ __volatile__("kvm_hypercall_vmmcall: vmmcall"
				     : "=a"(ret)
				     : "a"((unsigned long)nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
				     : "memory");
	else
		__asm__ __volatile__("kvm_hypercall_vmcall: vmcall"
				     : "=a"(ret)
				     : "a"((unsigned long)nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3)
				     : "memory");
	return ret;
}

extern const uint8_t kvm_hypercall_vmcall[], kvm_hypercall_vmmcall[];

/*
 * KVM may patch the hypercall instruction in guest memory on its first use
 * (hypercalls.rst: it rewrites the "wrong" vendor's instruction; the kvm_pvm
 * here rewrites vmcall and vmmcall alike). After paging_protect_kernel that
 * write is a page fault in ring 0 on read-only text, so the site is used
 * once while the text is still writable: a PV IPI to nobody, which is
 * harmless (hypercall 10 with an empty bitmap delivers nothing).
 */
void kvm_hypercall_prime(void)
{
	const uint8_t *site = use_vmmcall() ? kvm_hypercall_vmmcall : kvm_hypercall_vmcall;
	uint8_t before[3] = {site[0], site[1], site[2]};
	long ret = kvm_hypercall4(KVM_HC_SEND_IPI, 0, 0, 0, APIC_DM_FIXED | VEC_SPURIOUS);

	printk("kvm: hypercall by %s returned %ld%s (%02x %02x %02x -> %02x %02x %02x)\n",
	       kvm_hypercall_insn(), ret,
	       memcmp(before, site, 3) ? ": the host rewrote the instruction" : "", before[0],
	       before[1], before[2], site[0], site[1], site[2]);
}
#endif

/* ---- kvmclock ---- */

/* msr.rst: the record must not cross a page; 32-byte elements aligned to 32. */
static struct pvclock_vcpu_time_info clock_rec[NR_CPUS] __aligned(32);
static volatile bool clock_on[NR_CPUS];
static struct pvclock_wall_clock wall __aligned(4);
static bool clock_stable;
static spinlock_t last_lock = SPINLOCK_INIT;
static uint64_t last_ns;

static uint64_t read_tsc(void)
{
	return rdtsc();
}

static uint64_t kvmclock_read(void)
{
	unsigned cpu = smp_processor_id();
	uint8_t flags;

	/* An AP reads the boot CPU's record until its own is registered: the
	 * TSC it extrapolates from is the same counter on every vCPU. */
	if (cpu >= NR_CPUS || !clock_on[cpu])
		cpu = 0;
	uint64_t ns = pvclock_read(&clock_rec[cpu], read_tsc, &flags);
	if (clock_stable && (flags & PVCLOCK_TSC_STABLE_BIT))
		return ns;
	/* Without the stable bit the per-CPU records may disagree by a little:
	 * never hand out a time earlier than one already seen (msr.rst). */
	unsigned long f = spin_lock_irqsave(&last_lock);
	if (ns < last_ns)
		ns = last_ns;
	else
		last_ns = ns;
	spin_unlock_irqrestore(&last_lock, f);
	return ns;
}

static struct clocksource kvmclock_cs = {
	.name = "kvmclock",
	.read = kvmclock_read,
	.mask = ~0ull,
	.hz = NSEC_PER_SEC,
	.rating = 400, /* above the TSC: it needs no calibration */
};

void kvmclock_init_cpu(void)
{
	unsigned cpu = smp_processor_id();

	if (!kvm_has(KVM_FEATURE_CLOCKSOURCE2) || cpu >= NR_CPUS)
		return;
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uint64_t)(uintptr_t)&clock_rec[cpu] | KVM_MSR_ENABLED);
	clock_stable = kvm_has(KVM_FEATURE_CLOCKSOURCE_STABLE);
	__atomic_store_n(&clock_on[cpu], true, __ATOMIC_RELEASE);
}

const struct clocksource *kvmclock_clocksource(void)
{
	return clock_on[0] ? &kvmclock_cs : NULL;
}

const volatile struct pvclock_vcpu_time_info *kvmclock_record(unsigned cpu)
{
	return cpu < NR_CPUS && clock_on[cpu] ? &clock_rec[cpu] : NULL;
}

bool kvmclock_stable(void)
{
	return clock_on[0] && clock_stable && (clock_rec[0].flags & PVCLOCK_TSC_STABLE_BIT);
}

int64_t kvmclock_wallclock(void)
{
	uint32_t sec, nsec;

	if (!kvm_has(KVM_FEATURE_CLOCKSOURCE2) || !clock_on[0])
		return -1;
	/* The host fills the record at the write: wall time at kvmclock 0. */
	wrmsr(MSR_KVM_WALL_CLOCK_NEW, (uint64_t)(uintptr_t)&wall);
	pvclock_read_wall(&wall, &sec, &nsec);
	uint64_t now = kvmclock_read() + nsec;
	return (int64_t)sec + (int64_t)(now / NSEC_PER_SEC);
}

/* ---- steal time ---- */

static struct kvm_steal_time steal[NR_CPUS] __aligned(64);
static volatile bool steal_on[NR_CPUS];

void kvm_steal_time_init_cpu(void)
{
	unsigned cpu = smp_processor_id();

	if (!kvm_has(KVM_FEATURE_STEAL_TIME) || cpu >= NR_CPUS)
		return;
	wrmsr(MSR_KVM_STEAL_TIME, (uint64_t)(uintptr_t)&steal[cpu] | KVM_MSR_ENABLED);
	__atomic_store_n(&steal_on[cpu], true, __ATOMIC_RELEASE);
}

bool kvm_steal_time_read(unsigned cpu, uint64_t *ns, uint32_t *version)
{
	const volatile struct kvm_steal_time *s = &steal[cpu];
	uint32_t v;

	if (cpu >= NR_CPUS || !steal_on[cpu])
		return false;
	do {
		v = s->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		*ns = s->steal;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != s->version);
	*version = v;
	return true;
}

/* ---- PV EOI ---- */

/* msr.rst: bit 0 set by the host means "this interrupt needs no APIC EOI";
 * the guest clears it atomically, and if it was set, skips the EOI. */
static uint32_t eoi_word[NR_CPUS] __aligned(4);
static volatile bool eoi_on[NR_CPUS];
static uint64_t eoi_skipped[NR_CPUS], eoi_done[NR_CPUS];

void kvm_pv_eoi_init_cpu(void)
{
	unsigned cpu = smp_processor_id();

	if (!kvm_has(KVM_FEATURE_PV_EOI) || cpu >= NR_CPUS || apic_get_mode() == APIC_MODE_NONE)
		return;
	eoi_word[cpu] = 0; /* must be zero when enabled */
	wrmsr(MSR_KVM_PV_EOI_EN, (uint64_t)(uintptr_t)&eoi_word[cpu] | KVM_MSR_ENABLED);
	eoi_on[cpu] = true;
}

bool kvm_pv_eoi_enabled(unsigned cpu)
{
	return cpu < NR_CPUS && eoi_on[cpu];
}

void kvm_irq_eoi(unsigned vector)
{
	unsigned cpu = smp_processor_id();

	if (cpu < NR_CPUS && eoi_on[cpu] &&
	    (__atomic_fetch_and(&eoi_word[cpu], ~1u, __ATOMIC_SEQ_CST) & 1)) {
		eoi_skipped[cpu]++;
		return;
	}
	if (cpu < NR_CPUS)
		eoi_done[cpu]++;
	lapic_eoi();
}

void kvm_pv_eoi_counts(uint64_t *skipped, uint64_t *done)
{
	*skipped = *done = 0;
	for (unsigned c = 0; c < NR_CPUS; c++) {
		*skipped += READ_ONCE(eoi_skipped[c]);
		*done += READ_ONCE(eoi_done[c]);
	}
}

#ifdef CONFIG_KVM_PV_SEND_IPI
/* ---- PV send-IPI ---- */

#define IPI_WINDOW (2 * 8 * sizeof(unsigned long)) /* two bitmap words per call */

bool kvm_send_ipi_allbutself(unsigned vector)
{
	unsigned self = smp_processor_id();
	unsigned long map[2];
	uint32_t min = 0;
	bool pending = false, ok = true;

	if (!kvm_has(KVM_FEATURE_PV_SEND_IPI))
		return false;
	/* hypercalls.rst: a0/a1 are a bitmap of APIC ids from a2 up, a3 the ICR
	 * low word. CPUs are walked in order; a CPU outside the current window
	 * flushes it and starts a new one at its id. */
	for (unsigned c = 0; c < NR_CPUS; c++) {
		if (c == self || !cpu_online(c))
			continue;
		uint32_t id = percpu[c]->apic_id;
		if (pending && (id < min || id - min >= IPI_WINDOW)) {
			if (kvm_hypercall4(KVM_HC_SEND_IPI, map[0], map[1], min,
					   vector | APIC_DM_FIXED) < 0)
				ok = false;
			pending = false;
		}
		if (!pending) {
			map[0] = map[1] = 0;
			min = id;
			pending = true;
		}
		uint32_t bit = id - min;
		map[bit / (8 * sizeof(unsigned long))] |= 1ul
							  << (bit % (8 * sizeof(unsigned long)));
	}
	if (pending &&
	    kvm_hypercall4(KVM_HC_SEND_IPI, map[0], map[1], min, vector | APIC_DM_FIXED) < 0)
		ok = false;
	return ok;
}
#endif
