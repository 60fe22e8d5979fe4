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

#define PIT_CH0	     0x40
#define PIT_CH2	     0x42
#define PIT_CMD	     0x43
#define PORT_B	     0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPKR  0x02

static unsigned cs_channel = 2;

/* Latch and two reads are one access: CPU 0's tick reads the clocksource
 * too (the TSC refinement), so no read may be cut in two. */
static spinlock_t read_lock = SPINLOCK_INIT;

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
	/* Mode 2 counts down from 65536: turn it into an up-counter. */
	return (uint16_t)(0 - ch_read(cs_channel));
}

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
 * status of channel 0 (read-back command) is never all ones on a real 8254. */
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

void pit_stop(void)
{
	outb(PIT_CMD, 0x30); /* channel 0, mode 0, no count written: output stays low */
}
