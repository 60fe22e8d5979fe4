/* SPDX-License-Identifier: MIT */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <kernel/compiler.h>

/* Feature = word * 32 + bit; words are CPUID registers, listed below. */
enum {
	CPUID_1_EDX,
	CPUID_1_ECX,
	CPUID_7_EBX,
	CPUID_7_ECX,
	CPUID_7_EDX,
	CPUID_81_EDX,
	CPUID_81_ECX,
	CPUID_87_EDX,
	CPUID_6_EAX,
	CPUID_NWORDS
};
#define F(w, b)			 ((w)*32 + (b))
#define X86_FEATURE_FPU		 F(CPUID_1_EDX, 0)
#define X86_FEATURE_PSE		 F(CPUID_1_EDX, 3)
#define X86_FEATURE_TSC		 F(CPUID_1_EDX, 4)
#define X86_FEATURE_MSR		 F(CPUID_1_EDX, 5)
#define X86_FEATURE_PAE		 F(CPUID_1_EDX, 6)
#define X86_FEATURE_APIC	 F(CPUID_1_EDX, 9)
#define X86_FEATURE_PGE		 F(CPUID_1_EDX, 13)
#define X86_FEATURE_X2APIC	 F(CPUID_1_ECX, 21)
#define X86_FEATURE_TSC_DEADLINE F(CPUID_1_ECX, 24)
#define X86_FEATURE_XSAVE	 F(CPUID_1_ECX, 26)
#define X86_FEATURE_HYPERVISOR	 F(CPUID_1_ECX, 31)
#define X86_FEATURE_SMEP	 F(CPUID_7_EBX, 7)
#define X86_FEATURE_SMAP	 F(CPUID_7_EBX, 20)
#define X86_FEATURE_UMIP	 F(CPUID_7_ECX, 2)
#define X86_FEATURE_NX		 F(CPUID_81_EDX, 20)
#define X86_FEATURE_LM		 F(CPUID_81_EDX, 29)
#define X86_FEATURE_INVTSC	 F(CPUID_87_EDX, 8)
#define X86_FEATURE_ARAT	 F(CPUID_6_EAX, 2)

struct cpu_info {
	bool has_cpuid;
	uint32_t max_leaf, max_ext_leaf;
	char vendor[13];
	char brand[49];
	unsigned family, model, stepping;
	uint32_t words[CPUID_NWORDS];
	/* Hypervisor CPUID range, if CPUID.1:ECX.hypervisor is set. */
	uint32_t hv_base, hv_max;
	char hv_signature[13];
};

extern struct cpu_info boot_cpu;
/* The kernel runs deprivileged (CPL 3 under Xen classic PV): set by that
 * entry path before anything else; only machine entries that declare
 * .deprivileged can run then (kernel/machine.c). */
extern bool cpu_deprivileged;

void cpu_early_init(void);
static inline bool cpu_has(unsigned f)
{
	return boot_cpu.words[f / 32] & (1u << (f % 32));
}
/* Scan 0x40000000.. in 0x100 steps for sig; 0 if absent. */
uint32_t cpu_hypervisor_base(const char *sig);
/* SMEP/SMAP/UMIP on the calling CPU where it has them. */
void cpu_protect_init(void);

#endif
