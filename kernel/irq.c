// SPDX-License-Identifier: MIT
#include <kernel/irq.h>
#include <kernel/machine.h>

int request_isa_irq(unsigned irq, unsigned cpu, irq_handler_t fn, void *data)
{
	unsigned v = irq_alloc_vector(fn, data);

	if (!v)
		return -1;
	int got = mach.irq_route(irq, v, cpu);
	if (got < 0) {
		irq_set_handler(v, NULL, NULL);
		return -1;
	}
	if ((unsigned)got != v) {
		/* The controller has fixed vectors (8259: 0x20 + irq). */
		irq_set_handler(v, NULL, NULL);
		irq_set_handler((unsigned)got, fn, data);
	}
	mach.irq_mask(irq, false);
	return got;
}

void free_isa_irq(unsigned irq, int vector)
{
	mach.irq_mask(irq, true);
	if (vector > 0)
		irq_set_handler((unsigned)vector, NULL, NULL);
}
