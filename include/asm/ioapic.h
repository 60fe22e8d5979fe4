/* SPDX-License-Identifier: MIT */
#ifndef ASM_IOAPIC_H
#define ASM_IOAPIC_H

#include <kernel/compiler.h>

/*
 * Map and verify the IO-APIC at phys: present only if its version register
 * answers (QEMU isapc's MP table lists one that does not exist: reads 0 or
 * all ones). Returns the number of pins, 0 if absent.
 */
unsigned ioapic_probe(uint64_t phys, uint32_t *version);
/* Program one pin: vector, destination, logical/physical, INTI_* flags. */
void ioapic_route(uint64_t phys, unsigned pin, unsigned vector, uint32_t dest, bool logical,
		  uint16_t flags, bool masked);
void ioapic_mask(uint64_t phys, unsigned pin, bool masked);
void ioapic_route_nmi(uint64_t phys, unsigned pin, uint32_t dest, bool logical);
uint64_t ioapic_read_rte(uint64_t phys, unsigned pin);
void ioapic_mask_all(uint64_t phys, unsigned pins);

#endif
