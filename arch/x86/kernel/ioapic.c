// SPDX-License-Identifier: MIT
/*
 * IO-APIC (Intel 82093AA datasheet, 3.0 "Register Description"). Two
 * memory-mapped registers only: IOREGSEL at +0x00 takes a register index,
 * IOWIN at +0x10 reads or writes that register, 32 bits at a time. So every
 * access is two MMIO operations, and an index write by another CPU in
 * between would redirect the data access. Nothing here locks: routing is
 * done by one CPU at a time in this kernel (boot, then the tests).
 *
 * Registers: 0x00 ID, 0x01 version (bits 23:16 = highest redirection entry,
 * 7:0 = version), 0x10 + 2n / 0x11 + 2n the low / high half of redirection
 * entry n. An entry (3.2.4): vector 7:0, delivery mode 10:8, destination
 * mode 11 (logical), delivery status 12, polarity 13 (active low), remote
 * IRR 14 (level: set until the EOI), trigger 15 (level), mask 16,
 * destination 63:56 -- an 8-bit APIC id or logical set, whatever the local
 * APICs' mode, which is why an x2APIC cluster LDR above cluster 0 cannot
 * be written here (machines/native.c).
 */
#include <asm/ioapic.h>
#include <asm/io.h>
#include <kernel/topology.h>

#define IOREGSEL      0x00
#define IOWIN	      0x10
#define IOAPICVER     0x01
#define IOREDTBL(pin) (0x10 + 2 * (pin))

#define RTE_MASKED     (1u << 16)
#define RTE_LEVEL      (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)
#define RTE_LOGICAL    (1u << 11)

static uint32_t rd(uint64_t phys, unsigned reg)
{
	mmio_write32((uintptr_t)phys + IOREGSEL, reg);
	return mmio_read32((uintptr_t)phys + IOWIN);
}

static void wr(uint64_t phys, unsigned reg, uint32_t v)
{
	mmio_write32((uintptr_t)phys + IOREGSEL, reg);
	mmio_write32((uintptr_t)phys + IOWIN, v);
}

unsigned ioapic_probe(uint64_t phys, uint32_t *version)
{
	if (!phys || phys >= 0x100000000ull || (phys & 0xf))
		return 0;
	ioremap(phys, 0x20);
	uint32_t v = rd(phys, IOAPICVER);
	unsigned max = (v >> 16) & 0xff, ver = v & 0xff;

	if (version)
		*version = v;
	/* Real IO-APICs are version 0x1x (82093AA: 0x11) or 0x20; absent ones
	 * read 0 or ~0 (open bus). Fewer than 8 pins is taken as garbage too. */
	if (v == 0 || v == 0xffffffffu || ver < 0x10 || ver > 0x2f || max < 7)
		return 0;
	return max + 1;
}

void ioapic_route(uint64_t phys, unsigned pin, unsigned vector, uint32_t dest, bool logical,
		  uint16_t flags, bool masked)
{
	uint32_t lo = vector | (logical ? RTE_LOGICAL : 0) | (masked ? RTE_MASKED : 0);

	if ((flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
		lo |= RTE_LEVEL;
	if ((flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)
		lo |= RTE_ACTIVE_LOW;
	/* Mask first so a half-written entry never fires. */
	wr(phys, IOREDTBL(pin), RTE_MASKED);
	wr(phys, IOREDTBL(pin) + 1, dest << 24);
	wr(phys, IOREDTBL(pin), lo);
}

void ioapic_mask(uint64_t phys, unsigned pin, bool masked)
{
	uint32_t lo = rd(phys, IOREDTBL(pin));

	wr(phys, IOREDTBL(pin), masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
}

uint64_t ioapic_read_rte(uint64_t phys, unsigned pin)
{
	return (uint64_t)rd(phys, IOREDTBL(pin) + 1) << 32 | rd(phys, IOREDTBL(pin));
}

void ioapic_mask_all(uint64_t phys, unsigned pins)
{
	for (unsigned p = 0; p < pins; p++)
		wr(phys, IOREDTBL(p), RTE_MASKED);
}

/* Deliver the pin as an NMI (delivery mode 100b). Edge, as NMIs must be:
 * the vector field is ignored and no EOI comes back, so a level entry's
 * remote IRR would never clear (82093AA 3.2.4). */
void ioapic_route_nmi(uint64_t phys, unsigned pin, uint32_t dest, bool logical)
{
	uint32_t lo = (4u << 8) | (logical ? RTE_LOGICAL : 0);

	wr(phys, IOREDTBL(pin), RTE_MASKED);
	wr(phys, IOREDTBL(pin) + 1, dest << 24);
	wr(phys, IOREDTBL(pin), lo);
}
