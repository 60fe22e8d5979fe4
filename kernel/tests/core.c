// SPDX-License-Identifier: MIT
/* Core kernel facilities, tested where they run: on the booted machine. */
#include <kernel/ktest.h>
#include <kernel/cmdline.h>
#include <kernel/kernel.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/smp.h>
#include <kernel/percpu.h>
#include <asm/paging.h>
#include <asm/trap.h>
#include <asm/irqchip.h>
#include <kernel/machine.h>
#include <asm/cpufeature.h>
#include <string.h>

extern char _text[], _etext[], _rodata[], _data[];

KTEST(core, printf_formats)
{
	char b[64];

	snprintf(b, sizeof(b), "%5d|%-4s|%#x|%08llx|%c", -42, "ab", 255, 0x1234ull, 'z');
	KT_EXPECT_MSG(t, !strcmp(b, "  -42|ab  |0xff|00001234|z"), "got '%s'", b);
	KT_EXPECT_EQ(t, snprintf(b, 4, "%s", "truncated"), 9);
	KT_EXPECT_EQ(t, strlen(b), 3);
}

KTEST(core, heap_alloc_free)
{
	void *p[32];
	uint64_t before = page_free_count();

	for (int i = 0; i < 32; i++) {
		p[i] = kmalloc((size_t)(i + 1) * 97);
		KT_ASSERT(t, p[i] != NULL);
		memset(p[i], i, (size_t)(i + 1) * 97);
	}
	for (int i = 0; i < 32; i++)
		KT_EXPECT_EQ(t, ((uint8_t *)p[i])[(i + 1) * 97 - 1], i);
	for (int i = 0; i < 32; i++)
		kfree(p[i]);
	void *big = kmalloc(3 * PAGE_SIZE);
	KT_ASSERT(t, big != NULL);
	kfree(big);
	/* Small classes keep their pages; big allocations give them back. */
	KT_EXPECT_LE(t, before - page_free_count(), 16);
}

KTEST(core, page_alloc_contiguous)
{
	uint64_t a = page_alloc(4), b = page_alloc(1);

	KT_ASSERT(t, a && b);
	KT_EXPECT(t, a % PAGE_SIZE == 0);
	KT_EXPECT(t, b < a || b >= a + 4 * PAGE_SIZE);
	page_free(a, 4);
	page_free(b, 1);
}

KTEST(core, null_page_unmapped)
{
	uint8_t v;
	KT_EXPECT_EQ(t, probe_read8((void *)(uintptr_t)8, &v), -1);
}

KTEST(core, text_read_only)
{
	uint8_t v;
	KT_ASSERT(t, probe_read8(_text, &v) == 0);
	KT_EXPECT_EQ(t, probe_write8(_text, v), -1);
	KT_EXPECT_EQ(t, probe_write8(_rodata, 0), -1);
}

/*
 * A mapping change reaches every CPU, not only the one that made it: each AP
 * first writes a page (so its TLB may hold a writable entry for it), CPU 0
 * then maps the page read-only, and each AP's next write must fault. Without
 * a TLB shootdown the APs keep writing through their stale entries (QEMU's
 * TLB holds them as a CPU's does).
 */
static struct {
	volatile uint8_t *page;
	int rc[NR_CPUS];
} tlb_probe;

static void tlb_probe_write(void *unused)
{
	tlb_probe.rc[smp_processor_id()] = probe_write8(tlb_probe.page, 0x5a);
}

/* Every AP tries the write at once, each in its IPI handler (1023 of them at
 * -smp 1024); returns how many did not answer. */
static unsigned tlb_probe_all(void)
{
	for (unsigned c = 0; c < NR_CPUS; c++)
		tlb_probe.rc[c] = 1;
	return smp_call_others(tlb_probe_write, NULL, 5000);
}

KTEST(core, readonly_on_every_cpu)
{
	unsigned aps = 0, stale = 0, silent;

	if (nr_cpus_online < 2)
		KT_SKIP(t, "one CPU online");
	uint64_t pa = page_alloc(1);
	KT_ASSERT(t, pa != 0);
	tlb_probe.page = (volatile uint8_t *)(uintptr_t)pa;
	silent = tlb_probe_all();
	KT_EXPECT_MSG(t, !silent, "%u CPUs did not answer", silent);
	for (unsigned c = 1; c < NR_CPUS; c++)
		KT_EXPECT_MSG(t, !cpu_online(c) || !tlb_probe.rc[c],
			      "CPU %u could not write the page while it was writable", c);
	paging_map(pa, PAGE_SIZE, 0);
	silent = tlb_probe_all();
	KT_EXPECT_MSG(t, !silent, "%u CPUs did not answer", silent);
	for (unsigned c = 1; c < NR_CPUS; c++) {
		if (!cpu_online(c))
			continue;
		aps++;
		if (tlb_probe.rc[c] != -1 && stale++ < 4)
			ktest_log(t, "CPU %u still wrote the page after it was made read-only", c);
	}
	ktest_log(t, "%u of %u APs wrote through a stale TLB entry", stale, aps);
	KT_EXPECT_EQ(t, stale, 0);
	paging_map(pa, PAGE_SIZE, MAP_WRITE);
	page_free(pa, 1);
}

/*
 * What boot chose and nothing may change afterwards (__ro_after_init): the
 * machine's ops, the interrupt-controller driver and device-IRQ source,
 * the EOI hook. A write to any of them must fault (write the byte back
 * unchanged, so a kernel that lets it through still runs correctly).
 */
KTEST(core, ro_after_init)
{
	static const struct {
		const char *name;
		volatile void *addr;
	} vars[] = {
		{"mach", &mach},
		{"mach.irq.eoi", &mach.irq.eoi},
		{"mach.power.exit", &mach.power.exit},
		{"irqchip", &irqchip},
		{"irq_source", &irq_source},
		{"irq_eoi_fn", &irq_eoi_fn},
	};

	for (unsigned i = 0; i < ARRAY_SIZE(vars); i++) {
		uint8_t v;
		KT_ASSERT(t, probe_read8(vars[i].addr, &v) == 0);
		KT_EXPECT_MSG(t, probe_write8(vars[i].addr, v) == -1,
			      "%s at %p: a write after boot did not fault", vars[i].name,
			      (void *)vars[i].addr);
	}
}

KTEST(core, data_not_executable)
{
	static uint8_t ret_insn[16] = {0xc3}; /* a lone 'ret' in .data */

	if (!paging_nx_enabled())
		KT_SKIP(t, "no NX on this CPU/paging mode (%s)", paging_mode_name());
	KT_EXPECT_EQ(t, probe_exec(ret_insn), -1);
}

KTEST(core, symbols_resolve)
{
	uintptr_t off, size;
	const char *n = ksym_lookup((uintptr_t)ktest_run_all + 3, &off, &size);

	KT_ASSERT(t, n != NULL);
	KT_EXPECT_MSG(t, !strcmp(n, "ktest_run_all"), "got %s", n);
	KT_EXPECT_EQ(t, off, 3);
	KT_EXPECT(t, size > 3);
}

KTEST(core, cmdline_reported)
{
	/* What the loader passed is what BOOT-REPORT says and what the options
	 * in force came from: parsed again now, the same result, field by field
	 * (cmdline_parse starts from a zeroed struct, so padding compares too). */
	static struct cmdline again;

	KT_EXPECT_MSG(t, facts.cmdline && !strcmp(facts.cmdline, boot_info_parsed.cmdline),
		      "BOOT-REPORT cmdline '%s', loader gave '%s'",
		      facts.cmdline ? facts.cmdline : "(null)", boot_info_parsed.cmdline);
	cmdline_parse(boot_info_parsed.cmdline, &again);
	KT_EXPECT_MSG(t, !memcmp(&again, &cmdline, sizeof(again)),
		      "the options in force differ from a parse of '%s'", boot_info_parsed.cmdline);
}

/* __init code is gone after boot (kernel/main.c free_init_memory): its pages
 * are not executable (with NX) or hold int3 (without), so calling an __init
 * function faults. */
KTEST(core, init_freed)
{
	uintptr_t s = (uintptr_t)_init_start, e = (uintptr_t)_init_end;

	if (e <= s)
		KT_SKIP(t, "no __init code in this build");
	KT_ASSERT(t, init_freed);
	ktest_log(t, "__init pages %#lx-%#lx (%lu KiB)", (unsigned long)s, (unsigned long)e - 1,
		  (unsigned long)(e - s) / 1024);
	uint8_t v = 0;
	KT_ASSERT(t, probe_read8((void *)s, &v) == 0);
	if (!paging_nx_enabled()) {
		/* Without NX the int3 fill is what makes a stale call fault. */
		KT_EXPECT_EQ(t, v, 0xcc);
		KT_SKIP(t, "no NX: the freed pages cannot be made non-executable (int3-filled)");
	}
	KT_ASSERT(t, !paging_executable(s));
	KT_ASSERT(t, !paging_executable(e - 1));
	/* smp_boot is __init: calling it now must fault on fetch. */
	KT_EXPECT_EQ(t, probe_exec((const void *)smp_boot), -1);
}
