// SPDX-License-Identifier: MIT
/*
 * 8254 PIT at 1.193182 MHz. Channel 2 (gated by port 0x61, no IRQ) runs
 * free in mode 2 as a 16-bit clocksource: it wraps every 55 ms, so the
 * time layer reads it at least every tick. Channel 0 drives IRQ 0. Where
 * port 0x61 does not exist (QEMU microvm) channel 2 cannot be gated on, and
 * the clocksource uses channel 0 instead (its IRQ 0 stays masked).
 */
#include <asm/timers.h>
#include <asm/io.h>
#include <asm/paravirt.h>
#include <kernel/spinlock.h>

/*
 * Ports (8254 datasheet, "Register selection"): 0x40-0x42 are the data ports
 * of counters 0-2, 0x43 the write-only control word register. The input clock
 * is 14.31818 MHz / 12 = 1.193182 MHz on every PC (PIT_HZ), whatever the CPU.
 *
 * Control word written to 0x43 (datasheet, "Control Word Format"):
 *   bits 7:6  SC  counter 0..2; 11 = read-back command (below)
 *   bits 5:4  RW  00 = counter latch command, 01 = LSB only, 10 = MSB only,
 *                 11 = LSB then MSB (what this file always uses)
 *   bits 3:1  M   mode 0..5 (x10 = mode 2, x11 = mode 3)
 *   bit  0   BCD  0 = 16-bit binary count
 * After a control word the counter waits for its new count before counting;
 * with RW=11 the two data-port accesses that follow are low byte then high
 * byte, tracked by an internal flip-flop that nothing can read back.
 *
 * Port 0x61 is not the 8254 but the PC's system control port B: bit 0 is
 * counter 2's GATE input (counter 2 counts only while it is 1), bit 1 routes
 * counter 2's output to the speaker (kept off, or its pulses would click).
 * Counters 0 and 1 have their gates tied high.
 */
#define PIT_CH0	     0x40
#define PIT_CH2	     0x42
#define PIT_CMD	     0x43
#define PORT_B	     0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPKR  0x02

static unsigned cs_channel = 2;

/* Latch and two reads are one access: CPU 0's tick reads the clocksource
 * too (the TSC refinement), so no read may be cut in two. The byte
 * flip-flop is shared state in the chip: two readers interleaving would each
 * get one byte of the latched count and one of a later one. */
static spinlock_t read_lock = SPINLOCK_INIT;

/*
 * Counter latch command (datasheet, "Counter Latch Command"): SC = ch,
 * RW = 00. It freezes a copy of the count in the output latch while the
 * counter keeps running; the copy is held until both bytes have been read.
 * Reading the live counter instead could take the low byte before a borrow
 * and the high byte after it, a value off by 256.
 */
static uint16_t ch_read(unsigned ch)
{
	unsigned long f = spin_lock_irqsave(&read_lock);

	outb(PIT_CMD, (uint8_t)(ch << 6)); /* counter latch command */
	uint8_t lo = inb(PIT_CH0 + ch);
	uint16_t v = (uint16_t)(lo | inb(PIT_CH0 + ch) << 8);
	spin_unlock_irqrestore(&read_lock, f);
	return v;
}

uint16_t pit_read_count(unsigned ch)
{
	return ch_read(ch);
}

static uint64_t pit_read(void)
{
	/* Mode 2 counts down from 65536 (a count of 0 means 2^16): turn it into
	 * an up-counter. The mask (0xffff) lets the time layer take the wrap. */
	return (uint16_t)(0 - ch_read(cs_channel));
}

/*
 * Whether the counter is running: 100 rounds of io_delay (port 0x80, ~1 us
 * natively; a paravirt machine may make it a no-op) and a latch-and-read of
 * three port accesses span far more than one input clock (0.84 us), so a
 * live 8254 moves. A stuck value means the gate is low (port 0x61 present
 * but not wired to the gate) or the PIT is only partly emulated.
 */
static bool channel_counts(unsigned ch)
{
	uint16_t a = ch_read(ch);

	for (int i = 0; i < 100; i++) {
		io_delay();
		if (ch_read(ch) != a)
			return true;
	}
	return false;
}

/*
 * Mode 2, "rate generator" (datasheet, "Mode 2"): the count runs from N down
 * to 1, OUT pulses low for one clock, and N is reloaded; the period is N
 * clocks with no gap. A count of 0 written as two zero bytes is N = 65536,
 * the longest period: 65536 / 1.193182 MHz = 54.9 ms before the wrap.
 */
static void start_free_running(unsigned ch)
{
	outb(PIT_CMD, (uint8_t)(ch << 6 | 0x34)); /* lo/hi, mode 2, binary */
	outb(PIT_CH0 + ch, 0);
	outb(PIT_CH0 + ch, 0);
}

static struct clocksource pit_cs = {
	.name = "pit",
	.read = pit_read,
	.mask = 0xffff,
	.hz = PIT_HZ,
	.rating = 50,
};

/* Without a PIT (Xen dom0, microvm pit=off) every port reads 0xff: the
 * status of channel 0 (read-back command) is never all ones on a real 8254.
 *
 * Read-back command (datasheet, "Read-Back Command"; the 8254 has it, the
 * older 8253 does not): SC = 11, bit 5 COUNT and bit 4 STATUS are active low,
 * bits 3:1 select counters 2..0. 0xe2 = status only, counter 0. The status
 * byte then read from port 0x40 is OUT (bit 7), NULL COUNT (bit 6) and the
 * counter's RW/mode/BCD bits as last programmed (bits 5:0). */
bool pit_present(void)
{
	outb(PIT_CMD, 0xe2); /* read-back: status of channel 0, no count latch */
	return inb(PIT_CH0) != 0xff;
}

struct clocksource *pit_clocksource_init(void)
{
	if (!pit_present())
		return NULL;
	if (inb(PORT_B) != 0xff) {
		/* Port B reads 0xff where it is not decoded (microvm). */
		outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPKR) | PORT_B_GATE2);
		start_free_running(2);
		if (channel_counts(2)) {
			cs_channel = 2;
			return &pit_cs;
		}
	}
	start_free_running(0);
	if (channel_counts(0)) {
		cs_channel = 0;
		return &pit_cs;
	}
	return NULL;
}

bool pit_channel_free(unsigned ch)
{
	return ch != cs_channel;
}

/*
 * IRQ 0 at hz: mode 2 on counter 0, whose OUT is wired to IRQ 0 (the
 * pulse's rising edge is the interrupt). The divisor is rounded to nearest;
 * one that does not fit 16 bits (below ~19 Hz) is refused rather than
 * truncated into a far faster tick.
 */
int pit_periodic(unsigned hz)
{
	if (!hz || PIT_HZ / hz > 0xffff || !pit_present() || !pit_channel_free(0))
		return -1;
	uint16_t div = (uint16_t)((PIT_HZ + hz / 2) / hz);

	outb(PIT_CMD, 0x34); /* channel 0, lo/hi, mode 2 */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
	return 0;
}

/*
 * Mode 0, "interrupt on terminal count": writing the control word drives OUT
 * low at once and the counter waits for a count that never comes, so IRQ 0
 * sees no further edge.
 */
void pit_stop(void)
{
	outb(PIT_CMD, 0x30); /* channel 0, mode 0, no count written: output stays low */
}
