// SPDX-License-Identifier: MIT
/*
 * kmalloc: power-of-two size classes from 32 bytes to 2 KiB carved out of
 * pages, larger requests straight from the page allocator. Each block
 * carries a 16-byte header naming its class, so kfree needs no size.
 */
#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include <kernel/panic.h>

#define HDR	   16
#define MIN_SHIFT  5
#define MAX_SHIFT  11
#define NCLASS	   (MAX_SHIFT - MIN_SHIFT + 1)
#define HEAP_MAGIC 0x6b6d616cu

struct hdr {
	uint32_t magic;
	uint32_t cls; /* class index, or 0xffff for page runs */
	uint32_t pages;
	uint32_t pad;
};

struct free_blk {
	struct free_blk *next;
};

static struct free_blk *freelist[NCLASS];
static spinlock_t lock = SPINLOCK_INIT;

static bool refill(unsigned cls)
{
	uint64_t pa = page_alloc(1);
	size_t sz = 1u << (cls + MIN_SHIFT);

	if (!pa)
		return false;
	for (size_t off = 0; off + sz <= PAGE_SIZE; off += sz) {
		struct free_blk *b = (struct free_blk *)(uintptr_t)(pa + off);
		b->next = freelist[cls];
		freelist[cls] = b;
	}
	return true;
}

void *kmalloc(size_t size)
{
	size_t need = size + HDR;

	if (need > (1u << MAX_SHIFT)) {
		unsigned pages = (unsigned)((need + PAGE_SIZE - 1) / PAGE_SIZE);
		uint64_t pa = page_alloc(pages);
		if (!pa)
			return NULL;
		struct hdr *h = (struct hdr *)(uintptr_t)pa;
		*h = (struct hdr){HEAP_MAGIC, 0xffff, pages, 0};
		return (char *)h + HDR;
	}
	unsigned cls = 0;
	while ((1u << (cls + MIN_SHIFT)) < need)
		cls++;
	unsigned long f = spin_lock_irqsave(&lock);
	if (!freelist[cls] && !refill(cls)) {
		spin_unlock_irqrestore(&lock, f);
		return NULL;
	}
	struct free_blk *b = freelist[cls];
	freelist[cls] = b->next;
	spin_unlock_irqrestore(&lock, f);
	struct hdr *h = (struct hdr *)b;
	*h = (struct hdr){HEAP_MAGIC, cls, 0, 0};
	return (char *)h + HDR;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)((char *)p - HDR);
	if (h->magic != HEAP_MAGIC)
		panic("kfree(%p): not a heap block (magic %#x)", p, h->magic);
	h->magic = 0;
	if (h->cls == 0xffff) {
		page_free((uintptr_t)h, h->pages);
		return;
	}
	unsigned cls = h->cls;
	unsigned long f = spin_lock_irqsave(&lock);
	struct free_blk *b = (struct free_blk *)h;
	b->next = freelist[cls];
	freelist[cls] = b;
	spin_unlock_irqrestore(&lock, f);
}
