// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the xen entry (machines/xen.c), beside it: IPIs over
 * event channels. Elsewhere a SKIP naming the machine.
 */
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/trap.h>
#include <asm/tsc.h>
#include <machine/ktest.h>
#include <string.h>
#include <asm/xen/hypervisor.h>

static volatile uint32_t evtchn_ipi_hits[NR_CPUS];
static volatile bool evtchn_sent[NR_CPUS];

static void evtchn_ipi_handler(struct trap_frame *f, void *data)
{
	__atomic_fetch_add(&evtchn_ipi_hits[smp_processor_id()], 1, __ATOMIC_SEQ_CST);
}

static bool wait_evtchn_hits(unsigned cpu, uint32_t want)
{
	uint64_t start = clock_ns();

	while (evtchn_ipi_hits[cpu] < want && clock_ns() - start < 500000000ull)
		cpu_relax();
	return evtchn_ipi_hits[cpu] >= want;
}

static void evtchn_ipi_to_bsp(void *arg)
{
	evtchn_sent[smp_processor_id()] = xen_send_ipi(0, VEC_TEST_IPI);
}

/* The event channel path itself, not the LAPIC fallback: xen_send_ipi must
 * take every CPU's port. Each CPU to itself (an IPI port notifies its own
 * vCPU too), the BSP to each AP and each AP back to the BSP. */
KTEST(xen, evtchn_ipi_every_cpu)
{
	REQUIRE_ENTRY(t, "xen");
	irq_set_handler(VEC_TEST_IPI, evtchn_ipi_handler, NULL);
	memset((void *)evtchn_ipi_hits, 0, sizeof(evtchn_ipi_hits));
	memset((void *)evtchn_sent, 0, sizeof(evtchn_sent));
	KT_EXPECT_MSG(t, xen_send_ipi(0, VEC_TEST_IPI), "CPU 0 has no IPI port");
	KT_EXPECT_MSG(t, wait_evtchn_hits(0, 1), "self IPI on CPU 0 not delivered");
	for (unsigned c = 1; c < nr_cpus_online; c++) {
		uint32_t bsp_before = evtchn_ipi_hits[0];
		KT_EXPECT_MSG(t, xen_send_ipi(c, VEC_TEST_IPI), "CPU %u has no IPI port", c);
		KT_EXPECT_MSG(t, wait_evtchn_hits(c, 1), "IPI to CPU %u not delivered", c);
		KT_EXPECT_MSG(t, smp_call(c, evtchn_ipi_to_bsp, NULL, 500) == 0,
			      "CPU %u did not run the call", c);
		KT_EXPECT_MSG(t, evtchn_sent[c], "CPU %u: xen_send_ipi to CPU 0 failed", c);
		KT_EXPECT_MSG(t, wait_evtchn_hits(0, bsp_before + 1), "no IPI from CPU %u to CPU 0",
			      c);
	}
	for (unsigned c = 1; c < nr_cpus_online; c++)
		KT_EXPECT_EQ(t, evtchn_ipi_hits[c], 1);
	ktest_log(t, "%u CPU(s): every IPI went over its event channel", nr_cpus_online);
	irq_set_handler(VEC_TEST_IPI, NULL, NULL);
}
