// SPDX-License-Identifier: MIT
/*
 * topo_choose_apic_mode (kernel/topology.c): which APIC addressing mode for
 * which CPUs, firmware flags and requests. In particular the x2APIC rule
 * (issue 19): cluster by default, physical when the FADT forces physical
 * destinations or apic=x2apic-phys asks; a platform's required mode
 * (Summit, ES7000) where it can name every CPU.
 */
#include <stdarg.h>
#include <string.h>
#include <kernel/topology.h>
#include <kernel/cmdline.h>
#include "harness.h"

bool lapic_x2apic_capable(void)
{
	return true;
}

int printk(const char *fmt, ...)
{
	return 0;
}

static void cpus(unsigned n, uint32_t first_id)
{
	topo_reset();
	for (unsigned i = 0; i < n; i++)
		topo_add_cpu(first_id + i, i, i == 0);
}

static enum apic_mode choose(enum apic_mode_req req, enum apic_mode pref, bool fadt_phys, bool x2,
			     bool x2_on)
{
	const char *why;
	return topo_choose_apic_mode(req, pref, fadt_phys, x2, x2_on, &why);
}

int main(void)
{
	const enum apic_mode none = APIC_MODE_NONE;

	/* No x2APIC: flat up to 8 CPUs, physical above; the FADT flag does
	 * not matter to the choice between them. */
	cpus(4, 0);
	CHECK_EQ(choose(APIC_REQ_AUTO, none, false, false, false), APIC_MODE_XAPIC_FLAT);
	cpus(9, 0);
	CHECK_EQ(choose(APIC_REQ_AUTO, none, false, false, false), APIC_MODE_XAPIC_PHYS);

	/* x2APIC: cluster by default, however many CPUs. */
	cpus(2, 0);
	CHECK_EQ(choose(APIC_REQ_AUTO, none, false, true, false), APIC_MODE_X2APIC_CLUSTER);
	cpus(40, 0);
	CHECK_EQ(choose(APIC_REQ_AUTO, none, false, true, false), APIC_MODE_X2APIC_CLUSTER);
	/* Firmware left x2APIC on: the same. */
	CHECK_EQ(choose(APIC_REQ_AUTO, none, false, false, true), APIC_MODE_X2APIC_CLUSTER);
	/* The FADT forces physical destinations. */
	CHECK_EQ(choose(APIC_REQ_AUTO, none, true, true, false), APIC_MODE_X2APIC_PHYS);
	/* APIC ids above 254 need x2APIC: the same rule between its modes. */
	cpus(2, 300);
	CHECK_EQ(choose(APIC_REQ_AUTO, none, false, true, false), APIC_MODE_X2APIC_CLUSTER);
	CHECK_EQ(choose(APIC_REQ_AUTO, none, true, true, false), APIC_MODE_X2APIC_PHYS);

	/* The command line forces either x2APIC mode, FADT or not. */
	cpus(4, 0);
	CHECK_EQ(choose(APIC_REQ_X2APIC_PHYS, none, false, true, false), APIC_MODE_X2APIC_PHYS);
	CHECK_EQ(choose(APIC_REQ_X2APIC_CLUSTER, none, true, true, false),
		 APIC_MODE_X2APIC_CLUSTER);
	/* ... but not on a CPU without x2APIC: refused, the default instead. */
	CHECK_EQ(choose(APIC_REQ_X2APIC_CLUSTER, none, false, false, false), APIC_MODE_XAPIC_FLAT);

	/* A platform's required mode (struct machine .irqchip) where it names
	 * every CPU, over x2APIC's default; not above 60 CPUs. */
	cpus(16, 0);
	CHECK_EQ(choose(APIC_REQ_AUTO, APIC_MODE_XAPIC_CLUSTER, false, false, false),
		 APIC_MODE_XAPIC_CLUSTER);
	CHECK_EQ(choose(APIC_REQ_AUTO, APIC_MODE_XAPIC_CLUSTER, false, true, false),
		 APIC_MODE_XAPIC_CLUSTER);
	cpus(64, 0);
	CHECK_EQ(choose(APIC_REQ_AUTO, APIC_MODE_XAPIC_CLUSTER, false, false, false),
		 APIC_MODE_XAPIC_PHYS);
	return harness_done();
}
