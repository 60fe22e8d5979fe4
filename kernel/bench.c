// SPDX-License-Identifier: MIT
/*
 * Micro-benchmarks (the `bench` command-line word): after the tests, one
 * `BENCH {json}` line each. The value is TSC cycles per operation, the best
 * of 5 batches (an interrupt landing in a batch only makes it slower). Under
 * QEMU -icount shift=0 the TSC counts instructions, so figures repeat exactly.
 */
#include <kernel/bench.h>
#include <kernel/console.h>
#include <kernel/json.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <asm/apic.h>
#include <asm/irqflags.h>
#include <asm/paravirt.h>
#include <asm/paging.h>
#include <kernel/mm.h>
#include <asm/cpufeature.h>
#include <string.h>

#define BATCHES	       5
#define N	       10000
#define PT_BENCH_PAGES 64

static const char *mode_name;

static void report(const char *name, uint64_t best_cycles, unsigned n)
{
	char buf[256];
	struct json j;
	/* cycles per op with two decimals, in integer arithmetic */
	uint64_t centi = best_cycles * 100 / n;
	char val[32];

	snprintf(val, sizeof(val), "%llu.%02llu", (unsigned long long)(centi / 100),
		 (unsigned long long)(centi % 100));
	json_init(&j, buf, sizeof(buf));
	json_begin_object(&j, NULL);
	json_str(&j, "name", name);
	json_str(&j, "unit", "tsc_cycles_per_op");
	json_str(&j, "pvops", mode_name);
	json_end_object(&j);
	/* The value is a JSON number: splice it in before the closing brace. */
	buf[strlen(buf) - 1] = '\0';
	printk(KERN_PLAIN "BENCH %s,\"value\":%s}\n", buf, val);
}

#define BENCH(name, n, body)                                                                       \
	do {                                                                                       \
		uint64_t best = ~0ull;                                                             \
		for (int b_ = 0; b_ < BATCHES; b_++) {                                             \
			uint64_t t0_ = rdtsc();                                                    \
			for (unsigned i_ = 0; i_ < (n); i_++) {                                    \
				body;                                                              \
			}                                                                          \
			uint64_t d_ = rdtsc() - t0_;                                               \
			if (d_ < best)                                                             \
				best = d_;                                                         \
		}                                                                                  \
		report(name, best, n);                                                             \
	} while (0)

static void loop_only(void)
{
	__asm__ __volatile__("" ::: "memory");
}

void bench_run(const char *mode, bool apic)
{
	mode_name = mode;
	if (!cpu_has(X86_FEATURE_TSC)) {
		printk("bench: no TSC to measure with\n");
		return;
	}
	BENCH("loop_overhead", N, loop_only());
	BENCH("irq_save_restore", N, {
		unsigned long f = local_irq_save();
		local_irq_restore(f);
	});
	BENCH("cli_sti", N, {
		irq_disable();
		irq_enable();
	});
	unsigned long f = local_irq_save();
	BENCH("read_cr3", N, {
		unsigned long v = read_cr3();
		__asm__ __volatile__("" : : "r"(v));
	});
	BENCH("tlb_flush_cr3", N / 10, write_cr3(read_cr3()));
	if (apic)
		BENCH("apic_eoi", N, lapic_eoi());
	BENCH("sched_clock", N, {
		uint64_t v = sched_clock();
		__asm__ __volatile__("" : : "r"(v) : "memory");
	});
	if (!cpu_deprivileged)
		BENCH("rdmsr", N, {
			uint64_t v = rdmsr(MSR_IA32_APIC_BASE);
			__asm__ __volatile__("" : : "r"(v) : "memory");
		});
#ifdef CONFIG_PARAVIRT
	/* The same irq ops through the table, as an unpatched site runs them
	 * (these sites are not recorded, so the patcher leaves them): patched
	 * against unpatched in one run, whatever the machine's ops are. */
	BENCH("irq_save_restore_indirect", N, {
		unsigned long v;
		__asm__ __volatile__(PV_CALL
				     : "=a"(v)
				     : [slot] "i"(PV_SAVE_FL * sizeof(void *))
				     : "memory");
		__asm__ __volatile__(PV_CALL
				     :
				     : [slot] "i"(PV_IRQ_DISABLE * sizeof(void *))
				     : "memory");
		__asm__ __volatile__(PV_CALL
				     :
				     : "a"(v), [slot] "i"(PV_RESTORE_FL * sizeof(void *))
				     : "memory");
	});
	BENCH("cli_sti_indirect", N, {
		__asm__ __volatile__(PV_CALL
				     :
				     : [slot] "i"(PV_IRQ_DISABLE * sizeof(void *))
				     : "memory");
		__asm__ __volatile__(PV_CALL
				     :
				     : [slot] "i"(PV_IRQ_ENABLE * sizeof(void *))
				     : "memory");
	});
#endif
	local_irq_restore(f);
	/* Page-table entry updates, cycles per entry: a commit after each, or
	 * one per PT_BENCH_PAGES entries (under Xen PV one mmu_update hypercall
	 * each, or one per batch). */
	uint64_t buf = page_alloc(PT_BENCH_PAGES);
	if (buf) {
		BENCH("pt_update_single", PT_BENCH_PAGES,
		      paging_rewrite_leaves((uintptr_t)buf + i_ * PAGE_SIZE, 1, false));
		uint64_t best = ~0ull;
		for (int b = 0; b < BATCHES; b++) {
			uint64_t t0 = rdtsc();
			paging_rewrite_leaves((uintptr_t)buf, PT_BENCH_PAGES, true);
			best = MIN(best, rdtsc() - t0);
		}
		report("pt_update_batched", best, PT_BENCH_PAGES);
		page_free(buf, PT_BENCH_PAGES);
	}
}
