// SPDX-License-Identifier: MIT
/*
 * start_kernel_early: the boot sequence, from the entry code to the KTAP run
 * and the exit. Each step's output goes to the console; docs/boot-report.md
 * explains the BOOT-REPORT line printed at "ready".
 */
#include <asm/boot.h>
#include <asm/cpufeature.h>
#include <asm/irqflags.h>
#include <asm/paging.h>
#include <asm/trap.h>
#include <asm/tsc.h>
#include <firmware/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/physmem.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/kernel.h>

struct boot_info boot_info_parsed;
struct cmdline cmdline;
struct memmap usable_mem;

extern char _kernel_start[], _kernel_end[];
extern uintptr_t __stack_chk_guard;
void printk_set_level(int level);

static void __init consoles_init(void)
{
	if (uart_init(0x3f8))
		uart_console_register(0x3f8);
#ifdef CONFIG_DEBUGCON_E9
	if (debugcon_present())
		debugcon_console_register();
#endif
}

static void __init read_boot_info(uint32_t entry, uint32_t info)
{
	struct boot_info *bi = &boot_info_parsed;
	int err = -1;

	if (entry == BOOT_ENTRY_MULTIBOOT)
		err = multiboot_parse(&physmem, info, bi);
	else if (entry == BOOT_ENTRY_PVH)
		err = pvh_parse(&physmem, info, bi);
	else
		bi->why = "unknown boot loader (no Multiboot magic, not PVH)";
	facts.entry = entry == BOOT_ENTRY_MULTIBOOT ? "multiboot"
		      : entry == BOOT_ENTRY_PVH	   ? "pvh"
						   : NULL;
	facts.loader = bi->loader[0] ? bi->loader : NULL;
	facts.cmdline = bi->cmdline;
	if (err)
		printk(KERN_WARN "boot: %s\n", bi->why);
	printk("boot: entry %s, command line \"%s\"%s\n", facts.entry ? facts.entry : "?",
	       bi->cmdline, bi->cmdline_truncated ? " (truncated)" : "");
}

static void __init apply_cmdline(void)
{
	cmdline_parse(boot_info_parsed.cmdline, &cmdline);
	for (unsigned i = 0; i < cmdline.n_notes; i++)
		printk(KERN_WARN "cmdline: ignoring '%s': %s\n", cmdline.notes[i].word,
		       cmdline.notes[i].why);
	if (cmdline.notes_dropped)
		printk(KERN_WARN "cmdline: %u more words ignored\n", cmdline.notes_dropped);
	if (cmdline.loglevel >= 0)
		printk_set_level(cmdline.loglevel);
}

static void __init mem_init(void)
{
	struct boot_info *bi = &boot_info_parsed;
	struct memmap *m = &usable_mem;

	if (!bi->n_mmap)
		panic("no memory map from the boot loader (%s)", bi->why ? bi->why : "?");
	printk("mem: %u regions from %s%s\n", bi->n_mmap, bi->mmap_source,
	       bi->mmap_dropped ? " (some dropped)" : "");
	for (unsigned i = 0; i < bi->n_mmap; i++)
		printk(KERN_DEBUG "mem:   [%#011llx-%#011llx] type %u\n",
		       (unsigned long long)bi->mmap[i].base,
		       (unsigned long long)(bi->mmap[i].base + bi->mmap[i].len - 1),
		       bi->mmap[i].type);
	memmap_from_boot(m, bi, 0x100000000ull);
	/* Low memory is left to firmware structures and the AP trampoline. */
	memmap_remove(m, 0, 0x100000);
	memmap_remove(m, (uintptr_t)_kernel_start, (uintptr_t)_kernel_end);
	for (unsigned i = 0; i < bi->n_mods; i++)
		memmap_remove(m, ALIGN_DOWN(bi->mods[i].start, PAGE_SIZE),
			      ALIGN_UP(bi->mods[i].end, PAGE_SIZE));
	page_alloc_init(m);
	facts.mem_kib = (long long)(memmap_total(m) >> 10);
	printk("mem: %llu KiB usable below 4 GiB in %u ranges\n",
	       (unsigned long long)(memmap_total(m) >> 10), m->n);
}

static void __init time_init(void)
{
	if (!cpu_has(X86_FEATURE_TSC)) {
		printk("tsc: this CPU has no TSC\n");
		return;
	}
	tsc_khz = pit_calibrate_tsc(5);
	if (tsc_khz) {
		tsc_source = "pit";
		facts.tsc_khz = (long long)tsc_khz;
		facts.tsc_source = tsc_source;
		printk("tsc: %llu.%03llu MHz (calibrated against the PIT)\n",
		       (unsigned long long)tsc_khz / 1000, (unsigned long long)tsc_khz % 1000);
	} else {
		printk(KERN_WARN "tsc: no reference clock to calibrate against\n");
	}
}

__attribute__((no_stack_protector)) void __noreturn start_kernel_early(uint32_t entry,
								       uint32_t info)
{
	physmem_snapshot_page0();
	trap_init();
	report_init();
	consoles_init();
	printk("\n" KERNEL_NAME " " KERNEL_VERSION " (" KERNEL_ARCH ")\n");
	cpu_early_init();
	if (boot_cpu.has_cpuid && boot_cpu.max_leaf >= 1 && cpu_has(X86_FEATURE_TSC))
		__stack_chk_guard ^= (uintptr_t)rdtsc() * 0x9e3779b97f4a7c15ull;
	printk("cpu: %s family %u model %u%s%s\n", boot_cpu.vendor, boot_cpu.family,
	       boot_cpu.model, boot_cpu.brand[0] ? ", " : "", boot_cpu.brand);
	read_boot_info(entry, info);
	apply_cmdline();
	mem_init();
	paging_init(&usable_mem);
	facts.paging = paging_mode_name();
	facts.nx = paging_nx_enabled();
	printk("paging: %s, NX %s\n", facts.paging, facts.nx ? "on" : "unavailable");
	time_init();

	paging_protect_kernel();
	local_irq_enable();
	if (boot_tsc && tsc_khz)
		facts.ready_ns = (long long)tsc_to_ns(rdtsc() - boot_tsc);
	facts.cpus = 1;
	char cons[64];
	console_names(cons, sizeof(cons));
	printk("console: %s\n", cons);
	report_print();

	bool ok = true;
#ifdef CONFIG_KTEST
	if (!cmdline.ktest_off)
		ok = ktest_run_all(cmdline.ktest);
#endif
	kernel_exit(ok ? KEXIT_PASS : KEXIT_FAIL);
}
