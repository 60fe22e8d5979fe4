// SPDX-License-Identifier: MIT
#include <kernel/memmap.h>

#define PAGE 4096ull

void memmap_init(struct memmap *m)
{
	m->n = 0;
	m->dropped = 0;
}

static void insert_at(struct memmap *m, unsigned i, uint64_t start, uint64_t end)
{
	if (m->n == MEMMAP_MAX) {
		m->dropped++;
		return;
	}
	memmove(&m->r[i + 1], &m->r[i], (m->n - i) * sizeof(m->r[0]));
	m->r[i] = (struct mem_range){start, end};
	m->n++;
}

static void delete_at(struct memmap *m, unsigned i)
{
	memmove(&m->r[i], &m->r[i + 1], (m->n - i - 1) * sizeof(m->r[0]));
	m->n--;
}

void memmap_add(struct memmap *m, uint64_t start, uint64_t end)
{
	if (start >= end)
		return;
	unsigned i = 0;

	while (i < m->n && m->r[i].end < start)
		i++;
	/* Merge with every range that overlaps or touches [start, end). */
	while (i < m->n && m->r[i].start <= end) {
		start = MIN(start, m->r[i].start);
		end = MAX(end, m->r[i].end);
		delete_at(m, i);
	}
	insert_at(m, i, start, end);
}

void memmap_remove(struct memmap *m, uint64_t start, uint64_t end)
{
	if (start >= end)
		return;
	for (unsigned i = 0; i < m->n;) {
		struct mem_range r = m->r[i];

		if (r.end <= start || r.start >= end) {
			i++;
			continue;
		}
		delete_at(m, i);
		if (r.start < start)
			insert_at(m, i++, r.start, start);
		if (r.end > end)
			insert_at(m, i++, end, r.end);
	}
}

void memmap_from_boot(struct memmap *m, const struct boot_info *bi, uint64_t limit)
{
	memmap_init(m);
	for (unsigned i = 0; i < bi->n_mmap; i++) {
		const struct boot_mem_region *e = &bi->mmap[i];
		if (e->type != MEM_USABLE || e->base + e->len < e->base)
			continue;
		uint64_t s = ALIGN_UP(e->base, PAGE), t = ALIGN_DOWN(e->base + e->len, PAGE);
		memmap_add(m, s, MIN(t, limit));
	}
	/* Anything firmware also calls reserved is not ours, page-aligned outwards. */
	for (unsigned i = 0; i < bi->n_mmap; i++) {
		const struct boot_mem_region *e = &bi->mmap[i];
		if (e->type == MEM_USABLE || e->base + e->len < e->base)
			continue;
		memmap_remove(m, ALIGN_DOWN(e->base, PAGE), ALIGN_UP(e->base + e->len, PAGE));
	}
}

uint64_t memmap_total(const struct memmap *m)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < m->n; i++)
		t += m->r[i].end - m->r[i].start;
	return t;
}
