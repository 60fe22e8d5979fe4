// SPDX-License-Identifier: MIT
/*
 * The VMI ROM's C-convention entries (include/vmi.h): init, the TSC rate,
 * local APIC access and EOI, and the clock. Built twice: the native flavour
 * (TSC and the APIC as they are) and, with VMI_ROM_KVM, a flavour that uses
 * kvmclock and PV EOI when CPUID shows KVM offering them and otherwise
 * behaves as the native one.
 *
 * The code runs wherever the BIOS put the ROM and the ROM is read-only: no
 * writable globals, no absolute addresses (the Makefile refuses objects
 * with relocations other than PC-relative ones). State lives in the per-CPU
 * data the kernel gives INIT and publishes at %gs:VMI_PERCPU_DATA_OFFSET.
 */
#include <stdbool.h>
#include <vmi.h>
#include "rom.h"

typedef uint32_t u32;
typedef uint64_t u64;

#define MSR_APIC_BASE	 0x1b
#define APIC_BASE_X2APIC (1u << 10)
#define X2APIC_MSR_BASE	 0x800
#define APIC_EOI	 0xb0
/* KVM's paravirtual MSRs and CPUID (KVM's documented ABI, cpuid.rst/msr.rst). */
#define KVM_CPUID_SIGNATURE  0x40000000
#define KVM_CPUID_FEATURES   0x40000001
#define KVM_FEATURE_CLOCK2   3
#define KVM_FEATURE_PV_EOI   6
#define MSR_KVM_SYSTEM_TIME2 0x4b564d01
#define MSR_KVM_PV_EOI_EN    0x4b564d04
#define PVCLOCK_STABLE	     (1u << 0)

/* What INIT may offer; the rest depends on the CPU. */
#define E(x) (1u << VMI_E_##x)
#define ENTRIES_ALWAYS                                                                             \
	(E(INIT) | E(IRQ_DISABLE) | E(IRQ_ENABLE) | E(SAVE_FL) | E(RESTORE_FL) | E(SAFE_HALT) |    \
	 E(HALT) | E(READ_CR0) | E(WRITE_CR0) | E(READ_CR2) | E(READ_CR3) | E(WRITE_CR3) |         \
	 E(READ_CR4) | E(WRITE_CR4) | E(FLUSH_TLB_ONE))
#define ENTRIES_APIC  (E(APIC_READ) | E(APIC_WRITE) | E(APIC_EOI))
#define ENTRIES_CLOCK (E(TSC_KHZ) | E(SCHED_CLOCK))

#ifdef __x86_64__
#define CCONV
#else
#define CCONV __attribute__((regparm(3)))
#endif
#define ROM_ENTRY CCONV __attribute__((used, visibility("hidden")))

static inline struct rom_data *rom_data(void)
{
	struct rom_data *d;

	__asm__ __volatile__("mov %%gs:%c1, %0" : "=r"(d) : "i"(VMI_PERCPU_DATA_OFFSET));
	return d;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(unsigned short port, unsigned char v)
{
	__asm__ __volatile__("outb %0, %1" ::"a"(v), "Nd"(port));
}

/* n / d where the quotient fits 32 bits (n >> 32 < d): one divl, no libgcc. */
static inline u32 div_u64_u32(u64 n, u32 d)
{
	u32 q, r;

	__asm__("divl %4" : "=a"(q), "=d"(r) : "a"((u32)n), "d"((u32)(n >> 32)), "rm"(d));
	return q;
}

/* (a * m) >> shift for 1 <= shift <= 32, through a 96-bit product. */
static inline u64 mul_shr(u64 a, u32 m, unsigned shift)
{
	u64 lo = (u64)(u32)a * m, hi = (a >> 32) * m;

	return (hi << (32 - shift)) + (lo >> shift);
}

/* i386: CPUID exists iff EFLAGS.ID (bit 21) can be toggled (the 486 floor). */
static bool has_cpuid(void)
{
#ifdef __x86_64__
	return true;
#else
	u32 a, b;

	__asm__ __volatile__("pushfl\n\tpopl %0\n\tmovl %0, %1\n\txorl $0x200000, %0\n\t"
			     "pushl %0\n\tpopfl\n\tpushfl\n\tpopl %0\n\tpushl %1\n\tpopfl"
			     : "=&r"(a), "=&r"(b));
	return (a ^ b) & 0x200000;
#endif
}

/* PIT channel 2 counting 11932 ticks of 1.193182 MHz (10 ms) in mode 0, its
 * gate opened through port 0x61 and its output read back there (bit 5). */
static u32 pit_calibrate(void)
{
	const u32 count = 11932;
	unsigned char p = inb(0x61);
	u64 t0, t1;
	u32 spins = 0;

	outb(0x61, (p & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		if (++spins == 0x4000000)
			return 0; /* no PIT */
	t1 = rdtsc();
	outb(0x61, p);
	u64 delta = t1 - t0;
	if (delta >> 32)
		return 0;
	/* kHz = delta / (count / 1193182 s) / 1000 */
	return div_u64_u32(delta * 1193182u, count * 1000u);
}

static u32 tsc_khz_measure(u32 max_leaf)
{
	u32 a, b, c, d;

	if (max_leaf >= 0x15) {
		cpuid(0x15, &a, &b, &c, &d);
		if (a && b && c)
			return div_u64_u32((u64)c * b, a) / 1000;
	}
	if (max_leaf >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);
		if (a & 0xffff)
			return (a & 0xffff) * 1000;
	}
	return pit_calibrate();
}

#ifdef VMI_ROM_KVM
static u32 kvm_features(void)
{
	u32 a, b, c, d;

	cpuid(KVM_CPUID_SIGNATURE, &a, &b, &c, &d);
	/* "KVMKVMKVM\0\0\0" */
	if (b != 0x4b4d564b || c != 0x564b4d56 || d != 0x4d || a < KVM_CPUID_FEATURES)
		return 0;
	cpuid(KVM_CPUID_FEATURES, &a, &b, &c, &d);
	return a;
}

static u64 pvclock_ns(const volatile struct rom_pvclock *p)
{
	u32 v;
	u64 ns;

	do {
		v = p->version;
		__asm__ __volatile__("" ::: "memory");
		u64 delta = rdtsc() - p->tsc_timestamp;
		int8_t shift = p->tsc_shift;
		delta = shift < 0 ? delta >> -shift : delta << shift;
		ns = p->system_time + mul_shr(delta, p->tsc_to_system_mul, 32);
		__asm__ __volatile__("" ::: "memory");
	} while ((v & 1) || v != p->version);
	return ns;
}

/* kHz = 10^6 * 2^32 / mul, scaled back by the shift. */
static u32 pvclock_khz(const volatile struct rom_pvclock *p)
{
	u32 mul = p->tsc_to_system_mul;
	int8_t shift = p->tsc_shift;

	if (mul <= 1000000u)
		return 0;
	u64 khz = div_u64_u32((u64)1000000u << 32, mul);
	return (u32)(shift < 0 ? khz << -shift : khz >> shift);
}

static void kvm_init(struct rom_data *d, const struct rom_data *boot)
{
	u32 f = kvm_features();

	if (f & (1u << KVM_FEATURE_CLOCK2)) {
		wrmsr(MSR_KVM_SYSTEM_TIME2, (uintptr_t)&d->clock | 1);
		if (d->clock.version && d->clock.tsc_to_system_mul) {
			d->flags |= ROM_F_KVMCLOCK;
			d->ns0 = boot ? boot->ns0 : pvclock_ns(&d->clock);
			if (!boot)
				d->khz = pvclock_khz(&d->clock);
		} else {
			wrmsr(MSR_KVM_SYSTEM_TIME2, 0);
		}
	}
	if (f & (1u << KVM_FEATURE_PV_EOI)) {
		d->eoi_word = 0;
		wrmsr(MSR_KVM_PV_EOI_EN, (uintptr_t)&d->eoi_word | 1);
		d->flags |= ROM_F_PV_EOI;
	}
}
#endif

ROM_ENTRY u32 vmi_init(void *data, u32 size, const void *boot_data)
{
	struct rom_data *d = data;
	const struct rom_data *boot = boot_data;
	u32 entries = ENTRIES_ALWAYS, max_leaf = 0, a, b, c, edx = 0;

#ifdef VMI_ROM_HOSTILE_FAULT
	/* Page 0, which the kernel leaves unmapped: a page fault inside INIT. */
	__asm__ __volatile__("movl $0, 0x10" ::: "memory");
#endif
	if (!d || size < sizeof(*d) || ((uintptr_t)d & 63))
		return 0;
	if (has_cpuid()) {
		cpuid(0, &max_leaf, &b, &c, &a);
		if (max_leaf >= 1)
			cpuid(1, &a, &b, &c, &edx);
	}
	/* CPUID.1:EDX: TSC bit 4, MSR bit 5, APIC bit 9 */
	if ((edx & (1u << 5)) && (edx & (1u << 9)))
		entries |= ENTRIES_APIC;
	if (!(edx & (1u << 4)))
		return entries; /* a 486: no clock to offer */
#ifdef VMI_ROM_KVM
	kvm_init(d, boot);
#endif
	if (boot) {
		if (!d->khz)
			d->khz = boot->khz;
		d->tsc0 = boot->tsc0;
	} else {
		if (!d->khz)
			d->khz = tsc_khz_measure(max_leaf);
		d->tsc0 = rdtsc();
	}
	if (d->khz > 1000) {
		d->mult = div_u64_u32((u64)1000000u << ROM_SHIFT, d->khz);
		entries |= ENTRIES_CLOCK;
	}
#ifdef VMI_ROM_HOSTILE_LIAR
	return ~0u; /* every entry, including those its table does not have */
#endif
	return entries;
}

ROM_ENTRY u32 vmi_tsc_khz(void)
{
	const struct rom_data *d = rom_data();

	return d ? d->khz : 0;
}

/* The APIC base MSR says each time where the APIC is and in which mode: the
 * kernel switches to x2APIC after INIT, and the ROM keeps no state of it. */
ROM_ENTRY u32 vmi_apic_read(u32 reg)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	if (base & APIC_BASE_X2APIC)
		return (u32)rdmsr(X2APIC_MSR_BASE + reg / 16);
	return *(volatile u32 *)(uintptr_t)((base & 0xfffff000u) + reg);
}

ROM_ENTRY void vmi_apic_write(u32 reg, u32 v)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	if (base & APIC_BASE_X2APIC)
		wrmsr(X2APIC_MSR_BASE + reg / 16, v);
	else
		*(volatile u32 *)(uintptr_t)((base & 0xfffff000u) + reg) = v;
}

ROM_ENTRY void vmi_apic_eoi(void)
{
#ifdef VMI_ROM_KVM
	struct rom_data *d = rom_data();

	/* PV EOI: the hypervisor set bit 0 when this EOI needs no exit. */
	if (d && (d->flags & ROM_F_PV_EOI)) {
		unsigned char was;
		__asm__ __volatile__("lock btrl $0, %0; setc %1"
				     : "+m"(d->eoi_word), "=q"(was)::"memory", "cc");
		if (was)
			return;
	}
#endif
	vmi_apic_write(APIC_EOI, 0);
}

ROM_ENTRY u64 vmi_sched_clock(void)
{
	const struct rom_data *d = rom_data();

	if (!d || !d->mult)
		return 0;
#ifdef VMI_ROM_KVM
	if (d->flags & ROM_F_KVMCLOCK)
		return pvclock_ns(&d->clock) - d->ns0;
#endif
	return mul_shr(rdtsc() - d->tsc0, d->mult, ROM_SHIFT);
}
