// SPDX-License-Identifier: MIT
/*
 * HPET main counter as a clocksource (IA-PC HPET 1.0a, section 2.3). The
 * register block is 1 KiB of memory-mapped 64-bit registers at the address
 * the ACPI HPET table gives (its base is 1 KiB aligned); only the general
 * registers are used here, no comparator (the timers 0..31 at 0x100 + 0x20 n).
 */
#include <asm/timers.h>
#include <asm/io.h>
#include <asm/cpu.h>

/*
 * 2.3.4 General Capabilities and ID (GCAP): bits 63:32 COUNTER_CLK_PERIOD
 * (fs per tick), bit 13 COUNT_SIZE_CAP (the main counter is 64 bits wide).
 * 2.3.5 General Configuration (GCONF): bit 0 ENABLE_CNF starts the main
 * counter (and the comparators' interrupts); bit 1 LEG_RT_CNF, the legacy
 * replacement routing of timers 0/1 onto IRQ0/IRQ8, is left as firmware
 * set it. 2.3.7 Main Counter Value: counts up at 1/period while ENABLE_CNF
 * is set.
 */
#define HPET_GCAP    0x000
#define HPET_GCONF   0x010
#define HPET_COUNTER 0x0f0
#define GCONF_ENABLE (1u << 0)
#define GCAP_64BIT   (1u << 13)
#define FS_PER_SEC   1000000000000000ull

static uintptr_t base;

static uint64_t hpet_read32(void)
{
	return mmio_read32(base + HPET_COUNTER);
}

static struct clocksource hpet_cs = {
	.name = "hpet",
	.read = hpet_read32,
	/* Read as 32 bits on both arches: one load, no torn halves. The
	 * time layer extends it; at <= 100 MHz it wraps after >= 42 s. */
	.mask = 0xffffffffu,
	.rating = 250,
};

/* Femtoseconds per tick, or 0: the spec allows at most 100 ns per tick
 * (0x05F5E100 fs, 2.3.4: at least 10 MHz), and 0 or ~0 mean nothing is
 * there (~0: a read of unbacked MMIO). Read as the high 32 bits alone. */
static uint32_t period_at(uint64_t phys)
{
	if (!phys || phys >= 0x100000000ull || (phys & 0x3ff))
		return 0;
	uintptr_t b = (uintptr_t)ioremap(phys, 0x400);
	uint32_t period = mmio_read32(b + HPET_GCAP + 4);

	return period > 100000000u ? 0 : period;
}

bool hpet_answers(uint64_t phys)
{
	return period_at(phys) != 0;
}

struct clocksource *hpet_init(uint64_t phys)
{
	uint32_t period = period_at(phys);

	if (!period)
		return NULL;
	base = (uintptr_t)ioremap(phys, 0x400);
	hpet_cs.hz = FS_PER_SEC / period;
	/* Firmware may leave the counter halted (ENABLE_CNF clear): start it,
	 * keeping the other bits, then require it to move. */
	mmio_write32(base + HPET_GCONF, mmio_read32(base + HPET_GCONF) | GCONF_ENABLE);
	uint32_t a = mmio_read32(base + HPET_COUNTER);
	for (int i = 0; i < 100000; i++) {
		if (mmio_read32(base + HPET_COUNTER) != a)
			return &hpet_cs;
		cpu_relax();
	}
	base = 0;
	return NULL; /* enabled but not counting */
}
