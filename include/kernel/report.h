/* SPDX-License-Identifier: MIT */
/*
 * Facts for the BOOT-REPORT line (docs/boot-report.md). Subsystems fill
 * them as they learn them; an unset field prints as null.
 */
#ifndef KERNEL_REPORT_H
#define KERNEL_REPORT_H

#include <kernel/compiler.h>

#define FACT_UNKNOWN (-1ll)

struct boot_facts {
	const char *entry; /* multiboot | pvh */
	const char *machine;
	const char *hypervisor; /* none | kvm | xen | vmware | hyperv | vmi | tcg | ... */
	long long cpus, cpus_listed;
	const char *apic;
	long long ioapics;
	const char *clockevent, *clocksource;
	long long tsc_khz;
	const char *tsc_source;
	const char *tsc_calibration; /* given | quick | quick-refined-after-ready */
	long long ready_ns;
	const char *paging;
	bool nx;
	long long mem_kib;
	const char *cmdline;
	const char *loader;
};

extern struct boot_facts facts;

void report_init(void);
void report_print(void);

#endif
