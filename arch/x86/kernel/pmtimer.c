// SPDX-License-Identifier: MIT
/* ACPI power-management timer: 3.579545 MHz, 24-bit unless TMR_VAL_EXT. */
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
	/* Present means counting: the value moves within a few microseconds. */
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
