/* SPDX-License-Identifier: MIT */
/*
 * Xen guest support (arch/x86/xen/), used by the xen machine entry
 * (machines/xen.c). Grouped by the file that defines them.
 */
#ifndef ASM_XEN_HYPERVISOR_H
#define ASM_XEN_HYPERVISOR_H

#include <kernel/compiler.h>
#include <asm/xen/interface.h>

struct boot_info;
struct boot_mem_region;
struct clocksource;

/* hypercall.c */
extern uint32_t xen_cpuid_base; /* 0 if no Xen signature */
extern bool xen_hypercalls_ready;
uint32_t xen_cpuid_scan(void);			/* the leaf with "XenVMMXenVMM", 0 if none */
int xen_hypercall_init(void);			/* fill the hypercall page; -1 if Xen refuses */
uint32_t xen_version(char *extra, size_t size); /* major << 16 | minor */
unsigned xen_this_vcpu(void);			/* this vCPU's id (CPUID base+4) */
void xen_exit_dom0(int status);			/* isa-debug-exit, else reboot */

/* console.c */
void xen_console_register(void);

/* e820.c */
int xen_memory_map(struct boot_info *bi);

/* time.c */
extern struct xen_shared_info *xen_shared_info;
int xen_shared_info_map(void);
int xen_shared_info_map_pv(uint64_t maddr); /* classic PV: start_info's frame */
uint64_t xen_clock_ns(void);
struct xen_vcpu_info *xen_vcpu_info_this(void);
uint64_t xen_tsc_khz(void);
extern const struct clocksource xen_clocksource;
extern const struct clocksource xen_pv_clocksource; /* the same, named "pvclock" */
int64_t xen_wallclock(void);			    /* -1 if shared_info has none */

/* events.c */
int xen_events_init(void); /* callback vector; once, on the boot CPU */
const char *xen_timer_init_cpu(unsigned hz);
/* This CPU's IPI port: 1 bound now, 0 already bound, -1 IPIs stay on the LAPIC. */
int xen_ipi_init_cpu(void);
bool xen_send_ipi(unsigned cpu, unsigned vector); /* false: not sent, use the LAPIC */

#endif
