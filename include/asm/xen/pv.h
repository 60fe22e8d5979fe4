/* SPDX-License-Identifier: MIT */
/*
 * Classic Xen PV (x86_64): arch/x86/xen/pv-entry.S, pv.c, pv_mmu.c and the
 * xen-pv machine entry (machines/xen-pv.c). Grouped by defining file.
 */
#ifndef ASM_XEN_PV_H
#define ASM_XEN_PV_H

/* Event upcalls are dispatched as this fixed vector (trap_dispatch). */
#define XEN_PV_UPCALL_VECTOR 0xf3

#ifndef __ASSEMBLY__
#include <kernel/compiler.h>

/* pv-entry.S */
void xen_pv_start(void);
void __noreturn xen_pv_failsafe(void);
extern char xen_pv_trap_stubs[], xen_pv_hypervisor_callback[], xen_pv_nmi_callback[],
	xen_pv_failsafe_callback[], xen_pv_iret[];

/* pv.c */
extern bool xen_pv_booted;		 /* entered through xen_pv_start */
extern const uint8_t *xen_pv_start_info; /* the start_info page */
extern const uint64_t *xen_pv_p2m;	 /* pfn -> mfn, start_info.mfn_list */
extern uint64_t xen_pv_nr_pages;
void xen_pv_entry(const uint8_t *start_info);
uint64_t xen_pv_pfn_to_mfn(uint64_t pfn);
uint64_t xen_pv_shared_info_maddr(void); /* start_info.shared_info */
uint64_t xen_pv_mfn_to_pfn(uint64_t mfn);
void xen_pv_fill_trap_ctxt(void *trap_info_256); /* the 32 exception vectors */
struct trap_frame;
struct percpu;
void __noreturn xen_pv_ap_entry(struct percpu *p);
long xen_pv_map_writable(uintptr_t va); /* tests: mmu_update's answer */
struct pv_ops_override;
extern const struct pv_ops_override xen_pv_pvops; /* pv.c */

bool xen_pv_register_vcpu_info(unsigned vcpu, struct percpu *p);
bool xen_pv_vcpu_info_registered(void);

/* pv-smp.c */
#ifdef CONFIG_SMP
int xen_pv_start_cpus(struct percpu **cpus, unsigned n);
#else
static inline int xen_pv_start_cpus(struct percpu **cpus, unsigned n)
{
	return -1; /* CONFIG_SMP=n: no AP is started */
}
#endif

#endif
#endif
