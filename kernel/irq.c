// SPDX-License-Identifier: MIT
#include <kernel/irq.h>
#include <asm/irqchip.h>
#include <kernel/machine.h>
#include <kernel/printk.h>
#include <kernel/time.h>

/*
 * Every ISA IRQ handler runs behind a storm check: more than
 * IRQ_STORM_MAX interrupts within IRQ_STORM_WINDOW_NS on one line (a
 * level-triggered or active-low line nobody deasserts: firmware describing
 * the wiring wrongly) masks the line with a message, instead of the CPU
 * doing nothing else. 1000 in 10 ms is 100 kHz, far above any ISA device.
 */
#define IRQ_STORM_MAX	    1000
#define IRQ_STORM_WINDOW_NS 10000000ull

static struct isa_line {
	irq_handler_t fn;
	void *data;
	uint64_t window_start;
	unsigned count;
	bool stormed;
} lines[16];

static void isa_irq_entry(struct trap_frame *f, void *data)
{
	struct isa_line *l = data;
	unsigned irq = (unsigned)(l - lines);
	uint64_t now = clock_ns();

	if (now - l->window_start > IRQ_STORM_WINDOW_NS) {
		l->window_start = now;
		l->count = 0;
	}
	if (++l->count > IRQ_STORM_MAX) {
		if (!l->stormed)
			printk(KERN_WARN "irq: IRQ%u: interrupt storm (over %u in %llu ms): line "
					 "masked\n",
			       irq, IRQ_STORM_MAX, IRQ_STORM_WINDOW_NS / 1000000);
		l->stormed = true;
		irq_source->mask(irq, true);
		return;
	}
	l->fn(f, l->data);
}

bool irq_stormed(unsigned irq)
{
	return irq < 16 && lines[irq].stormed;
}

int request_isa_irq(unsigned irq, unsigned cpu, irq_handler_t fn, void *data)
{
	if (irq < 16) {
		lines[irq] = (struct isa_line){fn, data, clock_ns(), 0, false};
		fn = isa_irq_entry;
		data = &lines[irq];
	}
	unsigned v = irq_alloc_vector(fn, data);

	if (!v)
		return -1;
	int got = irq_source->route(irq, v, cpu);
	if (got < 0) {
		irq_set_handler(v, NULL, NULL);
		return -1;
	}
	if ((unsigned)got != v) {
		/* The controller has fixed vectors (8259: 0x20 + irq). */
		irq_set_handler(v, NULL, NULL);
		irq_set_handler((unsigned)got, fn, data);
	}
	irq_source->mask(irq, false);
	return got;
}

void free_isa_irq(unsigned irq, int vector)
{
	irq_source->mask(irq, true);
	if (vector > 0)
		irq_set_handler((unsigned)vector, NULL, NULL);
}
