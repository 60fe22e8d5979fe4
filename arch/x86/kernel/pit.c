// SPDX-License-Identifier: MIT
/* 8254 PIT: 1.193182 MHz, channel 2 gated through port 0x61 (no IRQ needed). */
#include <asm/tsc.h>
#include <asm/io.h>
#include <asm/cpu.h>

#define PIT_HZ		1193182u
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PORT_B		0x61
#define PORT_B_GATE2	0x01
#define PORT_B_SPKR	0x02
#define PORT_B_OUT2	0x20

uint64_t pit_calibrate_tsc(unsigned ms)
{
	uint32_t count = PIT_HZ * ms / 1000;
	uint8_t b = inb(PORT_B);

	/* No PIT (Xen dom0, microvm pit=off): port 0x61 reads 0xff. */
	if (b == 0xff)
		return 0;
	outb(PORT_B, (b & ~PORT_B_SPKR) | PORT_B_GATE2);
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	/* Mode 0 raises OUT2 once count reaches zero. */
	uint64_t t0 = rdtsc(), t1;
	unsigned long spins = 0;

	while (!(inb(PORT_B) & PORT_B_OUT2)) {
		if (++spins > 100000000ul)
			return 0;
	}
	t1 = rdtsc();
	outb(PORT_B, b);
	/* A PIT that "expires" instantly is not a PIT. */
	if (spins < 10)
		return 0;
	return (t1 - t0) / ms;
}
