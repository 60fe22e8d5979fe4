// SPDX-License-Identifier: MIT
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/percpu.h>
#include <asm/trap.h>
#include <asm/paging.h>
#include <asm/paravirt.h>
#include <stdarg.h>

void (*panic_stop_others)(void);
static volatile int panicking;

extern char _text[], _etext[], _kernel_start[];

static void print_sym(uintptr_t addr)
{
	uintptr_t off, size;
	const char *name = ksym_lookup(addr, &off, &size);

	if (name)
		printk(KERN_ERR "  [<%0*lx>] %s+%#lx/%#lx\n", (int)sizeof(long) * 2,
		       (unsigned long)addr, name, (unsigned long)off, (unsigned long)size);
	else
		printk(KERN_ERR "  [<%0*lx>] ?\n", (int)sizeof(long) * 2, (unsigned long)addr);
}

void backtrace(uintptr_t ip, uintptr_t bp)
{
	printk(KERN_ERR "Backtrace:\n");
	print_sym(ip);
	/* Frame pointers: [bp] = caller's bp, [bp + word] = return address. */
	for (int depth = 0; depth < 24 && bp; depth++) {
		if (bp % sizeof(uintptr_t) || !paging_readable(bp, 2 * sizeof(uintptr_t)))
			break;
		uintptr_t next = ((uintptr_t *)bp)[0], ret = ((uintptr_t *)bp)[1];
		if (ret < (uintptr_t)_kernel_start || ret >= (uintptr_t)_etext)
			break;
		print_sym(ret - 1); /* the call, not the instruction after it */
		if (next <= bp)
			break;
		bp = next;
	}
}

bool panic_in_progress(void)
{
	return READ_ONCE(panicking) != 0;
}

static void __noreturn die(void)
{
	if (panic_stop_others)
		panic_stop_others();
	kernel_exit(KEXIT_PANIC);
}

static void enter(void)
{
	irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST)) {
		/* A second panic (on this or another CPU): stop here quietly. */
		for (;;)
			halt();
	}
	console_panic_mode();
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	enter();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_PLAIN "PANIC: %s\n", msg);
	backtrace((uintptr_t)__builtin_return_address(0), (uintptr_t)__builtin_frame_address(0));
	die();
}

static void dump_regs(const struct trap_frame *f)
{
#ifdef CONFIG_X86_64
	printk(KERN_ERR "RIP: %016lx RSP: %016lx RFLAGS: %08lx CS: %lx\n", f->ip, f->sp, f->flags,
	       f->cs);
	printk(KERN_ERR "RAX: %016lx RBX: %016lx RCX: %016lx\n", f->ax, f->bx, f->cx);
	printk(KERN_ERR "RDX: %016lx RSI: %016lx RDI: %016lx\n", f->dx, f->si, f->di);
	printk(KERN_ERR "RBP: %016lx R8:  %016lx R9:  %016lx\n", f->bp, f->r8, f->r9);
	printk(KERN_ERR "R10: %016lx R11: %016lx R12: %016lx\n", f->r10, f->r11, f->r12);
	printk(KERN_ERR "R13: %016lx R14: %016lx R15: %016lx\n", f->r13, f->r14, f->r15);
#else
	printk(KERN_ERR "EIP: %08x ESP: %08lx EFLAGS: %08x CS: %x\n", f->ip,
	       (unsigned long)trap_frame_sp(f), f->flags, f->cs);
	printk(KERN_ERR "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n", f->ax, f->bx, f->cx, f->dx);
	printk(KERN_ERR "ESI: %08x EDI: %08x EBP: %08x\n", f->si, f->di, f->bp);
#endif
	printk(KERN_ERR "CR0: %08lx CR2: %08lx CR3: %08lx CR4: %08lx\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

#ifndef CONFIG_X86_64
/*
 * The i386 double-fault task (arch/x86/kernel/desc.c): entered by a task
 * switch with a good stack; the state of the faulting context is in this
 * CPU's main TSS, where the switch saved it.
 */
void __noreturn double_fault_task(void)
{
	struct percpu *p = this_cpu();
	const struct percpu *owner = stack_guard_owner(read_cr2());

	enter();
	printk(KERN_PLAIN "PANIC: double fault on CPU %u at %#x (esp %#x, cr2 %#lx)\n", p->cpu,
	       p->tss.eip, p->tss.esp, read_cr2());
	if (owner)
		printk(KERN_ERR "kernel stack overflow on CPU %u: hit the guard page at %#lx below "
				"its stack %#lx-%#lx\n",
		       owner->cpu, read_cr2(), (unsigned long)owner->stack_base,
		       (unsigned long)owner->stack_top);
	backtrace(p->tss.eip, p->tss.ebp);
	die();
}
#endif

void panic_trap(struct trap_frame *f)
{
	enter();
	unsigned v = (unsigned)f->vector;
	uintptr_t off, size;
	const char *sym = ksym_lookup(f->ip, &off, &size);

	printk(KERN_PLAIN "PANIC: %s (vector %u, error %#lx) at %s+%#lx on CPU %u\n", trap_name(v),
	       v, (unsigned long)f->error, sym ? sym : "?", (unsigned long)off,
	       this_cpu() ? this_cpu()->cpu : 0);
	const struct percpu *owner =
		(v == VEC_PF || v == VEC_DF) ? stack_guard_owner(read_cr2()) : NULL;
	if (owner)
		printk(KERN_ERR "kernel stack overflow on CPU %u: hit the guard page at %#lx below "
				"its stack %#lx-%#lx\n",
		       owner->cpu, read_cr2(), (unsigned long)owner->stack_base,
		       (unsigned long)owner->stack_top);
	if (v == VEC_PF)
		printk(KERN_ERR "page fault: %s of %#lx (%s, %s)\n",
		       f->error & 0x10 ? "instruction fetch"
		       : f->error & 2  ? "write"
				       : "read",
		       read_cr2(), f->error & 1 ? "protection violation" : "page not present",
		       read_cr2() < 0x1000 ? "NULL pointer" : "kernel address");
	dump_regs(f);
	backtrace(f->ip, f->bp);
	die();
}
