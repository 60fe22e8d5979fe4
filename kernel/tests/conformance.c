// SPDX-License-Identifier: MIT
/*
 * The conformance suite: the same checks on every machine entry, through
 * the machine's ops only. A check a machine cannot support is a SKIP with
 * the reason, never a pass.
 */
#include <kernel/ktest.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/machine.h>
#include <kernel/nmi_watchdog.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/topology.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/timers.h>
#include <asm/tsc.h>
#include <string.h>
#include "pit_borrow.h"

static unsigned expected_cpus(void)
{
	unsigned n = topo.ncpus ? topo.ncpus : 1;

	if (cmdline.nosmp || !strcmp(mach.apic_mode(), "pic"))
		n = 1; /* an 8259 machine runs one CPU */
	if (cmdline.maxcpus > 0 && (unsigned)cmdline.maxcpus < n)
		n = (unsigned)cmdline.maxcpus;
	return n > NR_CPUS ? NR_CPUS : n;
}

KTEST(conformance, cpus_online)
{
	/* A CPU the kernel gave up on (smp: ... left out) is only expected when
	 * smp_phantom= injected one (and topology kept it: an id this CPU's APIC
	 * cannot address is left out earlier); anywhere else it is a failure. */
	unsigned phantom = 0;
	for (unsigned i = 0; i < topo.ncpus && cmdline.smp_phantom >= 0 && expected_cpus() > 1; i++)
		phantom |= topo.cpus[i].apic_id == (uint32_t)cmdline.smp_phantom;
	KT_EXPECT_EQ(t, smp_cpus_left_out, phantom);
	KT_EXPECT_EQ(t, nr_cpus_online, expected_cpus() - phantom);
	unsigned up = 0;
	for (unsigned c = 0; c < NR_CPUS; c++)
		up += cpu_online(c);
	KT_EXPECT_EQ(t, up, nr_cpus_online);
}

KTEST(conformance, irq_save_restore)
{
	KT_ASSERT(t, !irqs_disabled());
	unsigned long outer = local_irq_save();
	KT_EXPECT(t, irqs_disabled());
	unsigned long inner = local_irq_save();
	KT_EXPECT(t, irqs_disabled());
	local_irq_restore(inner);
	KT_EXPECT_MSG(t, irqs_disabled(), "inner restore enabled interrupts");
	local_irq_restore(outer);
	KT_EXPECT(t, !irqs_disabled());
	/* Ticks arrive again once restored: interrupts really are on. */
	uint64_t before = timer_ticks(0), start = clock_ns();
	while (timer_ticks(0) == before && clock_ns() - start < 200000000ull)
		cpu_relax();
	KT_EXPECT_MSG(t, timer_ticks(0) != before, "no tick within 200 ms after restore");
}

/* A clocksource other than the one the tick was calibrated against. */
static const struct clocksource *independent_clock(void)
{
	static const char *const order[] = {"hpet", "pmtimer", "pit", "tsc"};

	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		const struct clocksource *cs = clocksource_get(order[i]);
		if (cs && cs != clocksource_current)
			return cs;
	}
	return clocksource_current;
}

static uint64_t cs_ns(const struct clocksource *cs, uint64_t counts)
{
	return counts / cs->hz * NSEC_PER_SEC + counts % cs->hz * NSEC_PER_SEC / cs->hz;
}

/*
 * Time N whole ticks against the reference, halting between them: polling
 * a clock in a loop (each HPET read is an exit under emulation) would delay
 * the very interrupts being counted.
 */
KTEST(conformance, timer_tick_rate)
{
	/* 250 Hz leaves a slow emulator (Bochs at 10 MIPS: 40000 instructions a
	 * tick) time to take every tick; 100 ticks make 1% one tick's worth. */
	const unsigned hz = 250, n = 100;
	const struct clocksource *ref = independent_clock();
	uint64_t cpu_start[NR_CPUS];

	if (!ref || (tsc_source && !strcmp(tsc_source, "assumed") && !strcmp(ref->name, "tsc")))
		KT_SKIP(t, "no reference clock on this machine to measure the tick against");
	KT_ASSERT(t, mach.timer_init_cpu(hz) != NULL);
	uint64_t n0 = timer_ticks(0);
	while (timer_ticks(0) == n0)
		safe_halt();
	uint64_t prev = ref->read(), acc = 0;
	n0 = timer_ticks(0);
	for (unsigned c = 0; c < nr_cpus_online; c++)
		cpu_start[c] = timer_ticks(c);
	/* Bounded: give up at twice the expected time. */
	while (timer_ticks(0) - n0 < n && cs_ns(ref, acc) < 2ull * n * NSEC_PER_SEC / hz) {
		safe_halt();
		uint64_t now = ref->read();
		acc += clocksource_delta(ref, prev, now);
		prev = now;
	}
	uint64_t got = timer_ticks(0) - n0, ns = cs_ns(ref, acc);
	mach.timer_init_cpu(TICK_HZ);
	uint64_t want_ns = (uint64_t)n * NSEC_PER_SEC / hz;
	ktest_log(t, "%llu ticks at %u Hz took %llu us of %s (want %llu us)",
		  (unsigned long long)got, hz, (unsigned long long)ns / 1000, ref->name,
		  (unsigned long long)want_ns / 1000);
	KT_ASSERT(t, got >= n);
	KT_EXPECT_MSG(t, ns * 100 >= want_ns * 99 && ns * 100 <= want_ns * 101,
		      "tick period off by more than 1%%: %llu us for %u ticks",
		      (unsigned long long)ns / 1000, n);
	/* The other CPUs' ticks (at TICK_HZ) kept coming: none stalled. */
	for (unsigned c = 1; c < nr_cpus_online; c++) {
		uint64_t g = timer_ticks(c) - cpu_start[c], w = ns * TICK_HZ / NSEC_PER_SEC;
		KT_EXPECT_MSG(t, g + 2 >= w && g <= w + 2, "CPU %u: %llu ticks, want %llu", c,
			      (unsigned long long)g, (unsigned long long)w);
	}
}

static volatile uint32_t ipi_hits[NR_CPUS];

static void count_hit(void *arg)
{
	__atomic_fetch_add(&ipi_hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
}

static void test_ipi(struct trap_frame *f, void *data)
{
	count_hit(NULL);
}

static void send_back_to_bsp(void *arg)
{
	mach.send_ipi(0, VEC_TEST_IPI);
}

static void dump_apic(void *arg)
{
	printk("    # CPU %u: ISR %08x %08x IRR %08x %08x TPR %x PPR %x SVR %x irqs %llu\n",
	       smp_processor_id(), lapic_read(0x170), lapic_read(0x160), lapic_read(0x270),
	       lapic_read(0x260), lapic_read(APIC_TPR), lapic_read(0xa0), lapic_read(APIC_SVR),
	       (unsigned long long)this_cpu()->irqs);
}

static bool wait_hits(unsigned cpu, uint32_t want)
{
	uint64_t start = clock_ns();
	unsigned spins = 0;

	while (READ_ONCE(ipi_hits[cpu]) < want) {
		if (clock_ns() - start > 500000000ull)
			return false;
		wait_step(&spins);
	}
	return true;
}

KTEST(conformance, ipi_every_cpu)
{
	if (nr_cpus_online < 2)
		KT_SKIP(t, "one CPU online");
	irq_set_handler(VEC_TEST_IPI, test_ipi, NULL);
	memset((void *)ipi_hits, 0, sizeof(ipi_hits));
	/* To each AP and back: the AP's handler sends a fixed IPI to the BSP. */
	for (unsigned c = 1; c < nr_cpus_online; c++) {
		uint32_t bsp_before = ipi_hits[0];
		KT_EXPECT_MSG(t, smp_call(c, count_hit, NULL, 500) == 0,
			      "CPU %u did not run the call", c);
		KT_EXPECT_MSG(t, smp_call(c, send_back_to_bsp, NULL, 500) == 0,
			      "CPU %u did not run the call", c);
		KT_EXPECT_MSG(t, wait_hits(0, bsp_before + 1), "no IPI from CPU %u to the BSP", c);
	}
	for (unsigned c = 1; c < nr_cpus_online; c++)
		KT_EXPECT_EQ(t, ipi_hits[c], 1);
	/* Broadcast to all but self. */
	mach.send_ipi_all(VEC_TEST_IPI);
	for (unsigned c = 1; c < nr_cpus_online; c++)
		if (!wait_hits(c, 2)) {
			KT_EXPECT_MSG(t, false, "broadcast IPI did not reach CPU %u (%u hits)", c,
				      ipi_hits[c]);
			smp_call(c, dump_apic, NULL, 500);
			dump_apic(NULL);
		}
	irq_set_handler(VEC_TEST_IPI, NULL, NULL);
}

static volatile bool nmi_armed;
static volatile uint32_t nmi_hits[NR_CPUS];

static bool test_nmi(struct trap_frame *f)
{
	if (!nmi_armed)
		return false;
	__atomic_fetch_add(&nmi_hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
	return true;
}

KTEST(conformance, nmi_every_cpu)
{
	static bool registered;

	if (!strcmp(mach.apic_mode(), "pic"))
		KT_SKIP(t, "8259 PIC machine: no NMI IPI");
	if (nmi_watchdog_running())
		KT_SKIP(t, "the NMI watchdog is running: NMI counts are not exact");
	if (!registered) {
		nmi_register(test_nmi);
		registered = true;
	}
	memset((void *)nmi_hits, 0, sizeof(nmi_hits));
	nmi_armed = true;
	for (unsigned c = 0; c < nr_cpus_online; c++) {
		mach.send_nmi(c);
		uint64_t start = clock_ns();
		unsigned spins = 0;
		while (!READ_ONCE(nmi_hits[c]) && clock_ns() - start < 500000000ull)
			wait_step(&spins);
		KT_EXPECT_MSG(t, nmi_hits[c] == 1, "CPU %u: %u NMIs, want 1", c, nmi_hits[c]);
	}
	nmi_armed = false;
}

static volatile uint32_t dev_irqs;

static void pit_irq(struct trap_frame *f, void *data)
{
	dev_irqs++;
}

KTEST(conformance, device_irq_pit)
{
	const char *busy = pit_borrow_refusal();

	if (busy)
		KT_SKIP(t, "%s", busy);
	dev_irqs = 0;
	int v = request_isa_irq(0, 0, pit_irq, NULL);
	KT_ASSERT(t, v > 0);
	uint16_t flags;
	ktest_log(t, "IRQ0 -> GSI%u -> vector %#x", topo_isa_to_gsi(0, &flags), v);
	pit_periodic(1000);
	uint64_t start = clock_ns();
	while (clock_ns() - start < 50000000ull)
		cpu_relax();
	pit_stop();
	free_isa_irq(0, v);
	/* 50 ms at 1 kHz; a wrong pin (no IRQ0->pin 2 override) gives 0. */
	KT_EXPECT_MSG(t, dev_irqs >= 40 && dev_irqs <= 60, "%u PIT interrupts in 50 ms, want 50",
		      dev_irqs);
}

#define COM1 0x3f8

static void uart_irq(struct trap_frame *f, void *data)
{
	uint8_t iir = inb(COM1 + 2);

	if (!(iir & 1)) {
		dev_irqs++;
		outb(COM1 + 1, 0); /* IER off: one interrupt is the test */
	}
}

KTEST(conformance, device_irq_uart)
{
	outb(COM1 + 7, 0x5a);
	if (inb(COM1 + 7) != 0x5a)
		KT_SKIP(t, "no UART at COM1");
	dev_irqs = 0;
	int v = request_isa_irq(4, 0, uart_irq, NULL);
	KT_ASSERT(t, v > 0);
	unsigned long f = local_irq_save();
	console_flush();
	outb(COM1 + 4, inb(COM1 + 4) | 0x08); /* OUT2 gates the IRQ line on a PC */
	outb(COM1 + 1, 0x02);		      /* interrupt on transmitter empty */
	local_irq_restore(f);
	uint64_t start = clock_ns();
	while (!dev_irqs && clock_ns() - start < 200000000ull)
		cpu_relax();
	outb(COM1 + 1, 0);
	outb(COM1 + 4, inb(COM1 + 4) & ~0x08);
	free_isa_irq(4, v);
	KT_EXPECT_MSG(t, dev_irqs == 1, "%u UART interrupts, want 1 (vector %#x)", dev_irqs, v);
}

KTEST(conformance, unexpected_vector)
{
	if (!strcmp(mach.apic_mode(), "pic"))
		KT_SKIP(t, "8259 PIC machine: no self-IPI");
	const unsigned v = 0xe0; /* no handler: counted, acknowledged, ignored */
	uint32_t before = (uint32_t)irq_unexpected_on(v);
	mach.send_ipi(0, v);
	uint64_t start = clock_ns();
	while (irq_unexpected_on(v) == before && clock_ns() - start < 200000000ull)
		cpu_relax();
	KT_EXPECT_EQ(t, irq_unexpected_on(v), before + 1);
	/* And the CPU still takes interrupts afterwards (the EOI happened). */
	uint64_t ticks = timer_ticks(0);
	start = clock_ns();
	while (timer_ticks(0) == ticks && clock_ns() - start < 200000000ull)
		cpu_relax();
	KT_EXPECT(t, timer_ticks(0) != ticks);
}
