/* SPDX-License-Identifier: MIT */
/*
 * Native CPU primitives. The operations a hypervisor may take over
 * (interrupt flag, control registers, MSRs, CPUID, halt, I/O delay) are
 * spelled native_*() here; code calls the unprefixed names from
 * <asm/paravirt.h>, which are the native ones or patched pvops sites.
 */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <kernel/compiler.h>

#define X86_EFLAGS_IF (1u << 9)
#define X86_EFLAGS_ID (1u << 21)

#define X86_CR0_PE   (1u << 0)
#define X86_CR0_WP   (1u << 16)
#define X86_CR0_PG   (1u << 31)
#define X86_CR4_PSE  (1u << 4)
#define X86_CR4_PAE  (1u << 5)
#define X86_CR4_PGE  (1u << 7)
#define X86_CR4_UMIP (1u << 11)
#define X86_CR4_SMEP (1u << 20)
#define X86_CR4_SMAP (1u << 21)

#define MSR_IA32_APIC_BASE    0x0000001b
#define MSR_IA32_TSC_DEADLINE 0x000006e0
#define MSR_EFER	      0xc0000080
#define MSR_FS_BASE	      0xc0000100
#define MSR_GS_BASE	      0xc0000101
#define EFER_LME	      (1u << 8)
#define EFER_NXE	      (1u << 11)

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline void native_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			     : "a"(leaf), "c"(subleaf));
}

static inline uint64_t native_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void native_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline unsigned long native_read_cr0(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}
static inline void native_write_cr0(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr0" : : "r"(v) : "memory");
}
static inline unsigned long native_read_cr2(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}
static inline unsigned long native_read_cr3(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}
static inline void native_write_cr3(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}
static inline unsigned long native_read_cr4(void)
{
	unsigned long v;
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}
static inline void native_write_cr4(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}
static inline void native_invlpg(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void native_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}
static inline void native_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}
static inline unsigned long native_save_fl(void)
{
	unsigned long f;
	__asm__ __volatile__("pushf; pop %0" : "=rm"(f) : : "memory");
	return f;
}
static inline void native_restore_fl(unsigned long f)
{
	__asm__ __volatile__("push %0; popf" : : "g"(f) : "memory", "cc");
}
static inline void native_safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}
static inline void native_halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}
static inline void native_io_delay(void)
{
	/* Port 0x80 (POST code) is the traditional ~1 us delay on a PC. */
	__asm__ __volatile__("outb %%al, $0x80" : : : "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

#endif
