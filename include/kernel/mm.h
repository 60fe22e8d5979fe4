/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <kernel/memmap.h>

#define PAGE_SIZE  4096u
#define PAGE_SHIFT 12

/* Physical pages (kernel/mm/page_alloc.c): all RAM below 4 GiB, identity-mapped. */
void page_alloc_init(const struct memmap *usable);
uint64_t page_alloc(unsigned n); /* n contiguous pages; 0 when none */
void page_free(uint64_t pa, unsigned n);
uint64_t page_free_count(void);

/* Heap (kernel/mm/heap.c). */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif
