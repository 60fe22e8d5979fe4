/* SPDX-License-Identifier: MIT */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <kernel/compiler.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}
static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}
static inline uint64_t mmio_read64(uintptr_t addr)
{
#ifdef CONFIG_X86_64
	return *(volatile uint64_t *)addr;
#else
	/* HPET counters are read as two halves; callers handle the carry. */
	uint32_t lo = *(volatile uint32_t *)addr;
	uint32_t hi = *(volatile uint32_t *)(addr + 4);
	return ((uint64_t)hi << 32) | lo;
#endif
}
static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
#ifdef CONFIG_X86_64
	*(volatile uint64_t *)addr = v;
#else
	*(volatile uint32_t *)addr = (uint32_t)v;
	*(volatile uint32_t *)(addr + 4) = (uint32_t)(v >> 32);
#endif
}

/* Map physical MMIO into the kernel's address space (identity, uncached). */
void *ioremap(uint64_t pa, size_t len);

#endif
