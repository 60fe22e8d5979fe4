// SPDX-License-Identifier: MIT
/*
 * Dual 8259A PIC, the PC/AT wiring: the master at ports 0x20/0x21 takes
 * IRQ 0-7, the slave at 0xa0/0xa1 IRQ 8-15 and signals the master on its
 * IRQ 2 input (Intel 8259A datasheet: initialisation words ICW1-ICW4,
 * operation words OCW1 = the mask register, OCW2 = EOI, OCW3 = which of
 * IRR/ISR the next command-port read returns).
 *
 * The BIOS programs the master at vector 8, on top of the CPU's exception
 * vectors: pic_init moves both to PIC_VECTOR_BASE before anything is
 * unmasked.
 */
#include <asm/pic.h>
#include <asm/irqchip.h>
#include <asm/io.h>
#include <asm/paravirt.h>

#define MASTER_CMD    0x20
#define MASTER_DATA   0x21
#define SLAVE_CMD     0xa0
#define SLAVE_DATA    0xa1
#define OCW3_READ_ISR 0x0b
#define EOI	      0x20

static uint16_t masks = 0xffff;

/* Where no 8259 exists (microvm pic=off) the mask register reads 0xff
 * whatever is written. */
bool pic_present(void)
{
	uint8_t old = inb(MASTER_DATA);

	outb(MASTER_DATA, 0xa5);
	bool ok = inb(MASTER_DATA) == 0xa5;
	outb(MASTER_DATA, old);
	return ok;
}

static void write_masks(void)
{
	outb(MASTER_DATA, masks & 0xff);
	outb(SLAVE_DATA, masks >> 8);
}

/* The four ICWs go out in a fixed order after ICW1; io_delay between them
 * because the original 8259A needed time between accesses on the ISA bus. */
void pic_init(void)
{
	outb(MASTER_CMD, 0x11); /* ICW1: edge, cascade, ICW4 follows */
	io_delay();
	outb(SLAVE_CMD, 0x11);
	io_delay();
	outb(MASTER_DATA, PIC_VECTOR_BASE); /* ICW2: vector base */
	io_delay();
	outb(SLAVE_DATA, PIC_VECTOR_BASE + 8);
	io_delay();
	outb(MASTER_DATA, 1u << 2); /* ICW3: slave on IRQ 2 */
	io_delay();
	outb(SLAVE_DATA, 2);
	io_delay();
	outb(MASTER_DATA, 0x01); /* ICW4: 8086 mode */
	io_delay();
	outb(SLAVE_DATA, 0x01);
	io_delay();
	masks = 0xffff & ~(1u << 2); /* everything masked but the cascade */
	write_masks();
}

void pic_disable(void)
{
	/* Remapped first so a stray interrupt lands on a known vector. */
	pic_init();
	masks = 0xffff;
	write_masks();
}

/* An unmasked slave line needs the master's cascade input (IRQ 2) open. */
void pic_mask(unsigned irq, bool masked)
{
	if (masked)
		masks |= 1u << irq;
	else
		masks &= ~(1u << irq);
	if (irq >= 8 && !masked)
		masks &= ~(1u << 2);
	write_masks();
}

/* Non-specific EOI (OCW2 0x20) ends the highest in-service level. A slave
 * IRQ is in service on both chips (the master saw it as IRQ 2): both EOIs,
 * slave first. */
void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(SLAVE_CMD, EOI);
	outb(MASTER_CMD, EOI);
}

static uint8_t isr(uint16_t cmd)
{
	outb(cmd, OCW3_READ_ISR);
	return inb(cmd);
}

/*
 * A line that drops before the CPU's interrupt acknowledge makes the 8259
 * deliver its lowest-priority vector (IRQ 7, or 15 on the slave) with no
 * ISR bit set: the datasheet's "default IR7". That is spurious and gets no
 * EOI, which would otherwise end a real in-service interrupt.
 */
bool pic_spurious(unsigned irq)
{
	if (irq == 7)
		return !(isr(MASTER_CMD) & 0x80);
	if (irq == 15 && !(isr(SLAVE_CMD) & 0x80)) {
		/* The master saw a real IRQ 2 from the slave: it needs its EOI. */
		outb(MASTER_CMD, EOI);
		return true;
	}
	return false;
}

/* ---- the irqchip of a machine without a local APIC in use ---- */

/*
 * One CPU, no IPIs, no NMI IPIs: the 8259 has nothing to name a CPU with.
 * EOI goes to the 8259 through irq_source_pic (machines/pc.c), which owns
 * the 8259's vectors; nothing else can arrive.
 */
static void pic_chip_init_cpu(unsigned cpu)
{
}

static uint32_t pic_chip_dest(unsigned cpu, bool *logical)
{
	*logical = false;
	return 0;
}

static void pic_chip_send_ipi(unsigned cpu, unsigned vector, uint32_t dm)
{
}

static void pic_chip_send_ipi_allbutself(unsigned vector, uint32_t dm)
{
}

static void pic_chip_eoi(unsigned vector)
{
}

const struct irqchip irqchip_pic = {
	.name = "pic",
	.mode = APIC_MODE_NONE,
	.init_cpu = pic_chip_init_cpu,
	.dest = pic_chip_dest,
	.send_ipi = pic_chip_send_ipi,
	.send_ipi_allbutself = pic_chip_send_ipi_allbutself,
	.eoi = pic_chip_eoi,
};
