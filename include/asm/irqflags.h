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

#define local_irq_disable()	irq_disable()
#define local_irq_enable()	irq_enable()

#endif
