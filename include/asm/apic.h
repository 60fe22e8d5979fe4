/* SPDX-License-Identifier: MIT */
/*
 * Local APIC (xAPIC by MMIO, x2APIC by MSR) and the APIC addressing modes.
 * The driver knows the registers; which mode to use is the machine's call.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <kernel/compiler.h>

/* Register offsets (xAPIC MMIO; x2APIC MSR = 0x800 + offset / 16). */
#define APIC_ID	    0x020
#define APIC_VER    0x030
#define APIC_TPR    0x080
#define APIC_EOI    0x0b0
#define APIC_LDR    0x0d0
#define APIC_DFR    0x0e0
#define APIC_SVR    0x0f0
#define APIC_ISR    0x100
#define APIC_ESR    0x280
#define APIC_ICR    0x300
#define APIC_ICR2   0x310
#define APIC_LVTT   0x320
#define APIC_LVT0   0x350
#define APIC_LVT1   0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT  0x380
#define APIC_TMCCT  0x390
#define APIC_TDCR   0x3e0

#define APIC_SVR_ENABLE	    (1u << 8)
#define APIC_LVT_MASKED	    (1u << 16)
#define APIC_LVT_LEVEL	    (1u << 15)
#define APIC_LVT_ACTIVE_LOW (1u << 13)
#define APIC_DM_FIXED	    (0u << 8)
#define APIC_DM_NMI	    (4u << 8)
#define APIC_DM_INIT	    (5u << 8)
#define APIC_DM_STARTUP	    (6u << 8)
#define APIC_DM_EXTINT	    (7u << 8)
#define APIC_DEST_LOGICAL   (1u << 11)
#define APIC_ICR_BUSY	    (1u << 12)
#define APIC_INT_ASSERT	    (1u << 14)
#define APIC_INT_LEVELTRIG  (1u << 15)
#define APIC_DEST_SELF	    (1u << 18)
#define APIC_DEST_ALLINC    (2u << 18)
#define APIC_DEST_ALLBUT    (3u << 18)
#define APIC_TIMER_PERIODIC (1u << 17)
#define APIC_TIMER_DEADLINE (2u << 17)

/* Fixed kernel vectors. */
#define VEC_APIC_TIMER 0xef
#define VEC_CALL_FUNC  0xf0
#define VEC_RESCHED    0xf1
#define VEC_TEST_IPI   0xf2
#define VEC_APIC_ERROR 0xfe
#define VEC_SPURIOUS   0xff

enum apic_mode {
	APIC_MODE_NONE,		 /* no local APIC in use: 8259 PIC */
	APIC_MODE_XAPIC_FLAT,	 /* logical flat: up to 8 CPUs */
	APIC_MODE_XAPIC_PHYS,	 /* physical ("bigsmp") */
	APIC_MODE_XAPIC_CLUSTER, /* logical clustered: Summit, ES7000 */
	APIC_MODE_X2APIC_PHYS,
	APIC_MODE_X2APIC_CLUSTER,
};

/* lapic.c: registers */
bool lapic_detect(uint64_t base); /* CPUID says APIC and base is sane */
void lapic_set_base(uint64_t phys);
uint64_t lapic_msr_base(void); /* IA32_APIC_BASE's address; 0 without an APIC */
bool lapic_x2apic_capable(void);
void lapic_enable_x2apic(void); /* on the calling CPU */
bool lapic_is_x2apic(void);
/* Whether this CPU's IA32_APIC_BASE has x2APIC on now (where CPUID lists an
 * APIC: the MSR is not there otherwise). */
bool lapic_x2apic_enabled_here(void);
/* IA32_APIC_BASE written back unchanged (a Bochs quirk, apic.c). */
void lapic_rewrite_base(void);
/* Register access: pvops (APIC_READ, APIC_WRITE, APIC_EOI) over these. */
#ifdef CONFIG_PARAVIRT
#include <asm/paravirt.h>
#else
#define PV_REGPARM
#endif
PV_REGPARM uint32_t native_apic_read(unsigned reg);
PV_REGPARM void native_apic_write(unsigned reg, uint32_t v);
PV_REGPARM void native_apic_eoi(void);
uint32_t lapic_id(void);			  /* full x2APIC id, or xAPIC id (8 bits) */
void lapic_write_icr(uint32_t lo, uint32_t dest); /* waits for delivery where needed */
void lapic_setup_cpu(void);			  /* SVR, TPR, LVTs masked, error vector */
void lapic_set_lint(unsigned lint, uint32_t lvt);

/* lapic_timer.c */
uint64_t lapic_timer_calibrate(void);	    /* on the BSP, against the clocksource */
const char *lapic_timer_start(unsigned hz); /* this CPU; returns clockevent name */
uint64_t lapic_timer_hz(void);
bool lapic_timer_window_begin(void);		   /* BSP, xAPIC: start counting */
uint64_t lapic_timer_window_end(uint64_t tsc_khz); /* its rate, 0 if not counted */

/* apic.c: addressing modes; the drivers themselves are in asm/irqchip.h */
enum apic_mode apic_get_mode(void); /* the chosen irqchip's */
const char *apic_mode_name(enum apic_mode m);
/* INIT, SIPI to an APIC id (physical destination in every mode). */
void apic_send_init(uint32_t apic_id);
void apic_send_init_others(void); /* every CPU but this one (emulators only: machines/native.c) */
void apic_send_sipi(uint32_t apic_id, unsigned page);
/* x2APIC cluster addressing (SDM 10.12.10.2): the logical id an x2APIC
 * derives from its id, and a STARTUP to the members named in one such id
 * (the sender in x2APIC mode; the targets only answer in x2APIC mode). */
uint32_t x2apic_cluster_ldr(uint32_t apic_id);
void apic_send_sipi_cluster(uint32_t ldr, unsigned page);

#ifdef CONFIG_PARAVIRT
static inline uint32_t lapic_read(unsigned reg)
{
	return (uint32_t)PV_CALL1(PV_APIC_READ, reg);
}

static inline void lapic_write(unsigned reg, uint32_t val)
{
	PV_CALL2(PV_APIC_WRITE, reg, val);
}

static inline void lapic_eoi(void)
{
	PV_CALL0(PV_APIC_EOI);
}
#else
#define lapic_read(r)	  native_apic_read(r)
#define lapic_write(r, v) native_apic_write(r, v)
#define lapic_eoi()	  native_apic_eoi()
#endif

#endif
