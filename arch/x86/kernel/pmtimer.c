// SPDX-License-Identifier: MIT
/*
 * ACPI power-management timer (ACPI 6.x chapter 4, "Power Management
 * Timer"; its register block in the FADT, section 5.2.9): a free-running up-counter at 3.579545 MHz (the NTSC colour
 * burst frequency the PC's 14.318 MHz crystal is four times), 24 bits wide
 * unless the FADT's TMR_VAL_EXT flag (Flags bit 8) says 32. It cannot be
 * stopped, set or interrupted on: a clocksource only. Its 4-byte register is
 * the FADT's X_PM_TMR_BLK (a Generic Address: I/O port or memory) or the
 * 32-bit PM_TMR_BLK port; the reader (acpi_fadt.c) hands over which.
 */
#include <asm/timers.h>
#include <asm/io.h>
#include <asm/cpu.h>

static uint16_t port;
static uintptr_t mmio;

static uint64_t pm_read(void)
{
	return mmio ? mmio_read32(mmio) : inl(port);
}

static struct clocksource pm_cs = {
	.name = "pmtimer",
	.read = pm_read,
	.hz = PMTIMER_HZ,
	.rating = 200,
};

struct clocksource *pmtimer_init(bool is_mmio, uint64_t addr, bool width32)
{
	if (!addr || (!is_mmio && addr > 0xffff))
		return NULL;
	if (is_mmio)
		mmio = (uintptr_t)ioremap(addr, 4);
	else
		port = (uint16_t)addr;
	pm_cs.mask = width32 ? 0xffffffffu : 0xffffffu;
	/* Present means counting: the value moves within a few microseconds
	 * (one tick is 279 ns). A port nothing decodes reads all ones and
	 * never moves. */
	uint32_t a = (uint32_t)pm_read() & pm_cs.mask;
	for (int i = 0; i < 10000; i++) {
		if (((uint32_t)pm_read() & pm_cs.mask) != a)
			return &pm_cs;
		cpu_relax();
	}
	mmio = 0;
	port = 0;
	return NULL;
}
