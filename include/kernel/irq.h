/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <asm/trap.h>

/*
 * Connect ISA IRQ irq to fn on cpu through the machine's routing (IO-APIC
 * pin after firmware overrides, or the 8259 line). Returns the vector, or
 * -1 if the machine cannot route it.
 */
int request_isa_irq(unsigned irq, unsigned cpu, irq_handler_t fn, void *data);
void free_isa_irq(unsigned irq, int vector);
/* The line was masked as an interrupt storm since it was last requested. */
bool irq_stormed(unsigned irq);

#endif
