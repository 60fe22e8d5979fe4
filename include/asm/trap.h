/* SPDX-License-Identifier: MIT */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <kernel/compiler.h>

/* What arch/x86/kernel/isr.S pushes, lowest address first. */
#ifdef CONFIG_X86_64
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t bp, di, si, dx, cx, bx, ax;
	uint64_t vector, error;
	uint64_t ip, cs, flags, sp, ss;
};
#else
struct trap_frame {
	uint32_t gs, fs, es, ds;
	uint32_t di, si, bp, sp_unused, bx, dx, cx, ax;
	uint32_t vector, error;
	uint32_t ip, cs, flags;
	/* No sp/ss: ring 0 only, so the CPU pushes none. */
};
#endif

#define VEC_NMI		      2
#define VEC_DF		      8
#define VEC_PF		      14
#define FIRST_EXTERNAL_VECTOR 32
#define SPURIOUS_VECTOR	      0xff

typedef void (*irq_handler_t)(struct trap_frame *f, void *data);

void trap_init(void); /* the IDT, loaded on the boot CPU (APs: cpu_ap_init) */
/*
 * External vectors: trap_dispatch runs the handler, then irq_eoi_fn(vector)
 * (the machine's EOI), unless the handler was registered with IRQF_NO_EOI.
 * A vector with no handler is counted, reported once and acknowledged.
 */
#define IRQF_NO_EOI (1u << 0)
void irq_set_handler(unsigned vector, irq_handler_t fn, void *data);
void irq_set_handler_flags(unsigned vector, irq_handler_t fn, void *data, unsigned flags);
unsigned irq_alloc_vector(irq_handler_t fn, void *data); /* 0 if none left */
/* Run vector v's handler as if it had been delivered, without an EOI (nor
 * counting an interrupt): for sources that multiplex vectors onto one
 * (Xen event channel IPIs). */
void irq_run_vector(struct trap_frame *f, unsigned v);
extern void (*irq_eoi_fn)(unsigned vector);
/* A #GP the platform resolves (Xen PV: a port Xen keeps acts as absent);
 * true = the frame was fixed up. Tried after the exception table. */
extern bool (*trap_gp_fixup)(struct trap_frame *f);
uint64_t irq_unexpected_count(void);
uint64_t irq_unexpected_on(unsigned vector);
/* NMI handler chain: return true if the NMI was theirs. */
typedef bool (*nmi_handler_t)(struct trap_frame *f);
void nmi_register(nmi_handler_t fn);

uintptr_t trap_frame_sp(const struct trap_frame *f);
const char *trap_name(unsigned vector);

/*
 * Exception table: a faulting instruction listed here resumes at its
 * fixup instead of panicking (arch/x86/kernel/probe.S uses it).
 */
struct ex_entry {
	uintptr_t insn, fixup;
};

/*
 * Run fn(arg) so that an exception raised by code in [lo, hi) (foreign code:
 * a hypervisor ROM) returns here instead of panicking: 0 when fn returned,
 * -1 after a fault, with vector, ip and cr2 (page faults) in the guard. The
 * faulting code's stack frames are abandoned; call with interrupts off.
 */
struct trap_guard {
	uintptr_t lo, hi;
	void *jmp[5];
	unsigned vector;
	uintptr_t ip, cr2;
};
int trap_call_guarded(struct trap_guard *g, void (*fn)(void *), void *arg);

/* Probe memory without dying: 0 on success, -1 if the access faulted. */
int probe_read8(const volatile void *addr, uint8_t *val);
int probe_write8(volatile void *addr, uint8_t val);
/* Call addr (which must be a bare 'ret' if it runs); -1 if fetching faulted. */
int probe_exec(const void *addr);

#endif
