/* SPDX-License-Identifier: MIT */
/*
 * KVM's paravirtual interface (Linux Documentation/virt/kvm/x86/cpuid.rst,
 * msr.rst, hypercalls.rst): CPUID leaves, MSRs and hypercalls, and the
 * driver that uses them (arch/x86/kernel/kvm.c). Each feature is used only
 * when its bit in CPUID base+1 EAX is set.
 */
#ifndef ASM_KVM_PARA_H
#define ASM_KVM_PARA_H

#include <kernel/compiler.h>
#include <asm/pvclock.h>

#define KVM_SIGNATURE "KVMKVMKVM" /* base EBX/ECX/EDX, zero-padded */

/* CPUID base+1 EAX */
#define KVM_FEATURE_CLOCKSOURCE2       3 /* system time / wall clock MSRs below */
#define KVM_FEATURE_STEAL_TIME	       5
#define KVM_FEATURE_PV_EOI	       6
#define KVM_FEATURE_PV_SEND_IPI	       11
#define KVM_FEATURE_CLOCKSOURCE_STABLE 24 /* PVCLOCK_TSC_STABLE_BIT is honest */

#define MSR_KVM_WALL_CLOCK_NEW	0x4b564d00 /* write: GPA of pvclock_wall_clock */
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01 /* GPA of pvclock record | 1 */
#define MSR_KVM_STEAL_TIME	0x4b564d03 /* 64-byte aligned GPA | 1 */
#define MSR_KVM_PV_EOI_EN	0x4b564d04 /* 4-byte aligned GPA | 1 */

#define KVM_MSR_ENABLED 1u

/* Hypercall numbers (hypercalls.rst); nr in EAX, arguments EBX ECX EDX ESI. */
#define KVM_HC_SEND_IPI 10

/* msr.rst: MSR_KVM_STEAL_TIME's 64-byte area. */
struct kvm_steal_time {
	uint64_t steal;	  /* ns this vCPU was runnable but not running */
	uint32_t version; /* odd while the host updates it */
	uint32_t flags;
	uint8_t preempted;
	uint8_t pad0[3];
	uint32_t pad[11];
};
_Static_assert(sizeof(struct kvm_steal_time) == 64, "steal time area is 64 bytes");

/* arch/x86/kernel/kvm.c */
uint32_t kvm_cpuid_base(void); /* 0 if not under KVM */
uint32_t kvm_features(void);   /* base+1 EAX; 0 if not under KVM */
static inline bool kvm_has(unsigned bit)
{
	return kvm_features() & (1u << bit);
}
#ifdef CONFIG_KVM_PV_SEND_IPI
long kvm_hypercall4(unsigned nr, unsigned long a0, unsigned long a1, unsigned long a2,
		    unsigned long a3);
const char *kvm_hypercall_insn(void); /* "vmcall" or "vmmcall" */
/* Use the hypercall site once while kernel text is writable (why: kvm.c). */
void kvm_hypercall_prime(void);
#endif

/* kvmclock: the pvclock record of each CPU, registered on that CPU. */
void kvmclock_init_cpu(void);
const struct clocksource *kvmclock_clocksource(void);
const volatile struct pvclock_vcpu_time_info *kvmclock_record(unsigned cpu); /* NULL if off */
bool kvmclock_stable(void);	  /* the stable bit is offered and set */
int64_t kvmclock_wallclock(void); /* seconds since 1970; -1 without the feature */

/* Steal time and PV EOI, per CPU, registered on that CPU. */
void kvm_steal_time_init_cpu(void);
/* A consistent read of cpu's steal time (ns); false if not registered. */
bool kvm_steal_time_read(unsigned cpu, uint64_t *ns, uint32_t *version);
void kvm_pv_eoi_init_cpu(void);
bool kvm_pv_eoi_enabled(unsigned cpu);
void kvm_irq_eoi(unsigned vector); /* PV EOI if the host allows it, else the APIC's */
void kvm_pv_eoi_counts(uint64_t *skipped, uint64_t *done);

#ifdef CONFIG_KVM_PV_SEND_IPI
/* PV send-IPI: fixed IPI to every online CPU but this one, in one hypercall
 * per 128 (x86_64) / 64 (i386) APIC ids; false if the hypercall failed. */
bool kvm_send_ipi_allbutself(unsigned vector);
#endif

#endif
