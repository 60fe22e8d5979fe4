/* SPDX-License-Identifier: MIT */
#ifndef ASM_PIC_H
#define ASM_PIC_H

#include <kernel/compiler.h>

#define PIC_VECTOR_BASE 0x20 /* IRQ n -> vector 0x20 + n */

bool pic_present(void);
void pic_init(void);	/* remap to PIC_VECTOR_BASE, all lines masked */
void pic_disable(void); /* mask everything (APIC machines) */
void pic_mask(unsigned irq, bool masked);
void pic_eoi(unsigned irq);
/* An IRQ 7/15 with its ISR bit clear is spurious: no EOI (or only to the master). */
bool pic_spurious(unsigned irq);

#endif
