// SPDX-License-Identifier: MIT
/*
 * start_kernel_early: the boot sequence, from the entry code to the KTAP run
 * and the exit. Each step's output goes to the console; docs/boot-report.md
 * explains the BOOT-REPORT line printed at "ready".
 */
#include <asm/irqchip.h>
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
#include <kernel/firmware.h>
#include <kernel/machine.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/topology.h>
#include <asm/timers.h>
#include <string.h>
#ifdef CONFIG_PARAVIRT
#include <pvops.h>
#endif
#include <kernel/bench.h>
#include <kernel/nmi_watchdog.h>

struct boot_info boot_info_parsed;
struct cmdline cmdline;
struct memmap usable_mem;

extern char _kernel_start[], _kernel_end[];
bool init_freed;
extern uintptr_t __stack_chk_guard;
void printk_set_level(int level);

/*
 * After boot (the text protected, the APs up), the __init pages become free
 * memory: writable, not executable, filled with int3 first so a stray call
 * traps where there is no NX to stop it. Not __init itself, naturally.
 */
static void free_init_memory(void)
{
	uintptr_t s = (uintptr_t)_init_start, e = (uintptr_t)_init_end;

	if (e <= s)
		return;
	paging_map(s, e - s, MAP_WRITE);
	/*
	 * With NX the pages are no longer executable: a stale call faults on
	 * the fetch and the int3 fill adds nothing. It is not free where code is
	 * translated (QEMU's TCG): every write into a page that held executed
	 * code drops the translations in it, and each dropped block flushes
	 * every vCPU's jump cache (q35 -smp 4: 86 blocks, 344 flushes).
	 */
	if (!paging_nx_enabled())
		memset((void *)s, 0xcc, e - s);
	init_freed = true;
	page_free(s, (unsigned)((e - s) / PAGE_SIZE));
	printk("init: freed %lu KiB of __init code (%#lx-%#lx)\n", (unsigned long)(e - s) / 1024,
	       (unsigned long)s, (unsigned long)e - 1);
}

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
	else if (entry == BOOT_ENTRY_XEN_PV)
		err = xen_pv_parse(&physmem, info, (uintptr_t)_kernel_end, bi);
	else
		bi->why = "unknown boot loader (no Multiboot magic, not PVH)";
	facts.entry = entry == BOOT_ENTRY_MULTIBOOT ? "multiboot"
		      : entry == BOOT_ENTRY_PVH	    ? "pvh"
		      : entry == BOOT_ENTRY_XEN_PV  ? "xen-pv"
						    : NULL;
	facts.loader = bi->loader[0] ? bi->loader : NULL;
	facts.cmdline = bi->cmdline;
	if (err)
		printk(KERN_WARN "boot: %s\n", bi->why);
	printk("boot: entry %s, command line \"%s\"\n", facts.entry ? facts.entry : "?",
	       bi->cmdline);
	/* A line of its own: after a 511-byte command line it would be cut. */
	if (bi->cmdline_truncated)
		printk(KERN_WARN "boot: command line (truncated): longer than %u bytes, the words "
				 "after byte %u were dropped\n",
		       BOOT_CMDLINE_MAX - 1, (unsigned)strlen(bi->cmdline));
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
	/* Debugging: see every line the moment it is printed. */
	if (cmdline.loglevel >= 7)
		console_defer_end();
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

static void __init log_topology(void)
{
	printk("topology: from %s: %u CPU%s (APIC ids", topo.source ? topo.source : "nothing",
	       topo.ncpus, topo.ncpus == 1 ? "" : "s");
	for (unsigned i = 0; i < topo.ncpus && i < 16; i++)
		printk(" %u", topo.cpus[i].apic_id);
	printk("%s), %u IO-APIC%s", topo.ncpus > 16 ? " ..." : "", topo.nioapics,
	       topo.nioapics == 1 ? "" : "s");
	for (unsigned i = 0; i < topo.noverrides; i++)
		printk("%s IRQ%u->GSI%u", i ? "," : ";", topo.overrides[i].isa_irq,
		       topo.overrides[i].gsi);
	printk("\n");
	if (topo.cpus_dropped)
		printk(KERN_WARN "topology: %u listed CPUs dropped (duplicates or over %u)\n",
		       topo.cpus_dropped, TOPO_MAX_CPUS);
	if (topo.cpus_unreachable)
		printk(KERN_WARN "topology: %u listed CPUs left out: their APIC ids need x2APIC, "
				 "which this CPU lacks\n",
		       topo.cpus_unreachable);
}

/*
 * Boot work that reads no clock and waits for nothing timed runs inside the
 * TSC calibration window, between its two reads, instead of before or after
 * it: the window then lasts as long as the work, not 1 ms of spinning on
 * top (under plain TCG, q35 -smp 4, the native irq.init alone is about as
 * long as the window; docs/benchmarks.md). That is the topology's log lines
 * and, where the machine keeps the native irq.init (8259, IO-APICs, the boot
 * CPU's local APIC), that too; but not where it would switch the local APIC
 * to x2APIC mode: the APIC timer's count, measured in the same window, must
 * still be an MMIO read at its end (native_irq_init, QEMU 10 -icount).
 */
static bool window_work_done, irq_init_done;

static void __init boot_window_work(void)
{
	window_work_done = true;
	log_topology();
	if (mach.irq.init == native_machine_ops.irq.init && !cpu_has(X86_FEATURE_X2APIC)) {
		mach.irq.init();
		irq_init_done = true;
	}
}

static void __init time_init(void)
{
	const char *src = NULL;

	mach.time.clocksource_init();
	tsc_window_work(boot_window_work);
	uint64_t khz = mach.time.tsc_khz(&src);
	tsc_window_work(NULL);
	if (!window_work_done)
		log_topology(); /* no window (a rate given), or one that could wrap */
	if (khz) {
		tsc_set_khz(khz, src);
		bool refining = tsc_refine_start();
		printk("tsc: %llu.%03llu MHz (from %s%s)\n", (unsigned long long)khz / 1000,
		       (unsigned long long)khz % 1000, src,
		       refining ? ", 1 ms; refined after ready" : "");
		clocksource_register(&tsc_clocksource);
	} else if (cpu_has(X86_FEATURE_TSC)) {
		printk(KERN_WARN "tsc: frequency unknown: no reference clock (no HPET, PM timer or "
				 "PIT, CPUID 0x15/0x16 silent)\n");
	} else {
		printk("tsc: this CPU has no TSC\n");
	}
	if (!clocksource_select(cmdline.clock) && cpu_has(X86_FEATURE_TSC)) {
		/* Timeouts need some clock: an assumed TSC rate, said loudly. */
		tsc_set_khz(1000000, "assumed");
		clocksource_register(&tsc_clocksource);
		clocksource_select(NULL);
		printk(KERN_WARN "clock: no clocksource: assuming a 1 GHz TSC for timeouts; "
				 "time on this machine is not measured\n");
	}
	bool assumed = tsc_source && !strcmp(tsc_source, "assumed");
	if (tsc_khz && !assumed) {
		facts.tsc_khz = (long long)tsc_khz;
		facts.tsc_source = tsc_source;
		facts.tsc_calibration = tsc_calibration();
	} else if (cpu_has(X86_FEATURE_TSC)) {
		facts.tsc_source = "unknown";
	}
	facts.clocksource = !clocksource_current ? NULL
			    : assumed		 ? "tsc-uncalibrated"
						 : clocksource_current->name;
	printk("clock: clocksource %s\n", facts.clocksource ? facts.clocksource : "none");
}

static void __init irq_init(void)
{
	if (!irq_init_done)
		mach.irq.init();
	facts.apic = irqchip->name;
	long long n = 0;
	for (unsigned i = 0; i < topo.nioapics; i++)
		n += topo.ioapics[i].verified;
	facts.ioapics = n;
	mach.irq.nmi_init_cpu();
	facts.clockevent = mach.time.timer_init_cpu(TICK_HZ);
	printk("irq: %s, %lld IO-APIC%s; tick %s at %u Hz\n", facts.apic, n, n == 1 ? "" : "s",
	       facts.clockevent ? facts.clockevent : "none", TICK_HZ);
}

/*
 * The kernel is ready: TSC time since the first instruction, or FACT_UNKNOWN
 * where the TSC rate is not known. Out of line and under its own name so that
 * a tool can find the moment by its address: scripts/bench-blocks.py counts
 * the code QEMU translated before its first block.
 */
static __attribute__((noinline, noclone)) long long boot_ready_ns(void)
{
	if (boot_tsc && tsc_khz && strcmp(tsc_source, "assumed"))
		return (long long)tsc_to_ns(rdtsc() - boot_tsc);
	return FACT_UNKNOWN;
}

__attribute__((no_stack_protector)) void __noreturn start_kernel_early(uint32_t entry,
								       uint32_t info)
{
	physmem_snapshot_page0();
	trap_init();
	cpu_early_init();
	/*
	 * Both before most code has run: where code is translated (QEMU's
	 * TCG), a block that has run is dropped when a patch writes into it,
	 * and CR4.SMAP is part of what a translated block is looked up by, so
	 * everything run before it is set is translated again after. Xen PV
	 * binds its ops in machine_early: native CR4 writes and native
	 * instructions at the sites are wrong there until then.
	 */
	if (entry != BOOT_ENTRY_XEN_PV) {
#ifdef CONFIG_PARAVIRT
		pv_patch_early(); /* native until pv_bind anyway (pvops/pvops.c) */
#endif
		cpu_protect_init();
	}
	report_init();
	consoles_init();
	printk("\n" KERNEL_NAME " " KERNEL_VERSION " (" KERNEL_ARCH ")\n");
	if (boot_cpu.has_cpuid && boot_cpu.max_leaf >= 1 && cpu_has(X86_FEATURE_TSC))
		__stack_chk_guard ^= (uintptr_t)rdtsc() * 0x9e3779b97f4a7c15ull;
	printk("cpu: %s family %u model %u%s%s\n", boot_cpu.vendor, boot_cpu.family, boot_cpu.model,
	       boot_cpu.brand[0] ? ", " : "", boot_cpu.brand);
	read_boot_info(entry, info);
	apply_cmdline();
	if (!cmdline.nopv)
		machine_early(&boot_info_parsed);
	mem_init();
	paging_init(&usable_mem);
	extern char boot_stack[], boot_stack_top[];
	percpu[0]->stack_base = (uintptr_t)boot_stack;
	percpu[0]->stack_top = (uintptr_t)boot_stack_top;
	percpu_set_cr3(percpu[0], read_cr3());
#ifdef CONFIG_X86_64
	if (percpu_alloc_ist(percpu[0]))
		panic("no memory for the boot CPU's IST stacks");
#endif
	/* Again (an OR into CR4, so no change where the first one held): the
	 * first comes too early for Xen PV, and Xen's i386 PVH guest, entered
	 * with paging off, lost SMEP/SMAP from it (xen-dom0-1-i386's
	 * protection tests). */
	cpu_protect_init();
	facts.paging = paging_mode_name();
	facts.nx = paging_nx_enabled();
	printk("paging: %s, NX %s\n", facts.paging, facts.nx ? "on" : "unavailable");
	fw_log();
	facts.hypervisor = hypervisor_name();
	machine_select(cmdline.machine);
#ifdef CONFIG_PARAVIRT
	/* Before interrupts are first enabled and before any AP runs. */
	pv_bind(machine_current ? machine_current->pv : NULL);
	pv_patch_all(cmdline.pvpatch_off, cmdline.pvpatch_nop ? PV_PAD_NOP : PV_PAD_PREFIX);
#endif
	mach.setup();
	if (cmdline.smp_phantom >= 0) {
		/* Fault injection: firmware promising a CPU that is not there. */
		printk(KERN_WARN "smp: smp_phantom=%d: treating APIC id %d as listed by firmware\n",
		       cmdline.smp_phantom, cmdline.smp_phantom);
		topo_add_cpu((uint32_t)cmdline.smp_phantom, 0, false);
	}
	if (cmdline.smp_phantoms_first > 0) {
		unsigned n = topo_add_phantoms_first((unsigned)cmdline.smp_phantoms_first);
		printk(KERN_WARN "smp: smp_phantoms_first=%d: treating APIC ids %u-%u as listed by "
				 "firmware before the others (%u added)\n",
		       cmdline.smp_phantoms_first, TOPO_PHANTOM_FIRST_ID,
		       TOPO_PHANTOM_FIRST_ID + cmdline.smp_phantoms_first - 1, n);
	}
	time_init(); /* and, inside its window, the topology's log lines */
	irq_init();
	percpu[0]->online = true;
	/* Before the APs start: they come up on tables already read-only where
	 * they must be, with no stale writable entry to shoot down. */
	paging_protect_kernel();
	smp_boot();

	local_irq_enable();
	if (cmdline.nmi_watchdog == 1)
		nmi_watchdog_init();
	facts.ready_ns = boot_ready_ns();
	facts.cpus = nr_cpus_online;
	facts.cpus_listed = topo.ncpus ? topo.ncpus : 1;
	char cons[64];
	console_names(cons, sizeof(cons));
	printk("console: %s\n", cons);
	report_print();
	console_defer_end(); /* after ready: the log so far goes out now */
	/* Housekeeping that getting ready does not wait for (the RTC read may
	 * also wait out the clock's once-a-second update, rtc.c). */
	free_init_memory();
	int64_t wall = mach.time.wallclock();
	if (wall >= 0)
		printk("time: wallclock %lld s since 1970\n", (long long)wall);

	bool ok = true;
#ifdef CONFIG_KTEST
	if (!cmdline.ktest_off)
		ok = ktest_run_all(cmdline.ktest);
#endif
	if (cmdline.bench) {
#ifdef CONFIG_PARAVIRT
		const char *mode = cmdline.pvpatch_off	 ? "indirect"
				   : cmdline.pvpatch_nop ? "patched-nop"
							 : "patched";
#else
		const char *mode = "none";
#endif
		/* An APIC mode name says there is a local APIC to EOI ("pic" and
		 * xen-pv's "xen-events" do not). */
		const char *a = facts.apic ? facts.apic : "pic";
		bench_run(mode, !strncmp(a, "xapic", 5) || !strncmp(a, "x2apic", 6));
	}
	kernel_exit(ok ? KEXIT_PASS : KEXIT_FAIL);
}
