/* SPDX-License-Identifier: MIT */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <asm/paravirt.h>

static inline unsigned long local_irq_save(void)
{
	unsigned long f = save_fl();
	irq_disable();
	return f;
}

static inline void local_irq_restore(unsigned long f)
{
	restore_fl(f);
}

static inline bool irqs_disabled(void)
{
	return !(save_fl() & X86_EFLAGS_IF);
}

/*
 * One step of a wait loop: spin a little, then halt until the next interrupt
 * when interrupts are on. Under emulation a spinning vCPU can starve the
 * others (QEMU's single-threaded round robin, -icount) and so delay the
 * very event being waited for.
 */
/* One step of a bounded wait: spin, then halt, but only while this CPU's
 * tick is seen to run (kernel/time.c). */
void wait_step(unsigned *spins);
/* wait_step for a waiter woken by an interrupt: true once done() holds;
 * never halts after done() became true (interrupts on). */
bool wait_step_until(unsigned *spins, bool (*done)(void));

#define local_irq_disable() irq_disable()
#define local_irq_enable()  irq_enable()

#endif
