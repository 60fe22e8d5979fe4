/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_NMI_WATCHDOG_H
#define KERNEL_NMI_WATCHDOG_H

#include <kernel/compiler.h>

#define NMI_WATCHDOG_HZ 20 /* the PIT's slowest rate is 18.2 Hz */

/* nmi_watchdog=1: start the machine's periodic NMI and check every CPU. */
void nmi_watchdog_init(void);
bool nmi_watchdog_running(void);
/* For machines' nmi_watchdog_start: call on each periodic NMI on CPU 0 to
 * pass it on to the other CPUs (NMI IPIs), when the NMI reaches CPU 0 only. */
extern bool nmi_watchdog_fanout;

#endif
