// SPDX-License-Identifier: MIT
/*
 * Trap dispatch: exceptions (0-31) either resume at an exception-table
 * fixup or panic with the registers and a backtrace; NMIs go down the NMI
 * handler chain; external vectors go to their registered handler, and an
 * unexpected one is counted, acknowledged and otherwise ignored.
 */
#include <asm/irqchip.h>
#include <asm/trap.h>
#include <asm/paravirt.h>
#include <kernel/percpu.h>
#include <kernel/panic.h>
#include <kernel/printk.h>

/* The architectural exception vectors (Intel SDM vol. 3A, 6.3.1, Table
 * 6-1; 21 #CP from CET, 29 #VC and 30 #SX from AMD's APM vol. 2, 8.2). 15
 * and 22-28 are reserved; 9 is never raised by a CPU after the 386. */
static const char *const exc_names[32] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor overrun",
	"invalid TSS",
	"segment not present",
	"stack fault",
	"general protection",
	"page fault",
	"reserved",
	"x87 FPU error",
	"alignment check",
	"machine check",
	"SIMD error",
	"virtualization",
	"control protection",
	[29] = "VMM communication",
	[30] = "security",
};

static struct {
	irq_handler_t fn;
	void *data;
	unsigned flags;
} handlers[256];

static uint32_t unexpected[256]; /* 32-bit: the 486 has no 64-bit atomics */
/* Before a machine is chosen nothing routes device interrupts to a vector,
 * so there is nothing to acknowledge: kernel/machine.c installs the
 * machine's EOI once its ops are built. */
static void eoi_none(unsigned vector)
{
}
void (*irq_eoi_fn)(unsigned vector) __ro_after_init = eoi_none;

#define NMI_HANDLERS 8
static nmi_handler_t nmi_handlers[NMI_HANDLERS];

extern const struct ex_entry __ex_table_start[], __ex_table_end[];
extern char probe_exec_ret[], probe_exec_fixup[];

const char *trap_name(unsigned v)
{
	if (v < 32)
		return exc_names[v] ? exc_names[v] : "reserved";
	if (v == SPURIOUS_VECTOR)
		return "spurious";
	return "interrupt";
}

uintptr_t trap_frame_sp(const struct trap_frame *f)
{
#ifdef CONFIG_X86_64
	return f->sp;
#else
	/* Same privilege: the CPU pushed no esp; the old stack starts above flags. */
	return (uintptr_t)(&f->flags + 1);
#endif
}

void irq_set_handler_flags(unsigned vector, irq_handler_t fn, void *data, unsigned flags)
{
	handlers[vector].data = data;
	handlers[vector].flags = flags;
	WRITE_ONCE(handlers[vector].fn, fn);
}

void irq_set_handler(unsigned vector, irq_handler_t fn, void *data)
{
	irq_set_handler_flags(vector, fn, data, 0);
}

unsigned irq_alloc_vector(irq_handler_t fn, void *data)
{
	/* 0x30..0xef for devices and IPIs; 0xf0+ is for fixed kernel vectors. */
	for (unsigned v = 0x30; v < 0xf0; v++) {
		if (!handlers[v].fn) {
			irq_set_handler(v, fn, data);
			return v;
		}
	}
	return 0;
}

uint64_t irq_unexpected_on(unsigned vector)
{
	return unexpected[vector];
}

uint64_t irq_unexpected_count(void)
{
	uint64_t n = 0;

	for (unsigned v = 0; v < 256; v++)
		n += unexpected[v];
	return n;
}

void nmi_register(nmi_handler_t fn)
{
	for (int i = 0; i < NMI_HANDLERS; i++) {
		if (!nmi_handlers[i]) {
			nmi_handlers[i] = fn;
			return;
		}
	}
}

bool (*trap_gp_fixup)(struct trap_frame *f);

static bool fixup(struct trap_frame *f)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == f->ip) {
			f->ip = e->fixup;
			return true;
		}
	}
	/* probe_exec: the fetch at the target faulted, its caller is on top. */
	if (f->vector == VEC_PF && f->ip == read_cr2() &&
	    *(uintptr_t *)trap_frame_sp(f) == (uintptr_t)probe_exec_ret) {
		f->ip = (uintptr_t)probe_exec_fixup;
		return true;
	}
	if (f->vector == 13 && trap_gp_fixup && trap_gp_fixup(f))
		return true;
	return false;
}

static void do_nmi(struct trap_frame *f)
{
	bool handled = false;

	this_cpu()->nmis++;
	for (int i = 0; i < NMI_HANDLERS && nmi_handlers[i]; i++)
		handled |= nmi_handlers[i](f);
	if (!handled)
		printk(KERN_WARN "NMI: unclaimed NMI on CPU %u (ip %#lx)\n", this_cpu()->cpu,
		       (unsigned long)f->ip);
}

/* One guard per CPU: a guarded call does not nest on the same CPU. */
static struct trap_guard *guards[NR_CPUS];

int trap_call_guarded(struct trap_guard *g, void (*fn)(void *), void *arg)
{
	unsigned cpu = this_cpu()->cpu;

	g->vector = 0;
	if (__builtin_setjmp(g->jmp)) {
		guards[cpu] = NULL;
		return -1;
	}
	guards[cpu] = g;
	fn(arg);
	guards[cpu] = NULL;
	return 0;
}

/* A fault at an address inside the guarded range: back to trap_call_guarded,
 * which returns -1. Interrupts stay as the trap gate left them (off). */
static void guard_catch(struct trap_frame *f)
{
	unsigned cpu = this_cpu()->cpu;
	struct trap_guard *g = cpu < NR_CPUS ? guards[cpu] : NULL;

	if (!g || f->ip < g->lo || f->ip >= g->hi)
		return;
	g->vector = (unsigned)f->vector;
	g->ip = f->ip;
	g->cr2 = f->vector == VEC_PF ? read_cr2() : 0;
	guards[cpu] = NULL;
	__builtin_longjmp(g->jmp, 1);
}

void trap_dispatch(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector;

	if (v == VEC_NMI) {
		do_nmi(f);
		return;
	}
	if (v < FIRST_EXTERNAL_VECTOR) {
		if (fixup(f))
			return;
		guard_catch(f);
		panic_trap(f);
	}
	unsigned flags = handlers[v].flags;

	this_cpu()->irqs++;
	irq_run_vector(f, v);
	/* The spurious vector, and vectors whose source needs none, get no EOI.
	 * The device-IRQ source ends its own (the 8259); the rest end at the
	 * interrupt controller (the machine's irq.eoi). */
	if (!(flags & IRQF_NO_EOI) && v != SPURIOUS_VECTOR && !irq_source->eoi(v))
		irq_eoi_fn(v);
}

void irq_run_vector(struct trap_frame *f, unsigned v)
{
	irq_handler_t fn = handlers[v].fn;

	if (fn) {
		fn(f, handlers[v].data);
	} else {
		/* Counted and acknowledged like any other, never fatal. */
		if (__atomic_fetch_add(&unexpected[v], 1, __ATOMIC_RELAXED) == 0)
			printk(KERN_WARN
			       "irq: unexpected vector %#x on CPU %u (counted, ignored)\n",
			       v, this_cpu()->cpu);
	}
}
