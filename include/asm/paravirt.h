/* SPDX-License-Identifier: MIT */
/*
 * The operations a hypervisor may take over (include/pvops.h has the list
 * and the register conventions). With CONFIG_PARAVIRT each is a recorded
 * call site, `call *pv_ops+slot`, that pvops/patch.c rewrites at boot into
 * the native instruction or a direct call. Without it each is the native
 * inline itself and no table exists.
 */
#ifndef ASM_PARAVIRT_H
#define ASM_PARAVIRT_H

#include <asm/cpu.h>

#ifndef CONFIG_PARAVIRT

#define irq_disable()	  native_irq_disable()
#define irq_enable()	  native_irq_enable()
#define save_fl()	  native_save_fl()
#define restore_fl(f)	  native_restore_fl(f)
#define safe_halt()	  native_safe_halt()
#define halt()		  native_halt()
#define read_cr0()	  native_read_cr0()
#define write_cr0(v)	  native_write_cr0(v)
#define read_cr2()	  native_read_cr2()
#define read_cr3()	  native_read_cr3()
#define write_cr3(v)	  native_write_cr3(v)
#define read_cr4()	  native_read_cr4()
#define write_cr4(v)	  native_write_cr4(v)
#define flush_tlb_one(va) native_invlpg(va)
#define rdmsr(m)	  native_rdmsr(m)
#define wrmsr(m, v)	  native_wrmsr(m, v)
#define cpuid(l, s, r)	  native_cpuid(l, s, r)
#define io_delay()	  native_io_delay()

#else /* CONFIG_PARAVIRT */

#include <pvops.h>

/*
 * A site: the indirect call, then its record in .pv_sites. "i" operands give
 * the op number and the table slot's byte offset.
 */
#ifdef CONFIG_X86_64
#define PV_CALL "call *pv_ops+%c[slot](%%rip)\n"
#else
#define PV_CALL "call *pv_ops+%c[slot]\n"
#endif
#define PV_DI "a" /* single inputs travel in rax/eax: see include/pvops.h */

/* The record of the site between labels 771 and 772 (struct pv_site). */
#define PV_SITE_RECORD                                                                             \
	".pushsection .pv_sites, \"a\"\n\t"                                                        \
	".balign 4\n\t"                                                                            \
	".long 771b\n\t"                                                                           \
	".byte %c[op], 772b - 771b, 0, 0\n\t"                                                      \
	".popsection\n\t"

#define PV_SITE(op) "771:\n\t" PV_CALL "772:\n\t" PV_SITE_RECORD

/* A PV_LONG_SITE op's site: the call, then 9 bytes of NOPs exactly as
 * pv_nop_fill() writes them (pvops/patch.c checks the bytes before it
 * patches): one NOPL on x86_64, lea + mov on the 486. */
#ifdef CONFIG_X86_64
#define PV_LONG_PAD ".byte 0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0\n"
#else
#define PV_LONG_PAD ".byte 0x8d, 0xb4, 0x26, 0, 0, 0, 0, 0x89, 0xf6\n"
#endif
#define PV_SITE_PADDED(op) "771:\n\t" PV_CALL PV_LONG_PAD "772:\n\t" PV_SITE_RECORD

#define PV_ARGS(o) [op] "i"(o), [slot] "i"((o) * sizeof(void *))

/*
 * A C-convention (CALL) op's site: `call pv_jmp_stubs + op * PV_JMP_STUB_SIZE`,
 * the op's jump stub (pvops/native.S), recorded like the others. PV_CALLn
 * makes the call with n arguments and yields the result (u64: rax, or
 * edx:eax on i386; a u32 or void op just ignores the rest). The registers
 * the C convention lets the callee change are outputs or clobbers.
 */
#define PV_CALL_SITE                                                                               \
	"771:\n\tcall pv_jmp_stubs + %c[op] * " PV_STR(PV_JMP_STUB_SIZE) "\n772:\n\t" PV_SITE_RECORD
#define PV_STR2(x) #x
#define PV_STR(x)  PV_STR2(x)

#ifdef CONFIG_X86_64
/* SysV: arguments in rdi, rsi; result in rax. */
#define PV_CALL_CLOBBERS "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc"
#define PV_CALLN(o, a0, a1, ...)                                                                   \
	({                                                                                         \
		unsigned long ret_, a0_ = (a0), a1_ = (a1);                                        \
		__asm__ __volatile__(PV_CALL_SITE                                                  \
				     : "=a"(ret_), __VA_ARGS__                                     \
				     : [op] "i"(o)                                                 \
				     : PV_CALL_CLOBBERS);                                          \
		(uint64_t) ret_;                                                                   \
	})
#define PV_CALL0(o)	  PV_CALLN(o, 0, 0, "=D"(a0_), "=S"(a1_))
#define PV_CALL1(o, a)	  PV_CALLN(o, a, 0, "+D"(a0_), "=S"(a1_))
#define PV_CALL2(o, a, b) PV_CALLN(o, a, b, "+D"(a0_), "+S"(a1_))
#else
/* regparm(3) (PV_REGPARM): arguments in eax, edx, ecx; result in eax, or
 * edx:eax ("=A": a u64 result needs no move, as in the native call). */
#define PV_CALLN(o, ...)                                                                           \
	({                                                                                         \
		uint64_t ret_;                                                                     \
		__asm__ __volatile__(PV_CALL_SITE                                                  \
				     : "=A"(ret_)                                                  \
				     : [op] "i"(o), ##__VA_ARGS__                                  \
				     : "ecx", "memory", "cc");                                     \
		ret_;                                                                              \
	})
#define PV_CALL0(o)	  PV_CALLN(o)
#define PV_CALL1(o, a)	  PV_CALLN(o, "a"((uint32_t)(a)))
#define PV_CALL2(o, a, b) PV_CALLN(o, "a"((uint32_t)(a)), "d"((uint32_t)(b)))
#endif

static inline void irq_disable(void)
{
	__asm__ __volatile__(PV_SITE_PADDED(PV_IRQ_DISABLE) : : PV_ARGS(PV_IRQ_DISABLE) : "memory");
}

static inline void irq_enable(void)
{
	__asm__ __volatile__(PV_SITE(PV_IRQ_ENABLE) : : PV_ARGS(PV_IRQ_ENABLE) : "memory");
}

static inline unsigned long save_fl(void)
{
	unsigned long f;

	__asm__ __volatile__(PV_SITE_PADDED(PV_SAVE_FL) : "=a"(f) : PV_ARGS(PV_SAVE_FL) : "memory");
	return f;
}

static inline void restore_fl(unsigned long f)
{
	__asm__ __volatile__(PV_SITE(PV_RESTORE_FL)
			     :
			     : PV_DI(f), PV_ARGS(PV_RESTORE_FL)
			     : "memory", "cc");
}

static inline void safe_halt(void)
{
	__asm__ __volatile__(PV_SITE(PV_SAFE_HALT) : : PV_ARGS(PV_SAFE_HALT) : "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__(PV_SITE(PV_HALT) : : PV_ARGS(PV_HALT) : "memory");
}

#define PV_READ(name, op)                                                                          \
	static inline unsigned long name(void)                                                     \
	{                                                                                          \
		unsigned long v;                                                                   \
		__asm__ __volatile__(PV_SITE(op) : "=a"(v) : PV_ARGS(op) : "memory");              \
		return v;                                                                          \
	}
#define PV_WRITE(name, op)                                                                         \
	static inline void name(unsigned long v)                                                   \
	{                                                                                          \
		__asm__ __volatile__(PV_SITE(op) : : PV_DI(v), PV_ARGS(op) : "memory");            \
	}
PV_READ(read_cr0, PV_READ_CR0)
PV_WRITE(write_cr0, PV_WRITE_CR0)
PV_READ(read_cr2, PV_READ_CR2)
PV_READ(read_cr3, PV_READ_CR3)
PV_WRITE(write_cr3, PV_WRITE_CR3)
PV_READ(read_cr4, PV_READ_CR4)
PV_WRITE(write_cr4, PV_WRITE_CR4)
PV_WRITE(flush_tlb_one_, PV_FLUSH_TLB_ONE)
#define flush_tlb_one(va) flush_tlb_one_((unsigned long)(va))

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__(PV_SITE(PV_RDMSR)
			     : "=a"(lo), "=d"(hi)
			     : "c"(msr), PV_ARGS(PV_RDMSR)
			     : "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__(PV_SITE(PV_WRMSR)
			     :
			     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)),
			       PV_ARGS(PV_WRMSR)
			     : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
	__asm__ __volatile__(PV_SITE(PV_CPUID)
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			     : "a"(leaf), "c"(sub), PV_ARGS(PV_CPUID)
			     : "memory");
}

static inline void io_delay(void)
{
	__asm__ __volatile__(PV_SITE(PV_IO_DELAY) : : PV_ARGS(PV_IO_DELAY) : "memory");
}

#endif /* CONFIG_PARAVIRT */

#endif
