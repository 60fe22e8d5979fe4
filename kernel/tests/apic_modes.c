// SPDX-License-Identifier: MIT
/*
 * APIC addressing as the machine chose it: that a platform's required mode
 * (Summit, ES7000: xapic-cluster) is in force, and that clustered logical
 * addressing is real: each CPU's LDR, the IO-APIC entry of a routed device
 * IRQ, and a logical IPI to a cluster mask reaching exactly its members.
 * On other modes the cluster tests skip with the mode as the reason.
 */
#include <kernel/ktest.h>
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/machine.h>
#include <kernel/percpu.h>
#include <kernel/report.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/topology.h>
#include <asm/irqchip.h>
#include <asm/apic.h>
#include <asm/ioapic.h>
#include <asm/irqflags.h>
#include <asm/timers.h>
#include <string.h>
#include "pit_borrow.h"

/* Intel SDM vol. 3A 10.6.2.2: DFR bits 31:28 = 0000b selects the cluster
 * model; the LDR's top byte is cluster (high nibble) and member bitmap. */
#define DFR_MODEL(dfr)	   ((dfr) >> 28)
#define DFR_CLUSTER	   0x0
#define IOAPIC_RTE_LOGICAL (1ull << 11)

static uint32_t cluster_id(unsigned cpu)
{
	return (uint32_t)((cpu / 4) << 4 | 1u << (cpu % 4));
}

static bool cluster_mode(void)
{
	return apic_get_mode() == APIC_MODE_XAPIC_CLUSTER;
}

#define SKIP_UNLESS_CLUSTER(t)                                                                     \
	do {                                                                                       \
		if (!cluster_mode())                                                               \
			KT_SKIP(t, "APIC mode is %s, not xapic-cluster", irqchip->name);           \
	} while (0)

KTEST(apic_modes, platform_mode)
{
	const struct irqchip *need = machine_current ? machine_current->irqchip : NULL;

	if (!need || need->mode == APIC_MODE_NONE)
		KT_SKIP(t, "machine %s sets no APIC mode here",
			machine_current ? machine_current->name : "none");
	if (cmdline.apic != APIC_REQ_AUTO)
		KT_SKIP(t, "apic=%s on the command line overrides the platform",
			cmdline_apic_name(cmdline.apic));
	/* xapic-cluster names 15 clusters of 4; beyond, the choice goes physical. */
	if (need->mode == APIC_MODE_XAPIC_CLUSTER && topo.ncpus > 60)
		KT_SKIP(t, "%u CPUs: more than %s can name", topo.ncpus, need->name);
	KT_EXPECT_MSG(t, irqchip == need, "machine %s requires %s, running %s",
		      machine_current->name, need->name, irqchip->name);
}

static uint32_t seen_ldr[NR_CPUS], seen_dfr[NR_CPUS];

static void read_dest_regs(void *arg)
{
	unsigned c = smp_processor_id();

	seen_ldr[c] = lapic_read(APIC_LDR) >> 24;
	seen_dfr[c] = lapic_read(APIC_DFR);
}

KTEST(apic_modes, ldr_per_cpu)
{
	SKIP_UNLESS_CLUSTER(t);
	memset(seen_ldr, 0, sizeof(seen_ldr));
	for (unsigned c = 0; c < nr_cpus_online; c++) {
		KT_EXPECT_MSG(t, smp_call(c, read_dest_regs, NULL, 500) == 0,
			      "CPU %u did not run the call", c);
		KT_EXPECT_MSG(t, DFR_MODEL(seen_dfr[c]) == DFR_CLUSTER,
			      "CPU %u: DFR %#x is not the cluster model", c, seen_dfr[c]);
		KT_EXPECT_MSG(t, seen_ldr[c] == cluster_id(c), "CPU %u: LDR %#x, want %#x", c,
			      seen_ldr[c], cluster_id(c));
		KT_EXPECT_MSG(t, seen_ldr[c] >> 4 != 0xf, "CPU %u in broadcast cluster 15", c);
		for (unsigned o = 0; o < c; o++)
			KT_EXPECT_MSG(t, seen_ldr[o] != seen_ldr[c], "CPUs %u and %u share LDR %#x",
				      o, c, seen_ldr[c]);
	}
	ktest_log(t, "%u CPUs in %u clusters, last LDR %#x", nr_cpus_online,
		  (nr_cpus_online + 3) / 4, seen_ldr[nr_cpus_online - 1]);
}

static volatile uint32_t pit_hits[NR_CPUS];

static void pit_irq(struct trap_frame *f, void *data)
{
	__atomic_fetch_add(&pit_hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
}

/* 50 ms of the PIT at 1 kHz on vector v, then IRQ0 given back. */
static void pit_burst(int v)
{
	pit_periodic(1000);
	uint64_t start = clock_ns();
	while (clock_ns() - start < 50000000ull)
		cpu_relax();
	pit_stop();
	free_isa_irq(0, v);
}

/* Where it arrives is the point, not how many: with many vCPUs on few host
 * CPUs the target runs seldom and the PIT's edges coalesce. */
static void expect_pit_only_on(struct ktest_ctx *t, unsigned cpu)
{
	KT_EXPECT_MSG(t, pit_hits[cpu] > 0, "CPU %u: no PIT interrupt in 50 ms", cpu);
	for (unsigned c = 0; c < nr_cpus_online; c++)
		if (c != cpu)
			KT_EXPECT_MSG(t, pit_hits[c] == 0, "CPU %u got %u PIT interrupts", c,
				      pit_hits[c]);
}

/* The PIT, routed to the last CPU (the highest cluster), arrives there only. */
KTEST(apic_modes, ioapic_rte_cluster)
{
	SKIP_UNLESS_CLUSTER(t);
	const char *busy = pit_borrow_refusal();
	if (busy)
		KT_SKIP(t, "%s", busy);
	unsigned cpu = nr_cpus_online - 1, pin;
	uint16_t flags;
	uint32_t gsi = topo_isa_to_gsi(0, &flags);
	int io = topo_gsi_to_ioapic(gsi, &pin);
	KT_ASSERT(t, io >= 0);

	memset((void *)pit_hits, 0, sizeof(pit_hits));
	int v = request_isa_irq(0, cpu, pit_irq, NULL);
	KT_ASSERT(t, v > 0);
	uint64_t rte = ioapic_read_rte(topo.ioapics[io].addr, pin);
	ktest_log(t, "IRQ0 -> GSI%u (IO-APIC %d pin %u) -> CPU %u: RTE %#llx", gsi, io, pin, cpu,
		  (unsigned long long)rte);
	KT_EXPECT_MSG(t, rte & IOAPIC_RTE_LOGICAL, "RTE %#llx: physical destination mode",
		      (unsigned long long)rte);
	KT_EXPECT_MSG(t, (uint32_t)(rte >> 56) == cluster_id(cpu), "RTE destination %#x, want %#x",
		      (unsigned)(rte >> 56), cluster_id(cpu));
	KT_EXPECT_EQ(t, rte & 0xff, (unsigned)v);
	pit_burst(v);
	expect_pit_only_on(t, cpu);
}

static volatile uint32_t ipi_hits[NR_CPUS];

static void test_ipi(struct trap_frame *f, void *data)
{
	__atomic_fetch_add(&ipi_hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
}

static bool in_dest(unsigned cpu, uint32_t dest)
{
	uint32_t ldr = percpu[cpu]->apic_ldr;

	/* x2APIC: cluster in bits 31:16, member bitmap in 15:0 (SDM 10.12.10.2). */
	if (apic_get_mode() == APIC_MODE_X2APIC_CLUSTER)
		return ldr >> 16 == dest >> 16 && (ldr & dest & 0xffff);
	return (cpu / 4) == dest >> 4 && (dest & 0xf & 1u << (cpu % 4));
}

/* One fixed logical IPI to dest; true when exactly its members got one. */
static bool ipi_to_mask(struct ktest_ctx *t, uint32_t dest)
{
	unsigned want = 0, spins = 0;
	bool ok = true;

	memset((void *)ipi_hits, 0, sizeof(ipi_hits));
	for (unsigned c = 0; c < nr_cpus_online; c++)
		want += in_dest(c, dest);
	lapic_write_icr(APIC_DM_FIXED | VEC_TEST_IPI | APIC_INT_ASSERT | APIC_DEST_LOGICAL, dest);
	uint64_t start = clock_ns();
	for (;;) {
		unsigned got = 0;
		for (unsigned c = 0; c < nr_cpus_online; c++)
			got += READ_ONCE(ipi_hits[c]);
		if (got >= want || clock_ns() - start > 500000000ull)
			break;
		wait_step(&spins);
	}
	/* Let any stray delivery land before counting. */
	start = clock_ns();
	while (clock_ns() - start < 5000000ull)
		cpu_relax();
	for (unsigned c = 0; c < nr_cpus_online; c++) {
		uint32_t w = in_dest(c, dest);
		/* One check per CPU, counted whether or not it fails. */
		KT_EXPECT_MSG(t, ipi_hits[c] == w, "IPI to %#x: CPU %u got %u, want %u", dest, c,
			      ipi_hits[c], w);
		if (ipi_hits[c] != w)
			ok = false;
	}
	return ok;
}

KTEST(apic_modes, ipi_cluster_mask)
{
	SKIP_UNLESS_CLUSTER(t);
	if (nr_cpus_online < 2)
		KT_SKIP(t, "one CPU online");
	irq_set_handler(VEC_TEST_IPI, test_ipi, NULL);
	unsigned clusters = (nr_cpus_online + 3) / 4, sent = 0;
	for (unsigned k = 0; k < clusters; k++) {
		/* The whole cluster, then members 0 and 2, then members 1 and 3. */
		static const uint8_t masks[] = {0xf, 0x5, 0xa};
		for (unsigned i = 0; i < ARRAY_SIZE(masks); i++, sent++)
			ipi_to_mask(t, k << 4 | masks[i]);
	}
	irq_set_handler(VEC_TEST_IPI, NULL, NULL);
	ktest_log(t, "%u logical IPIs to %u clusters, each reached exactly its members", sent,
		  clusters);
}

/* ---- x2APIC cluster mode: the LDR is the hardware's, derived from the id ---- */

static bool x2cluster_mode(void)
{
	return apic_get_mode() == APIC_MODE_X2APIC_CLUSTER;
}

static uint32_t seen_id[NR_CPUS];

static void read_x2_regs(void *arg)
{
	unsigned c = smp_processor_id();

	seen_ldr[c] = lapic_read(APIC_LDR);
	seen_id[c] = lapic_read(APIC_ID);
}

/* Each CPU's LDR is (id >> 4) << 16 | 1 << (id & 15), and the driver's
 * destination for it is that LDR. */
KTEST(apic_modes, x2apic_ldr_per_cpu)
{
	if (!x2cluster_mode())
		KT_SKIP(t, "APIC mode is %s, not x2apic-cluster", irqchip->name);
	for (unsigned c = 0; c < nr_cpus_online; c++) {
		bool logical;
		KT_EXPECT_MSG(t, smp_call(c, read_x2_regs, NULL, 500) == 0,
			      "CPU %u did not run the call", c);
		uint32_t want = (seen_id[c] >> 4) << 16 | 1u << (seen_id[c] & 15);
		/* Bochs scales the cluster by 1 << 20: only ids >= 16 show it. */
		KT_EXPECT_MSG(t, seen_ldr[c] == want, "CPU %u (x2APIC id %#x): LDR %#x, want %#x",
			      c, seen_id[c], seen_ldr[c], want);
		KT_EXPECT_MSG(t, irqchip->dest(c, &logical) == seen_ldr[c] && logical,
			      "CPU %u: driver destination %#x, LDR %#x", c,
			      irqchip->dest(c, &logical), seen_ldr[c]);
	}
	ktest_log(t, "%u CPUs, last LDR %#x", nr_cpus_online, seen_ldr[nr_cpus_online - 1]);
}

/* One logical ICR write to several members of a cluster reaches exactly
 * them: each whole cluster, then every other member of it. */
KTEST(apic_modes, x2apic_ipi_cluster_mask)
{
	if (!x2cluster_mode())
		KT_SKIP(t, "APIC mode is %s, not x2apic-cluster", irqchip->name);
	if (nr_cpus_online < 2)
		KT_SKIP(t, "one CPU online");
	irq_set_handler(VEC_TEST_IPI, test_ipi, NULL);
	unsigned sent = 0;
	for (unsigned c = 0; c < nr_cpus_online; c++) {
		uint32_t cluster = percpu[c]->apic_ldr >> 16, all = 0;
		bool first = true;
		for (unsigned o = 0; o < c && first; o++)
			first = percpu[o]->apic_ldr >> 16 != cluster;
		if (!first)
			continue; /* that cluster was done */
		for (unsigned o = 0; o < nr_cpus_online; o++)
			if (percpu[o]->apic_ldr >> 16 == cluster)
				all |= percpu[o]->apic_ldr & 0xffff;
		ipi_to_mask(t, cluster << 16 | all);
		ipi_to_mask(t, cluster << 16 | (all & 0x5555));
		sent += 2;
	}
	irq_set_handler(VEC_TEST_IPI, NULL, NULL);
	ktest_log(t, "%u logical IPIs, each reached exactly its cluster's members", sent);
}

/* The PIT routed to the last CPU arrives there only: in a cluster above 0
 * the IO-APIC's 8-bit destination cannot hold the LDR, so the route must
 * name that CPU another way (machines/native.c). */
KTEST(apic_modes, x2apic_ioapic_last_cpu)
{
	if (!x2cluster_mode())
		KT_SKIP(t, "APIC mode is %s, not x2apic-cluster", irqchip->name);
	const char *busy = pit_borrow_refusal();
	if (busy)
		KT_SKIP(t, "%s", busy);
	unsigned cpu = nr_cpus_online - 1;

	memset((void *)pit_hits, 0, sizeof(pit_hits));
	int v = request_isa_irq(0, cpu, pit_irq, NULL);
	KT_ASSERT(t, v > 0);
	pit_burst(v);
	ktest_log(t, "IRQ0 -> CPU %u (LDR %#x): %u interrupts", cpu, percpu[cpu]->apic_ldr,
		  pit_hits[cpu]);
	expect_pit_only_on(t, cpu);
}
