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
#include <string.h>

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
extern bool paging_pae_check;
/* Map [pa, pa + len) with attrs, replacing what is there. */
int paging_map(uint64_t pa, uint64_t len, unsigned attrs);
/* Map only the pages of [pa, pa + len) that are not mapped yet. */
int paging_ensure(uint64_t pa, uint64_t len, unsigned attrs);
void paging_unmap(uint64_t pa, uint64_t len);
/* Kernel text read-only and executable, rodata read-only: after patching. */
void paging_protect_kernel(void);
/* Can va be read without faulting? (for backtraces and diagnostics) */
bool paging_readable(uintptr_t va, size_t len);
bool paging_executable(uintptr_t va);
enum paging_mode paging_mode(void);
const char *paging_mode_name(void);
bool paging_nx_enabled(void);
unsigned long paging_root(void); /* CR3 value, for APs */
/*
 * Set by an entry path whose hypervisor hands over page tables that must
 * stay the root (Xen PV: its bootstrap tables, which Xen has validated and
 * pinned): paging_init extends them instead of building a new tree, and
 * with paging_no_large uses no 2 MiB pages (Xen PV allows none).
 */
/* Benchmark support (kernel/bench.c): write each of the n leaf entries
 * mapping [va, va + n pages) again with its own value, committing after
 * each write (batched false) or once at the end. -1 if one is not mapped. */
int paging_rewrite_leaves(uintptr_t va, unsigned n, bool batched);
extern uint64_t paging_adopt_root;
extern bool paging_no_large;

/*
 * Page-table entry access for 8-byte entries (x86_64, i386 PAE; 2-level's
 * 4-byte entries are plain loads and stores): on x86_64 with paravirt the
 * pvops PT_READ, PT_WRITE, PT_ALLOC, PT_COMMIT, elsewhere the plain forms. A hypervisor
 * that owns the page tables (Xen PV) translates frame numbers and validates
 * each write, and may queue writes until pt_commit(); natively they are a
 * load, a store and nothing. pt_alloc(pa) makes a new page a zeroed table
 * page before it is linked. A reader of a queued entry sees the queued value.
 */
#if defined(CONFIG_PARAVIRT) && defined(CONFIG_X86_64)
#include <asm/paravirt.h>
uint64_t native_pt_read(uint64_t entry_pa);
void native_pt_write(uint64_t entry_pa, uint64_t v);
void native_pt_alloc(uint64_t pa);
void native_pt_commit(void);
static inline uint64_t pt_read(uint64_t entry_pa)
{
	return PV_CALL1(PV_PT_READ, entry_pa);
}
static inline void pt_write(uint64_t entry_pa, uint64_t v)
{
	PV_CALL2(PV_PT_WRITE, entry_pa, v);
}
static inline void pt_alloc(uint64_t pa)
{
	PV_CALL1(PV_PT_ALLOC, pa);
}
static inline void pt_commit(void)
{
	PV_CALL0(PV_PT_COMMIT);
}
#elif defined(CONFIG_PARAVIRT)
#include <asm/paravirt.h>
/* i386: the ops exist (the list is one for both arches) but nothing calls
 * them: no 32-bit PV guest here. */
PV_REGPARM uint64_t native_pt_read(uint64_t entry_pa);
PV_REGPARM void native_pt_write(uint64_t entry_pa, uint64_t v);
PV_REGPARM void native_pt_alloc(uint64_t pa);
PV_REGPARM void native_pt_commit(void);
#endif
#if !(defined(CONFIG_PARAVIRT) && defined(CONFIG_X86_64))
/* Plain accesses where no op can take them over (i386, CONFIG_PARAVIRT=n). */
static inline uint64_t pt_read(uint64_t entry_pa)
{
	return *(volatile uint64_t *)(uintptr_t)entry_pa;
}
static inline void pt_write(uint64_t entry_pa, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)entry_pa = v;
}
static inline void pt_alloc(uint64_t pa)
{
	memset((void *)(uintptr_t)pa, 0, 4096);
}
static inline void pt_commit(void)
{
}
#endif

#endif
