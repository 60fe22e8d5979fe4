// SPDX-License-Identifier: MIT
/*
 * The native ops: an APIC PC driven from `topo`. Every member a machine
 * entry leaves NULL comes from here (kernel/machine.c), so an entry lists
 * only what it does differently.
 */
#include <machine/native.h>
#include <kernel/kernel.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/topology.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/ioapic.h>
#include <asm/irqchip.h>
#include <asm/irqflags.h>
#include <asm/paravirt.h>
#include <asm/pic.h>
#include <asm/platform.h>
#include <asm/timers.h>
#include <asm/trap.h>
#include <asm/tsc.h>
#include <string.h>
#include <kernel/nmi_watchdog.h>
#include <kernel/firmware.h>

/* ---- interrupt controller ---- */

/* FADT flag FORCE_APIC_PHYSICAL_DESTINATION_MODE (ACPI 6.5 table 5.10,
 * bit 19), defined from the ACPI 2.0 FADT (revision 3) on: Linux checks
 * the same revision (FADT2_REVISION_ID) before reading it. */
static bool fadt_wants_physical(void)
{
	const struct acpi_info *a = fw_acpi();

	return a && a->fadt.present && a->fadt.revision >= 3 &&
	       (a->fadt.flags & ACPI_FADT_FORCE_APIC_PHYS);
}

static const struct irqchip *choose_apic_chip(void)
{
	const char *why;
	unsigned n = topo.ncpus ? topo.ncpus : 1;
	const struct irqchip *need = machine_current ? machine_current->irqchip : NULL;
	enum apic_mode m = topo_choose_apic_mode(cmdline.apic, need ? need->mode : APIC_MODE_NONE,
						 fadt_wants_physical(), lapic_x2apic_capable(),
						 lapic_is_x2apic(), &why);

	if (why)
		printk("apic: %s for %u CPUs: %s\n", apic_mode_name(m), n, why);
	return irqchip_for_mode(m);
}

/* Whether the local APIC is to be left alone: asked for (apic=pic), the
 * machine entry's declared controller, its setup's finding (topo.no_apic),
 * or none usable on this CPU (the one case worth a warning). */
static bool use_pic_only(bool *warn)
{
	const struct irqchip *need = machine_current ? machine_current->irqchip : NULL;

	*warn = false;
	if (cmdline.apic == APIC_REQ_PIC || need == &irqchip_pic || topo.no_apic)
		return true;
	*warn = !lapic_detect(topo.lapic_addr);
	return *warn;
}

static uint64_t spurious_count, apic_errors;

static void spurious_irq(struct trap_frame *f, void *data)
{
	spurious_count++;
}

static void apic_error_irq(struct trap_frame *f, void *data)
{
	lapic_write(APIC_ESR, 0);
	uint32_t esr = lapic_read(APIC_ESR);
	if (apic_errors++ < 4)
		printk(KERN_WARN "apic: error on CPU %u: ESR %#x\n", smp_processor_id(), esr);
}

/*
 * Why IO-APIC i's registers or GSI range cannot be used before they are
 * touched (or, with pins known, after the version read), or NULL.
 */
static const char *ioapic_refusal(unsigned i)
{
	const char *why = fw_mmio_refusal(topo.ioapics[i].addr, 0x20);

	return why ? why : topo_ioapic_dup_refusal(i);
}

static void ioapics_init(void)
{
	for (unsigned i = 0; i < topo.nioapics; i++) {
		struct topo_ioapic *io = &topo.ioapics[i];
		uint32_t ver = 0;
		const char *why = ioapic_refusal(i);

		if (!why) {
			io->pins = ioapic_probe(io->addr, &ver);
			io->verified = io->pins > 0;
			if (!io->verified)
				why = "does not answer (version register reads something else)";
			else if ((why = topo_ioapic_gsi_refusal(i)))
				io->verified = false;
		}
		if (io->verified)
			ioapic_mask_all(io->addr, io->pins);
		else
			printk(KERN_WARN "ioapic: id %u at %#llx (GSI base %u, version %#x) listed "
					 "by %s: %s: ignored\n",
			       io->id, (unsigned long long)io->addr, io->gsi_base, ver, topo.source,
			       why);
	}
}

/*
 * The boot CPU's local APIC mapped at its base, once: by native_tsc_khz
 * (the timer counts during the TSC window) or else by native_irq_init.
 * False where the APIC is to be left alone (use_pic_only).
 */
static bool native_lapic_map(bool *warn)
{
	static bool mapped;

	if (mapped)
		return true;
	uint64_t msr_base = lapic_msr_base();

	/* IA32_APIC_BASE is where this CPU's APIC answers; a table can be wrong. */
	if (topo.lapic_addr && msr_base && topo.lapic_addr != msr_base) {
		printk(KERN_WARN "apic: %s gives the local APIC at %#llx, IA32_APIC_BASE says "
				 "%#llx: using IA32_APIC_BASE\n",
		       topo.source, (unsigned long long)topo.lapic_addr,
		       (unsigned long long)msr_base);
		topo.lapic_addr = msr_base;
	}
	if (use_pic_only(warn))
		return false;
	lapic_set_base(topo.lapic_addr);
	mapped = true;
	return true;
}

void native_irq_init(void)
{
	bool warn;
	if (!native_lapic_map(&warn)) {
		/* The PC/AT model: one CPU, the 8259 and the PIT. */
		if (warn)
			printk(KERN_WARN "apic: no usable local APIC: 8259 PIC, one CPU\n");
		pic_init();
		irqchip_set(&irqchip_pic, &irq_source_pic);
		return;
	}
	const struct irqchip *chip = choose_apic_chip();
	if (chip->mode == APIC_MODE_X2APIC_PHYS || chip->mode == APIC_MODE_X2APIC_CLUSTER) {
		/* Measure the timer while its current count is still an MMIO
		 * read: QEMU 10 under -icount cannot give it to an x2APIC MSR
		 * read ("Bad icount read"), and timing one-shot interrupts
		 * instead (lapic_timer.c) is only as good as the interrupt
		 * latency, which under plain TCG is host time. */
		if (!lapic_is_x2apic() && !lapic_timer_hz())
			lapic_timer_calibrate();
		lapic_enable_x2apic();
	}
	percpu[0]->apic_id = lapic_id();
	if (topo.imcr) {
		/* MP spec 3.6.2.1: route INTR/NMI to the APIC, not straight to the CPU. */
		outb(0x22, 0x70);
		outb(0x23, 0x01);
	}
	ioapics_init();
	bool any = false;
	for (unsigned i = 0; i < topo.nioapics; i++)
		any |= topo.ioapics[i].verified;
	if (any) {
		topo_check_overrides();
		if (topo.pic || pic_present())
			pic_disable();
		irqchip_set(chip, &irq_source_ioapic);
	} else if (pic_present()) {
		/* No usable IO-APIC: device IRQs through the 8259, whose INTR
		 * reaches the boot CPU's LINT0 as ExtINT (MP spec 3.6.2.2,
		 * "virtual wire"; native_nmi_init_cpu unmasks LINT0). */
		printk(KERN_WARN "irq: no usable IO-APIC: device IRQs through the 8259 "
				 "(virtual wire, LINT0)\n");
		pic_init();
		irqchip_set(chip, &irq_source_pic);
	} else {
		printk(KERN_WARN "irq: no usable IO-APIC and no 8259: no device IRQs\n");
		irqchip_set(chip, &irq_source_none);
	}
	irq_set_handler_flags(VEC_SPURIOUS, spurious_irq, NULL, IRQF_NO_EOI);
	irq_set_handler(VEC_APIC_ERROR, apic_error_irq, NULL);
	native_irq_init_cpu();
}

void native_irq_init_cpu(void)
{
	if (apic_get_mode() == APIC_MODE_NONE)
		return; /* the 8259 has nothing per CPU */
	/* As the firmware (or an INIT, which keeps the mode: SDM 10.12.5.1)
	 * left it: native_start_cpus asks this of the first AP. */
	this_cpu()->x2apic_at_start = lapic_x2apic_enabled_here();
	lapic_setup_cpu();
	irqchip->init_cpu(smp_processor_id());
	this_cpu()->apic_id = lapic_id();
}

static void native_irq_eoi(unsigned vector)
{
	irqchip->eoi(vector);
}

/* ---- device IRQs through the IO-APICs (82093AA) ---- */

static int ioapic_src_route(unsigned irq, unsigned vector, unsigned cpu)
{
	uint16_t flags;
	uint32_t gsi = topo_isa_to_gsi(irq, &flags);
	unsigned pin;
	int io = topo_gsi_to_ioapic(gsi, &pin);
	bool logical;

	if (io < 0)
		return -1;
	uint32_t dest = irqchip->dest(cpu, &logical);
	/*
	 * An RTE's destination is 8 bits (82093AA 3.2.4, bits 63:56): an x2APIC
	 * cluster LDR above cluster 0 does not fit, and truncated it would name
	 * a CPU of cluster 0. Such a CPU gets a physical destination instead
	 * (the mode bit is per entry); without interrupt remapping an id above
	 * 255 cannot be named at all.
	 */
	if (dest > 0xff) {
		dest = percpu[cpu]->apic_id;
		logical = false;
	}
	if (dest > 0xff) {
		printk(KERN_WARN "irq: IRQ %u to CPU %u: APIC id %u does not fit an IO-APIC "
				 "entry\n",
		       irq, cpu, dest);
		return -1;
	}
	ioapic_route(topo.ioapics[io].addr, pin, vector, dest, logical, flags, true);
	return (int)vector;
}

static void ioapic_src_mask(unsigned irq, bool masked)
{
	uint16_t flags;
	unsigned pin;
	int io = topo_gsi_to_ioapic(topo_isa_to_gsi(irq, &flags), &pin);

	if (io >= 0)
		ioapic_mask(topo.ioapics[io].addr, pin, masked);
}

/* The local APIC's EOI ends an IO-APIC interrupt too: for a level-triggered
 * one the local APIC broadcasts the EOI to the IO-APICs, which clear the
 * pin's Remote IRR (SDM 10.8.5; 82093AA 3.2.4, RTE bit 14). */
static bool ioapic_src_eoi(unsigned vector)
{
	return false;
}

const struct irq_source irq_source_ioapic = {
	.name = "ioapic",
	.route = ioapic_src_route,
	.mask = ioapic_src_mask,
	.eoi = ioapic_src_eoi,
};

/* ---- IPIs and NMI ---- */

void native_send_ipi(unsigned cpu, unsigned vector)
{
	irqchip->send_ipi(cpu, vector, APIC_DM_FIXED);
}

void native_send_ipi_all(unsigned vector)
{
	irqchip->send_ipi_allbutself(vector, APIC_DM_FIXED);
}

static void native_nmi_init_cpu(void)
{
	uint32_t me = this_cpu()->apic_id;
	bool lint1_set = false;

	if (apic_get_mode() == APIC_MODE_NONE)
		return; /* no local APIC: NMI comes straight to the CPU's pin */
	/* Symmetric I/O mode; in virtual-wire mode the boot CPU takes the 8259. */
	if (irq_source == &irq_source_pic && this_cpu()->cpu == 0)
		lapic_set_lint(0, APIC_DM_EXTINT);
	else
		lapic_set_lint(0, APIC_LVT_MASKED | APIC_DM_EXTINT);
	for (unsigned i = 0; i < topo.nnmis; i++) {
		const struct topo_nmi *n = &topo.nmis[i];
		if (n->apic_id != TOPO_ALL_CPUS && n->apic_id != me)
			continue;
		uint32_t lvt = APIC_DM_NMI;
		if ((n->flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)
			lvt |= APIC_LVT_ACTIVE_LOW;
		if ((n->flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
			lvt |= APIC_LVT_LEVEL;
		lapic_set_lint(n->lint, lvt);
		lint1_set |= n->lint == 1;
	}
	/* Nothing listed: LINT1 is the NMI pin on every PC (MP spec 5.1). */
	if (!lint1_set)
		lapic_set_lint(1, APIC_DM_NMI);
}

/* ---- SMP: INIT-SIPI-SIPI to all APs at once ---- */
#ifdef CONFIG_SMP

extern char trampoline_start[], trampoline_end[];

static uint64_t trampoline_page(void)
{
	const struct boot_info *bi = &boot_info_parsed;

	/* The lowest usable page from 0x8000 up that firmware calls RAM. */
	for (uint64_t pa = 0x8000; pa < 0x9f000; pa += PAGE_SIZE) {
		for (unsigned i = 0; i < bi->n_mmap; i++) {
			const struct boot_mem_region *r = &bi->mmap[i];
			if (r->type == MEM_USABLE && r->base <= pa &&
			    pa + PAGE_SIZE <= r->base + r->len)
				return pa;
		}
	}
	return 0;
}

/*
 * The wait between INIT and the first STARTUP, in us. The MP spec 1.4
 * example code (B.4) waits 10 ms; Linux waits 0 where the CPU is known not
 * to need it (arch/x86/kernel/smpboot.c, smp_quirk_init_udelay: in 6.1
 * Intel family 6, AMD family >= 0xF, Hygon >= 0x18; since early 2025 every
 * Intel family from 6), and then 10 us instead of 200 after each STARTUP.
 * Same rule here, plus any CPU that says it runs under a hypervisor
 * (CPUID.1:ECX bit 31): a virtual CPU takes INIT at once. The rest (486 and
 * Pentium, whose APIC may be an external 82489DX; unknown vendors) keep the
 * 10 ms, paid once for all APs.
 */
static unsigned init_udelay(void)
{
	const char *v = boot_cpu.vendor;
	unsigned f = boot_cpu.family;

	if ((!strcmp(v, "GenuineIntel") && f >= 6) || (!strcmp(v, "AuthenticAMD") && f >= 0xf) ||
	    (!strcmp(v, "HygonGenuine") && f >= 0x18) || cpu_has(X86_FEATURE_HYPERVISOR))
		return 0;
	return 10000;
}

/*
 * Under QEMU's emulator (TCG: CPUID 0x40000000 says "TCGTCGTCGTCG"), at most
 * SIPI_WINDOW APs are between their STARTUP and checking in: the boot CPU
 * waits, halted, for earlier ones before it sends more. There each vCPU is a
 * host thread whose start is heavy emulator work, and vCPUs can far
 * outnumber host cores; started all at once they shared the host with the
 * boot CPU while it sent (QEMU 10, 1024 vCPUs on 2 cores, medians of 3
 * rounds: APs up in 1072 ms with no window against 454 with a window of 8;
 * in another batch 283 ms with 4, 606 with 8, 535 with 16; docs/benchmarks.md
 * "Bring-up cost per CPU"). Everywhere else every AP is started at once, as Linux's
 * parallel bring-up does: on hardware each AP has its own core, and under
 * this host's KVM (32 vCPUs on 2 cores) a window of 4 was slower (32-44 ms
 * against 31). An AP that never checks in cannot hold the rest back: when
 * none has checked in for SIPI_STALL_NS the window is dropped, with a
 * warning, and the rest are started at once.
 *
 * With more APs than the window holds, the window is 1 until the first AP
 * has checked in. The first AP to run the AP path makes QEMU translate it;
 * its first block in the trampoline page write-protects that page, which
 * QEMU does by scanning every vCPU's TLB under a lock the other starting
 * APs spin on (QEMU 10, 1024 vCPUs: 85 ms of both host cores at the start
 * of the bring-up, perf; the scan alone takes 40). Alone, it finds the path
 * translated for the others. With a few vCPUs the scan is short and waiting
 * for the first AP costs more than it saves (QEMU 7.2, q35 -smp 4).
 */
#define SIPI_WINDOW   4
#define SIPI_STALL_NS 200000000ull

static unsigned sipi_sent;
static bool sipi_first_alone;
struct startup_window startup_window;

/* APs among the first `sent` that have not checked in yet. */
static int sipi_in_flight(unsigned sent)
{
	return (int)(sent - (READ_ONCE(nr_cpus_online) - 1));
}

static unsigned sipi_window_size(void)
{
	return sipi_first_alone && READ_ONCE(nr_cpus_online) == 1 ? 1 : SIPI_WINDOW;
}

static bool sipi_window_open(void)
{
	return sipi_in_flight(sipi_sent) < (int)sipi_window_size();
}

/* Whether to keep the window: false once it stalled. Waits with interrupts
 * on (smp_boot sends with them off), halted: each AP's check-in IPI ends the
 * halt, and on a single-threaded emulator the APs run meanwhile. */
static bool sipi_window_wait(void)
{
	unsigned spins = 0, online = READ_ONCE(nr_cpus_online);
	uint64_t t0 = clock_ns();
	bool keep = true;

	if (sipi_window_open())
		return true;
	startup_window.waits++;
	unsigned long flags = local_irq_save();
	local_irq_enable();
	/* Open when sipi_sent - (online - 1) < size: armed for that online. */
	while (!smp_wait_step_until(&spins, sipi_sent - sipi_window_size() + 2, sipi_window_open)) {
		smp_bringup_tick_check();
		if (READ_ONCE(nr_cpus_online) != online) {
			online = READ_ONCE(nr_cpus_online);
			t0 = clock_ns();
		} else if (clock_ns() - t0 > SIPI_STALL_NS) {
			printk(KERN_WARN "smp: no AP checked in for %llu ms with %d started; "
					 "starting the rest at once\n",
			       SIPI_STALL_NS / 1000000, sipi_in_flight(sipi_sent));
			startup_window.dropped = true;
			keep = false;
			break;
		}
	}
	smp_wait_disarm();
	local_irq_restore(flags);
	return keep;
}

/*
 * With the window, a STARTUP by x2APIC cluster (logical destination) once
 * the first AP, started by id, says its APIC was in x2APIC mode when it
 * began: firmware that hands over more than 255 CPUs leaves them all so
 * (SeaBIOS does), and the INIT keeps the mode (SDM 10.12.5.1). A logical
 * destination reaches only x2APICs, each at the LDR its id gives it
 * (x2apic_cluster_ldr). The reason is QEMU's cost: from 8.1 on, an IPI to
 * an APIC id tests every vCPU's APIC through a checked QOM cast, so one
 * STARTUP per AP by id costs the boot CPU a scan of all the vCPUs
 * (docs/benchmarks.md, "What an IPI costs QEMU"), while a logical one is
 * matched by a plain compare. One STARTUP names up to the window's free
 * room of APs in one cluster. APs a cluster STARTUP missed (an APIC left in
 * xAPIC mode) stall the window, which is then dropped, and get theirs by
 * id in the second round.
 */
static unsigned sipi_cluster_batch(struct percpu **cpus, unsigned i, unsigned n, unsigned room,
				   uint32_t *ldr)
{
	uint32_t cluster = cpus[i]->apic_id >> 4;
	unsigned b = 0;

	*ldr = 0;
	for (; b < room && i + b < n && cpus[i + b]->apic_id >> 4 == cluster; b++)
		*ldr |= x2apic_cluster_ldr(cpus[i + b]->apic_id);
	return b;
}

/* One STARTUP: to cpus[i] by id, or, in the window once clustered, to it
 * and the next APs of its x2APIC cluster the window has room for. Returns
 * how many APs it named. */
static unsigned sipi_send(struct percpu **cpus, unsigned i, unsigned n, unsigned page,
			  bool in_window)
{
	/* The APs before these not yet checked in (none after i was sent). */
	unsigned before = in_window ? (unsigned)sipi_in_flight(i) : 0, b = 1;

	if (in_window && startup_window.clustered) {
		uint32_t ldr;
		b = sipi_cluster_batch(cpus, i, n, sipi_window_size() - before, &ldr);
		apic_send_sipi_cluster(ldr, page);
		startup_window.cluster_sent += b;
	} else {
		apic_send_sipi(cpus[i]->apic_id, page);
	}
	startup_window.sipis++;
	if (in_window)
		startup_window.max_in_flight = MAX(startup_window.max_in_flight, before + b);
	return b;
}

int native_start_cpus(struct percpu **cpus, unsigned n)
{
	uint64_t page = trampoline_page();
	unsigned init_us = init_udelay(), sends = 0;
	bool window = !strcmp(hypervisor_name(), "tcg");

	startup_window = (struct startup_window){.size = window ? SIPI_WINDOW : 0};
	sipi_first_alone = n > SIPI_WINDOW;

	if (apic_get_mode() == APIC_MODE_NONE)
		return -1;
	if (!page) {
		printk(KERN_ERR "smp: no free page below 640 KiB for the AP trampoline\n");
		return -1;
	}
	memcpy((void *)(uintptr_t)page, trampoline_start, trampoline_end - trampoline_start);
	/* All INITs, one wait (init_udelay), all SIPIs (under TCG a window at
	 * a time), a short wait, SIPIs again for those still down
	 * (SDM 8.4.4.1): the INIT wait is paid once, not once per CPU. An INIT
	 * sent just before each AP's STARTUP instead measured no better (QEMU
	 * 10 plain TCG, -smp 1024: 1.15 and 1.79 s against 1.04 and 1.55 s).
	 * Under TCG one INIT goes to all the others at once (the ICR's
	 * shorthand): QEMU 8.1 and later scan every vCPU's APIC for each IPI
	 * with a destination, so one INIT per AP cost the boot CPU n scans
	 * (docs/benchmarks.md, "What an IPI costs QEMU"). There every CPU the
	 * broadcast reaches is one QEMU emulates and the firmware lists; one
	 * not started (maxcpus) waits for a STARTUP that does not come. On
	 * hardware the broadcast would also wake CPUs the firmware disabled,
	 * which is why Linux sends INIT to each CPU, and so does this
	 * everywhere else. */
	if (window)
		apic_send_init_others();
	else
		for (unsigned i = 0; i < n; i++)
			apic_send_init(cpus[i]->apic_id);
	if (init_us)
		udelay(init_us);
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0, b = 1; i < n; i += b) {
			bool in_window = !round && window;
			if (!(sends++ % 16))
				smp_bringup_tick_check(); /* the fast tick's end */
			if (in_window) {
				sipi_sent = i;
				window = in_window = sipi_window_wait();
				/* The first AP in (sure where it went first alone)
				 * tells how the firmware left the APICs. */
				if (i == 1 && window)
					startup_window.clustered = READ_ONCE(cpus[0]->online) &&
								   cpus[0]->x2apic_at_start &&
								   lapic_is_x2apic();
			}
			b = 1;
			if (!READ_ONCE(cpus[i]->online))
				b = sipi_send(cpus, i, n, (unsigned)(page >> 12), in_window);
		}
		/* Cluster STARTUPs went to cpus[1] on, in order, until the window
		 * held no more: those not in yet get one by id in the next round. */
		for (unsigned i = 1; !round && i <= startup_window.cluster_sent; i++)
			startup_window.cluster_late += !READ_ONCE(cpus[i]->online);
		udelay(init_us ? 200 : 10);
	}
	if (startup_window.size)
		printk("smp: STARTUP window %u (emulated CPUs): waited %u times, at most %u "
		       "starting at once%s; %u APs, %u STARTUPs%s\n",
		       startup_window.size, startup_window.waits, startup_window.max_in_flight,
		       startup_window.dropped ? " until it stalled" : "", n, startup_window.sipis,
		       startup_window.clustered ? ", after the first by x2APIC cluster" : "");
	return 0;
}
#endif /* CONFIG_SMP (CONFIG_SMP=n: include/machine/native.h) */

/* ---- time ---- */

static const char *const calib_order[] = {"hpet", "pmtimer", "pit"};

uint64_t native_tsc_khz(const char **source)
{
	uint64_t khz;

	if (!cpu_has(X86_FEATURE_TSC))
		return 0;
	khz = tsc_khz_cpuid(source);
	if (khz && !strcmp(*source, "cpuid-15"))
		return khz;
	/* The local APIC timer counts through the same window (lapic_timer.c):
	 * every machine that measures the TSC here drives its APIC through
	 * native_irq_init, which maps it the same way. */
	bool warn, apic = native_lapic_map(&warn) && lapic_timer_window_begin();
	for (unsigned i = 0; i < ARRAY_SIZE(calib_order); i++) {
		const struct clocksource *ref = clocksource_get(calib_order[i]);
		uint64_t k = ref ? tsc_calibrate_quick(ref) : 0; /* refined later if coarse */
		if (k) {
			*source = calib_order[i];
			if (apic)
				lapic_timer_window_end(k);
			return k;
		}
	}
	if (apic)
		lapic_timer_window_end(0); /* stops it; measured later, if at all */
	return khz; /* cpuid-16 (nominal), or 0: nothing to measure against */
}

void native_clocksource_init(void)
{
	clocksource_register(pit_clocksource_init());
	if (topo.hpet_addr)
		clocksource_register(hpet_init(topo.hpet_addr));
	if (topo.pmtimer_addr)
		clocksource_register(
			pmtimer_init(topo.pmtimer_mmio, topo.pmtimer_addr, topo.pmtimer_32bit));
}

const char *native_timer_init_cpu(unsigned hz)
{
	if (apic_get_mode() == APIC_MODE_NONE)
		return hz ? pc_pit_timer_init_cpu(hz) : NULL; /* CPU 0's PIT tick never stops */
	if (smp_processor_id() == 0 && !lapic_timer_hz())
		lapic_timer_calibrate();
	return lapic_timer_start(hz);
}

int64_t native_wallclock(void)
{
	return rtc_read_epoch(topo.rtc_century);
}

/* ---- exit ---- */

static void acpi_poweroff(void)
{
	if (!topo.s5)
		return;
	if (topo.sleep_control) {
		uint8_t v = (uint8_t)((topo.slp_typ_a & 7) << 2 | 1u << 5); /* SLP_TYP, SLP_EN */
		if (topo.sleep_control_mmio)
			*(volatile uint8_t *)ioremap(topo.sleep_control, 1) = v;
		else
			outb((uint16_t)topo.sleep_control, v);
		return;
	}
	if (topo.pm1a_cnt)
		outw(topo.pm1a_cnt, (uint16_t)((topo.slp_typ_a & 7) << 10 | 1u << 13));
	if (topo.pm1b_cnt)
		outw(topo.pm1b_cnt, (uint16_t)((topo.slp_typ_b & 7) << 10 | 1u << 13));
}

static void native_exit(int status)
{
	qemu_debug_exit((unsigned)status);
	bochs_magic_exit((unsigned)status);
	acpi_poweroff();
	mdelay(100); /* QEMU acts on S5 asynchronously */
}

static void native_nothing(void)
{
}

/*
 * The i386-era way: the PIT's IRQ 0 through the IO-APIC, delivery mode NMI,
 * to CPU 0, which passes each NMI on to the others (kernel/nmi_watchdog.c):
 * works in every APIC addressing mode, and still when CPU 0 is the stuck one.
 */
static int native_nmi_watchdog_start(unsigned hz)
{
	uint16_t flags;
	unsigned pin;
	bool logical;

	if (apic_get_mode() == APIC_MODE_NONE || !pit_present() || !pit_channel_free(0)) {
		printk(KERN_WARN "NMI watchdog: needs the local APIC, an IO-APIC and a free PIT "
				 "channel 0\n");
		return -1;
	}
	int io = topo_gsi_to_ioapic(topo_isa_to_gsi(0, &flags), &pin);
	if (io < 0)
		return -1;
	uint32_t dest = irqchip->dest(0, &logical);
	ioapic_route_nmi(topo.ioapics[io].addr, pin, dest, logical);
	nmi_watchdog_fanout = true;
	return pit_periodic(hz);
}

const struct machine_ops native_machine_ops = {
	.setup = native_nothing,
	.irq =
		{
			.init = native_irq_init,
			.init_cpu = native_irq_init_cpu,
			.eoi = native_irq_eoi,
			.nmi_init_cpu = native_nmi_init_cpu,
			.nmi_watchdog_start = native_nmi_watchdog_start,
		},
	.smp =
		{
			.start_cpus = native_start_cpus,
			.send_ipi = native_send_ipi,
			.send_ipi_all = native_send_ipi_all,
		},
	.time =
		{
			.tsc_khz = native_tsc_khz,
			.clocksource_init = native_clocksource_init,
			.timer_init_cpu = native_timer_init_cpu,
			.wallclock = native_wallclock,
		},
	.power =
		{
			.exit = native_exit,
		},
};
