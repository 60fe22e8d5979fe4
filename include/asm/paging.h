/* SPDX-License-Identifier: MIT */
/*
 * Kernel page tables: physical = virtual, low 4 GiB only. Three formats,
 * picked at boot: 4-level (x86_64), PAE (i386 with PAE: gives NX) and
 * 2-level (i386 without PAE, e.g. a 486). Mappings are made on demand:
 * RAM and the kernel at boot, firmware tables when read, MMIO by ioremap.
 */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <kernel/memmap.h>

/* Mapping attributes (not PTE bits). */
#define MAP_WRITE    (1u << 0)
#define MAP_EXEC     (1u << 1)
#define MAP_UNCACHED (1u << 2)
#define MAP_USER     (1u << 3) /* user-accessible: only for SMEP/SMAP tests */

enum paging_mode { PAGING_OFF, PAGING_2LEVEL, PAGING_PAE, PAGING_4LEVEL };

void paging_init(const struct memmap *usable);
/* i386: set by a machine's early hook where PAE paging is known not to work;
 * paging_init then builds 2-level tables (no NX). */
extern bool paging_no_pae;
/* Map [pa, pa + len) with attrs, replacing what is there. */
int paging_map(uint64_t pa, uint64_t len, unsigned attrs);
/* Map only the pages of [pa, pa + len) that are not mapped yet. */
int paging_ensure(uint64_t pa, uint64_t len, unsigned attrs);
void paging_unmap(uint64_t pa, uint64_t len);
/* Kernel text read-only and executable, rodata read-only: after patching. */
void paging_protect_kernel(void);
/* Can va be read without faulting? (for backtraces and diagnostics) */
bool paging_readable(uintptr_t va, size_t len);
bool paging_writable(uintptr_t va);
bool paging_executable(uintptr_t va);
enum paging_mode paging_mode(void);
const char *paging_mode_name(void);
bool paging_nx_enabled(void);
unsigned long paging_root(void); /* CR3 value, for APs */

#endif
