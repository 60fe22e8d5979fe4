// SPDX-License-Identifier: MIT
/*
 * Memory protection where the kernel runs. Text read-only, data
 * non-executable and the NULL page are in kernel/tests/core.c; here SMEP,
 * SMAP and UMIP, each proven by the access it forbids where the CPU has it.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <asm/cpufeature.h>
#include <asm/paging.h>
#include <asm/paravirt.h>
#include <asm/trap.h>

KTEST(protection, cr4_bits)
{
	bool any = false;
	unsigned long cr4 = read_cr4();

	if (cpu_has(X86_FEATURE_SMEP)) {
		KT_EXPECT(t, cr4 & X86_CR4_SMEP);
		any = true;
	}
	if (cpu_has(X86_FEATURE_SMAP)) {
		KT_EXPECT(t, cr4 & X86_CR4_SMAP);
		any = true;
	}
	if (cpu_has(X86_FEATURE_UMIP)) {
		KT_EXPECT(t, cr4 & X86_CR4_UMIP);
		any = true;
	}
	if (!any)
		KT_SKIP(t, "this CPU has none of SMEP, SMAP, UMIP");
}

/* A page of RAM made user-accessible for the test, then given back. */
static uint64_t user_page(unsigned attrs)
{
	uint64_t pa = page_alloc(1);

	if (pa)
		paging_map(pa, PAGE_SIZE, MAP_USER | attrs);
	return pa;
}

static void user_page_free(uint64_t pa)
{
	paging_map(pa, PAGE_SIZE, MAP_WRITE);
	page_free(pa, 1);
}

KTEST(protection, smap_blocks_user_read)
{
	uint8_t v;

	if (!cpu_has(X86_FEATURE_SMAP))
		KT_SKIP(t, "no SMAP on this CPU");
	uint64_t pa = user_page(MAP_WRITE);
	KT_ASSERT(t, pa != 0);
	KT_EXPECT_EQ(t, probe_read8((void *)(uintptr_t)pa, &v), -1);
	user_page_free(pa);
	/* The same page, kernel-only again, reads fine: the fault was SMAP's. */
	KT_EXPECT_EQ(t, probe_read8((void *)(uintptr_t)pa, &v), 0);
}

KTEST(protection, smep_blocks_user_exec)
{
	if (!cpu_has(X86_FEATURE_SMEP))
		KT_SKIP(t, "no SMEP on this CPU");
	uint64_t pa = page_alloc(1);
	KT_ASSERT(t, pa != 0);
	*(volatile uint8_t *)(uintptr_t)pa = 0xc3; /* ret */
	paging_map(pa, PAGE_SIZE, MAP_USER | MAP_EXEC);
	KT_EXPECT_EQ(t, probe_exec((void *)(uintptr_t)pa), -1);
	paging_map(pa, PAGE_SIZE, MAP_EXEC);
	KT_EXPECT_EQ(t, probe_exec((void *)(uintptr_t)pa), 0); /* SMEP's, not NX's */
	user_page_free(pa);
}

KTEST(protection, stacks_have_guard_pages)
{
	for (unsigned c = 0; c < NR_CPUS; c++) {
		const struct percpu *p = percpu[c];
		if (!p || !p->online)
			continue;
		KT_EXPECT_MSG(t, p->stack_base && !paging_readable(p->stack_base - PAGE_SIZE, 1),
			      "CPU %u: no unmapped page below its stack %#lx", c,
			      (unsigned long)p->stack_base);
		KT_EXPECT_MSG(t, paging_readable(p->stack_base, p->stack_top - p->stack_base),
			      "CPU %u: stack not mapped", c);
	}
}
