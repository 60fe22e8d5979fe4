// SPDX-License-Identifier: MIT
/*
 * The three page-table formats share one walker: a format is a list of
 * levels (index shift, entries per table) and an entry size. Leaf entries
 * carry the attributes; intermediate entries are always present + writable
 * (PAE's PDPT entries take only the present bit: SDM Vol 3A 4.4.1).
 */
#include <asm/paging.h>
#include <asm/paravirt.h>
#include <asm/cpufeature.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

#define PTE_P	      (1ull << 0)
#define PTE_W	      (1ull << 1)
#define PTE_U	      (1ull << 2)
#define PTE_PWT	      (1ull << 3)
#define PTE_PCD	      (1ull << 4)
#define PTE_AD	      (3ull << 5) /* accessed, dirty: the CPU sets them */
#define PTE_PS	      (1ull << 7)
#define PTE_NX	      (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

#define GIB4 0x100000000ull

struct fmt {
	unsigned levels;
	unsigned shift[4]; /* top level first */
	unsigned entries[4];
	unsigned entry_size;
	unsigned large_level; /* level index where PS pages may be used, or 99 */
};

#ifdef CONFIG_X86_64
static const struct fmt fmt_4level = {4, {39, 30, 21, 12}, {512, 512, 512, 512}, 8, 2};
#else
static const struct fmt fmt_pae = {3, {30, 21, 12}, {4, 512, 512}, 8, 1};
static const struct fmt fmt_2level = {2, {22, 12}, {1024, 1024}, 4, 1};
#endif

static const struct fmt *fmt;
bool paging_no_pae;
bool paging_pae_check;
static enum paging_mode mode;
static uint64_t root; /* physical address of the top table */
static bool nx, large_ok;
static spinlock_t pt_lock = SPINLOCK_INIT;

extern char _kernel_start[], _text[], _etext[], _rodata[], _erodata[], _data[], _edata[],
	_kernel_end[];

uint64_t paging_adopt_root;
bool paging_no_large;

#ifdef CONFIG_PARAVIRT
/* The native page-table pvops (include/asm/paging.h). */
PV_REGPARM uint64_t native_pt_read(uint64_t entry_pa)
{
	return *(volatile uint64_t *)(uintptr_t)entry_pa;
}

PV_REGPARM void native_pt_write(uint64_t entry_pa, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)entry_pa = v;
}

PV_REGPARM void native_pt_alloc(uint64_t pa)
{
	memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
}

PV_REGPARM void native_pt_commit(void)
{
}
#endif

static uint64_t get(uint64_t table, unsigned i)
{
	if (fmt->entry_size == 4)
		return ((uint32_t *)(uintptr_t)table)[i];
	return pt_read(table + 8ull * i);
}

static void set(uint64_t table, unsigned i, uint64_t v)
{
	if (fmt->entry_size == 4)
		((volatile uint32_t *)(uintptr_t)table)[i] = (uint32_t)v;
	else
		pt_write(table + 8ull * i, v);
}

static uint64_t new_table(void)
{
	/* PAE's PDPT and every table must sit below 4 GiB: all our RAM does. */
	uint64_t pa = page_alloc(1);

	if (!pa)
		panic("paging: out of memory for page tables");
	pt_alloc(pa);
	return pa;
}

static uint64_t leaf_bits(unsigned attrs)
{
	uint64_t v = PTE_P;

	if (attrs & MAP_WRITE)
		v |= PTE_W;
	if (attrs & MAP_UNCACHED)
		v |= PTE_PCD | PTE_PWT;
	if (attrs & MAP_USER)
		v |= PTE_U;
	if (!(attrs & MAP_EXEC) && nx)
		v |= PTE_NX;
	return v;
}

static uint64_t table_bits(unsigned level)
{
	/* Upper levels allow everything; the leaf decides. (PAE's PDPT entries
	 * have no W or U bit: they are reserved there.) */
	return mode == PAGING_PAE && level == 0 ? PTE_P : PTE_P | PTE_W | PTE_U;
}

/* Replace a large page at (table, i) by a table of equivalent smaller pages. */
static uint64_t split(uint64_t table, unsigned i, unsigned level)
{
	uint64_t e = get(table, i), t = new_table();
	uint64_t base = e & PTE_ADDR_MASK & ~((1ull << fmt->shift[level]) - 1);
	uint64_t flags = e & ~PTE_ADDR_MASK & ~PTE_PS;
	bool last = level + 1 == fmt->levels - 1;

	if (fmt->entry_size == 4)
		base = e & 0xffc00000u;
	for (unsigned j = 0; j < fmt->entries[level + 1]; j++)
		set(t, j,
		    (base + ((uint64_t)j << fmt->shift[level + 1])) | flags | (last ? 0 : PTE_PS));
	set(table, i, t | table_bits(level));
	return t;
}

/* Would writing v over e change the mapping? The accessed and dirty bits the
 * CPU sets in e do not count: an entry rewritten as it was is left alone. */
static bool entry_differs(uint64_t e, uint64_t v)
{
	return ((e ^ v) & ~PTE_AD) != 0;
}

/*
 * Map va (from the root down) and say whether an entry that was present
 * changed (a TLB flush is then due). *leaf is the leaf table when va went
 * in at the leaf level, for map_range to go on in it; 0 otherwise.
 */
static bool map_one(uint64_t va, uint64_t pa, uint64_t *left, unsigned attrs, bool only_new,
		    uint64_t *leaf)
{
	uint64_t table = root;

	*leaf = 0;

	for (unsigned level = 0; level < fmt->levels; level++) {
		unsigned shift = fmt->shift[level];
		unsigned i = (va >> shift) & (fmt->entries[level] - 1);
		uint64_t size = 1ull << shift, e = get(table, i);
		bool leaf_level = level == fmt->levels - 1;
		bool can_large = level == fmt->large_level && large_ok && !(va & (size - 1)) &&
				 *left >= size;

		if (leaf_level || (can_large && !(e & PTE_P)) ||
		    (can_large && (e & PTE_PS) && !only_new)) {
			if (leaf_level)
				*leaf = table;
			if (only_new && (e & PTE_P)) {
				*left -= MIN(*left, size - (va & (size - 1)));
				return false;
			}
			uint64_t v = pa | leaf_bits(attrs) | (leaf_level ? 0 : PTE_PS);
			*left -= MIN(*left, size);
			if (!entry_differs(e, v))
				return false; /* as it was: no write, no flush */
			set(table, i, v);
			return (e & PTE_P) != 0;
		}
		if (!(e & PTE_P)) {
			uint64_t t = new_table();
			set(table, i, t | table_bits(level));
			table = t;
		} else if (e & PTE_PS) {
			if (only_new) {
				*left -= MIN(*left, size - (va & (size - 1)));
				return false;
			}
			table = split(table, i, level);
		} else {
			table = e & PTE_ADDR_MASK;
		}
	}
	return false;
}

static void flush_here(void *unused)
{
	write_cr3(read_cr3());
}

/*
 * A present entry changed (a page made read-only, non-executable, uncached,
 * user-visible or gone): the other CPUs drop what their TLBs hold too, as
 * Linux's flush_tlb_kernel_range does; a local flush leaves them using the
 * old rights (core.readonly_on_every_cpu). No global pages are used, so a CR3
 * reload drops everything. Called without pt_lock, interrupts as the caller
 * had them: the others answer in their interrupt handlers.
 */
static void flush_others(void)
{
	/* A panic has stopped the others: they would not answer. */
	if (nr_cpus_online < 2 || panic_in_progress())
		return;
	unsigned late = smp_call_others(flush_here, NULL, 5000);
	if (late)
		printk(KERN_ERR "paging: TLB shootdown: %u CPU%s did not answer in 5 s and may "
				"still use the old entries\n",
		       late, late == 1 ? "" : "s");
}

/* Map on this CPU: 1 if a present entry changed (flushed here, not yet on
 * the others: flush_others), 0 if not, -1 if the range is beyond 4 GiB. */
static int map_range_here(uint64_t pa, uint64_t len, unsigned attrs, bool only_new)
{
	if (mode == PAGING_OFF)
		return 0;
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + len, PAGE_SIZE);

	if (end > GIB4 || end < start)
		return -1;
	unsigned long f = spin_lock_irqsave(&pt_lock);
	uint64_t left = end - start, va = start;
	bool flush = false;

	while (left) {
		uint64_t before = left, leaf;
		flush |= map_one(va, va, &left, attrs, only_new, &leaf);
		va += before - left;
		if (!leaf)
			continue;
		/* The pages after va in the same leaf table, without a walk from
		 * the root for each (paging_init maps some 700 pages one by one:
		 * 286 us of boot under -icount before this). */
		unsigned last = fmt->levels - 1, n = fmt->entries[last];
		uint64_t bits = leaf_bits(attrs);
		for (unsigned i = (va >> fmt->shift[last]) & (n - 1); i && left; i = (i + 1) % n) {
			uint64_t e = get(leaf, i), v = va | bits;
			if (!(e & PTE_P)) {
				set(leaf, i, v);
			} else if (!only_new && entry_differs(e, v)) {
				set(leaf, i, v);
				flush = true;
			}
			left -= PAGE_SIZE;
			va += PAGE_SIZE;
		}
	}
	pt_commit(); /* queued entry writes (Xen PV) reach the tables */
	if (flush)
		write_cr3(read_cr3());
	spin_unlock_irqrestore(&pt_lock, f);
	return flush;
}

static int map_range(uint64_t pa, uint64_t len, unsigned attrs, bool only_new)
{
	int rc = map_range_here(pa, len, attrs, only_new);

	if (rc > 0)
		flush_others();
	return rc < 0 ? rc : 0;
}

int paging_map(uint64_t pa, uint64_t len, unsigned attrs)
{
	return map_range(pa, len, attrs, false);
}

int paging_ensure(uint64_t pa, uint64_t len, unsigned attrs)
{
	return map_range(pa, len, attrs, true);
}

/* Find the entry mapping va: returns its value, 0 if not present. */
static uint64_t lookup(uintptr_t va, uint64_t *table_out, unsigned *idx_out, unsigned *level_out)
{
	uint64_t table = root;

	if (mode == PAGING_OFF)
		return PTE_P | PTE_W;
	for (unsigned level = 0; level < fmt->levels; level++) {
		unsigned i = (va >> fmt->shift[level]) & (fmt->entries[level] - 1);
		uint64_t e = get(table, i);
		if (!(e & PTE_P))
			return 0;
		if (level == fmt->levels - 1 || (e & PTE_PS)) {
			if (table_out) {
				*table_out = table;
				*idx_out = i;
				*level_out = level;
			}
			return e;
		}
		table = e & PTE_ADDR_MASK;
	}
	return 0;
}

void paging_unmap(uint64_t pa, uint64_t len)
{
	unsigned long f = spin_lock_irqsave(&pt_lock);
	bool any = false;

	for (uint64_t va = ALIGN_DOWN(pa, PAGE_SIZE); va < pa + len; va += PAGE_SIZE) {
		uint64_t table;
		unsigned i, level;
		if (!lookup(va, &table, &i, &level))
			continue;
		while (level != fmt->levels - 1) {
			table = split(table, i, level);
			level++;
			i = (va >> fmt->shift[level]) & (fmt->entries[level] - 1);
		}
		set(table, i, 0);
		pt_commit();
		flush_tlb_one(va);
		any = true;
	}
	spin_unlock_irqrestore(&pt_lock, f);
	if (any)
		flush_others();
}

int paging_rewrite_leaves(uintptr_t va, unsigned n, bool batched)
{
	int rc = 0;
	unsigned long f = spin_lock_irqsave(&pt_lock);

	for (unsigned k = 0; k < n && !rc; k++) {
		uint64_t table;
		unsigned i, level;
		uint64_t e = lookup(va + (uintptr_t)k * PAGE_SIZE, &table, &i, &level);
		if (!e)
			rc = -1;
		else
			set(table, i, e);
		if (!batched)
			pt_commit();
	}
	pt_commit();
	spin_unlock_irqrestore(&pt_lock, f);
	return rc;
}

bool paging_readable(uintptr_t va, size_t len)
{
	for (uintptr_t p = ALIGN_DOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE)
		if (!lookup(p, NULL, NULL, NULL))
			return false;
	return true;
}

bool paging_executable(uintptr_t va)
{
	uint64_t e = lookup(va, NULL, NULL, NULL);

	return (e & PTE_P) && !(nx && (e & PTE_NX));
}

enum paging_mode paging_mode(void)
{
	return mode;
}

const char *paging_mode_name(void)
{
	static const char *const names[] = {"off", "2-level", "pae", "4-level"};
	return names[mode];
}

bool paging_nx_enabled(void)
{
	return nx;
}

unsigned long paging_root(void)
{
	return (unsigned long)root;
}

#define K(sym) ((uint64_t)(uintptr_t)(sym))

#ifndef CONFIG_X86_64
/*
 * PAE PDPT entries take only P, PWT, PCD and the address: the CPU loads them
 * with CR3 and writes nothing back (SDM Vol 3A 4.4.1). QEMU's TCG walker sets
 * the accessed bit there, and Xen's software walker (instruction emulation,
 * hypercall buffers) takes it as reserved and injects a #PF. Run right after
 * CR0.PG, before any instruction Xen intercepts (a CR0 access): a changed
 * entry panics with the evidence instead of the later hang. Only under
 * xen_pae (machines/xen.c, docs/machines.md "xen").
 */
static void __init pae_check_pdpt(const uint64_t written[4])
{
	for (unsigned i = 0; i < 4; i++) {
		uint64_t now = get(root, i);
		if (now != written[i])
			panic("paging: PAE PDPT entry %u written %#llx reads %#llx after CR0.PG: "
			      "the page walker set a reserved bit, which Xen's walker faults on",
			      i, (unsigned long long)written[i], (unsigned long long)now);
	}
	printk("paging: PAE PDPT entries unchanged after CR0.PG\n");
}
#endif

void __init paging_init(const struct memmap *usable)
{
#ifdef CONFIG_X86_64
	fmt = &fmt_4level;
	mode = PAGING_4LEVEL;
	large_ok = !paging_no_large;
	nx = cpu_has(X86_FEATURE_NX); /* EFER.NXE was set by the entry code */
#else
	if (cpu_has(X86_FEATURE_PAE) && !paging_no_pae) {
		fmt = &fmt_pae;
		mode = PAGING_PAE;
		large_ok = true;
		nx = cpu_has(X86_FEATURE_NX);
	} else {
		fmt = &fmt_2level;
		mode = PAGING_2LEVEL;
		large_ok = cpu_has(X86_FEATURE_PSE);
		nx = false;
	}
	if (nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
#endif
	/* PAE's top table is 32 bytes; a whole page keeps things simple. */
	root = paging_adopt_root ? paging_adopt_root : new_table();
	/*
	 * The CPU loads PAE's four PDPT entries with CR3 (SDM 4.4.1) and does
	 * not look at them again: an entry added later (an ioremap at 0xfec00000)
	 * would be ignored until the next CR3 load. So all four exist from the
	 * start. (QEMU re-reads them on every walk; Bochs and hardware do not.)
	 */
	uint64_t pdpte[4] = {0};
	if (mode == PAGING_PAE)
		for (unsigned i = 0; i < 4; i++)
			set(root, i, pdpte[i] = new_table() | PTE_P);

	/* Page 0 stays unmapped so NULL dereferences fault. */
	paging_map(0x1000, 0x9f000, MAP_WRITE);
	paging_map(0xc0000, 0x40000, 0); /* option ROMs, BIOS, its tables */
	for (unsigned i = 0; i < usable->n; i++)
		paging_map(usable->r[i].start, usable->r[i].end - usable->r[i].start, MAP_WRITE);
	/* Text stays writable until the pvops patcher has run. */
	paging_map(K(_kernel_start), K(_etext) - K(_kernel_start), MAP_WRITE | MAP_EXEC);
	paging_map(K(_rodata), K(_erodata) - K(_rodata), MAP_WRITE);
	paging_map(K(_data), K(_edata) - K(_data), MAP_WRITE);
	paging_map(K(_edata), K(_kernel_end) - K(_edata), 0);
	/* The boot stack's guard page (arch/x86/boot/entry.S), and page 0
	 * where an adopted root mapped it (so NULL dereferences fault). */
	extern char boot_stack_guard[];
	paging_unmap(K(boot_stack_guard), PAGE_SIZE);
	paging_unmap(0, PAGE_SIZE);

#ifdef CONFIG_X86_64
	write_cr3((unsigned long)root);
#else
	if (mode == PAGING_PAE)
		write_cr4(read_cr4() | X86_CR4_PAE);
	else if (large_ok)
		write_cr4(read_cr4() | X86_CR4_PSE);
	write_cr3((unsigned long)root);
	write_cr0(read_cr0() | X86_CR0_PG);
	if (mode == PAGING_PAE && paging_pae_check)
		pae_check_pdpt(pdpte);
#endif
	/* Supervisor writes honour read-only pages only with CR0.WP. */
	write_cr0(read_cr0() | X86_CR0_WP);
}

void paging_protect_kernel(void)
{
	/* One shootdown for both where APs are up (at boot none are yet:
	 * kernel/main.c protects before it starts them). */
	int text = map_range_here(K(_kernel_start), K(_etext) - K(_kernel_start), MAP_EXEC, false);
	int ro = map_range_here(K(_rodata), K(_erodata) - K(_rodata), 0, false);

	if (text > 0 || ro > 0)
		flush_others();
}

void *ioremap(uint64_t pa, size_t len)
{
	paging_map(pa, len, MAP_WRITE | MAP_UNCACHED);
	return (void *)(uintptr_t)pa;
}
