// SPDX-License-Identifier: MIT
/*
 * Physical page allocator: one bit per 4 KiB page below 4 GiB (128 KiB of
 * bitmap), a set bit meaning free. First fit from a rotating hint; good
 * enough for a kernel that allocates at boot and for per-CPU stacks.
 */
#include <kernel/mm.h>
#include <kernel/spinlock.h>

#define MAX_PFN (1ull << 20)

static uint32_t freemap[MAX_PFN / 32];
static uint64_t nr_free, nr_total, hint;
static spinlock_t lock = SPINLOCK_INIT;

static bool is_free(uint64_t pfn)
{
	return freemap[pfn / 32] & (1u << (pfn % 32));
}

static void set_free(uint64_t pfn, bool free)
{
	if (free)
		freemap[pfn / 32] |= 1u << (pfn % 32);
	else
		freemap[pfn / 32] &= ~(1u << (pfn % 32));
}

/* Mark [s, e) free: the partial words at each end bit by bit, whole words
 * in between with one store each (32 pages a store, not one). */
static void set_range_free(uint64_t s, uint64_t e)
{
	for (; s < e && s % 32; s++)
		set_free(s, true);
	for (; s + 32 <= e; s += 32)
		freemap[s / 32] = ~0u;
	for (; s < e; s++)
		set_free(s, true);
}

void page_alloc_init(const struct memmap *usable)
{
	for (unsigned i = 0; i < usable->n; i++) {
		uint64_t s = usable->r[i].start >> PAGE_SHIFT;
		uint64_t e = MIN(usable->r[i].end >> PAGE_SHIFT, MAX_PFN);
		if (s < e) {
			set_range_free(s, e);
			nr_free += e - s;
		}
	}
	nr_total = nr_free;
}

/*
 * First run of n free pages in [from, to). Whole words are judged at once:
 * an empty word ends any run, a full one extends it by 32; only mixed words
 * are looked at bit by bit.
 */
static uint64_t find_run(uint64_t from, uint64_t to, unsigned n)
{
	uint64_t run = 0;

	for (uint64_t p = from; p < to;) {
		uint32_t w = freemap[p / 32];
		if (!(p % 32) && p + 32 <= to && (w == 0 || w == ~0u)) {
			run = w ? run + 32 : 0;
			p += 32;
			if (run >= n)
				return p - run;
			continue;
		}
		run = is_free(p) ? run + 1 : 0;
		p++;
		if (run == n)
			return p - n;
	}
	return 0;
}

static uint64_t page_alloc_below(unsigned n, uint64_t limit)
{
	uint64_t top = MIN(limit >> PAGE_SHIFT, MAX_PFN);

	/* Before page_alloc_init (the boot CPU's first GDT load) or when
	 * memory is gone: nothing to find, so do not walk 128 KiB of zeroes. */
	if (n > READ_ONCE(nr_free))
		return 0;
	unsigned long f = spin_lock_irqsave(&lock);
	uint64_t start = hint < top ? hint : 0;
	uint64_t p = n ? find_run(start, top, n) : 0;

	if (!p && start)
		p = find_run(1, top, n);
	if (p) {
		for (unsigned i = 0; i < n; i++)
			set_free(p + i, false);
		nr_free -= n;
		hint = p + n;
	}
	spin_unlock_irqrestore(&lock, f);
	return p << PAGE_SHIFT;
}

uint64_t page_alloc(unsigned n)
{
	return page_alloc_below(n, MAX_PFN << PAGE_SHIFT);
}

void page_free(uint64_t pa, unsigned n)
{
	unsigned long f = spin_lock_irqsave(&lock);

	for (unsigned i = 0; i < n; i++) {
		uint64_t pfn = (pa >> PAGE_SHIFT) + i;
		if (pfn < MAX_PFN && !is_free(pfn)) {
			set_free(pfn, true);
			nr_free++;
		}
	}
	spin_unlock_irqrestore(&lock, f);
}

uint64_t page_free_count(void)
{
	return nr_free;
}
