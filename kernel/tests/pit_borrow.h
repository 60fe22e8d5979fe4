/* SPDX-License-Identifier: MIT */
/*
 * For the tests that borrow PIT channel 0 and IRQ0 (conformance.device_irq_pit,
 * apic_modes.ioapic_rte_cluster): why they can't on this machine, or NULL.
 */
#ifndef KERNEL_TESTS_PIT_BORROW_H
#define KERNEL_TESTS_PIT_BORROW_H

#include <kernel/nmi_watchdog.h>
#include <kernel/report.h>
#include <kernel/time.h>
#include <asm/timers.h>
#include <string.h>

static inline const char *pit_borrow_refusal(void)
{
	if (!pit_present())
		return "no PIT on this machine";
	if (facts.clockevent && !strcmp(facts.clockevent, "pit"))
		return "the PIT is this machine's tick (tested by timer_tick_rate)";
	if (clocksource_get("pit") && !pit_channel_free(0))
		return "PIT channel 0 is the clocksource here (no port 0x61)";
	if (nmi_watchdog_running())
		return "PIT channel 0 drives the NMI watchdog";
	return NULL;
}

#endif
