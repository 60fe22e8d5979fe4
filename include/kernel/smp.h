/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/compiler.h>

#define TICK_HZ 100

/* Start the APs firmware listed (limited by nosmp/maxcpus/NR_CPUS). */
void smp_boot(void);
/* Run fn(arg) on cpu (in its interrupt context); wait for it to finish.
 * Returns 0, or -1 if cpu did not answer within timeout_ms. */
int smp_call(unsigned cpu, void (*fn)(void *), void *arg, unsigned timeout_ms);
/* Run fn(arg) on every other online CPU at once (each in its interrupt
 * context) and wait for all; returns how many did not answer in timeout_ms. */
unsigned smp_call_others(void (*fn)(void *), void *arg, unsigned timeout_ms);
#ifdef CONFIG_SMP
extern unsigned nr_cpus_online;
#else
#define nr_cpus_online 1u /* a constant: loops over online CPUs stay in bounds */
#endif
extern unsigned nr_cpus_listed;
extern unsigned smp_cpus_left_out; /* listed, started, never answered */
/* Run fn(arg) on AP cpu in its idle loop with interrupts enabled (not in an
 * interrupt handler, unlike smp_call); smp_wait_async waits for it. */
int smp_run_async(unsigned cpu, void (*fn)(void *), void *arg);
int smp_wait_async(unsigned cpu, unsigned timeout_ms);
/* nohz: an idle AP's tick is stopped (nohz=off keeps it at TICK_HZ). Keep
 * AP cpu (or every AP: SMP_ALL_APS) ticking while idle (on) or let it stop
 * again (off), and wait (at most 1 s) until it has; returns how many have
 * not. Tests that watch every CPU's tick ask for this. */
#define SMP_ALL_APS (~0u)
unsigned smp_tick_keep(unsigned cpu, bool on);
/* True while cpu idles with its tick stopped (the NMI watchdog's rule). */
bool smp_tick_stopped(unsigned cpu);
bool smp_nohz(void);	     /* idle APs stop their tick (not nohz=off, and it could) */
extern uint64_t smp_boot_ns; /* time smp_boot spent starting APs */
/* A machine's start_cpus calls this as it sends and waits: it ends CPU 0's
 * fast bring-up tick when that is due (kernel/smp.c). */
void smp_bringup_tick_check(void);
/* wait_step_until for whoever waits halted for APs to check in (smp_boot,
 * a machine's start_cpus): armed first, so that the AP whose check-in makes
 * nr_cpus_online reach `online` sends CPU 0 an IPI. Disarm when done. */
bool smp_wait_step_until(unsigned *spins, unsigned online, bool (*done)(void));
void smp_wait_disarm(void);
/* How often the boot CPU armed, and how many check-ins sent it an IPI: at
 * most one per arming (conformance.checkin_wakeups). */
struct smp_wakeups {
	unsigned arms, ipis;
};
extern struct smp_wakeups smp_wakeups;
struct percpu;
/* An AP's C entry: from the real-mode trampoline or a hypervisor's vCPU
 * start (Xen PV: arch/x86/xen/pv-smp.c). */
void __noreturn ap_main(struct percpu *p);

/* arch/x86/kernel/smpboot.c: the control registers the AP trampoline loads,
 * for count APs (0: none may start). */
void smpboot_set_registers(unsigned count);
void smpboot_cancel(void);

/* For kernel/smp.c's callers: the APIC id table the AP trampoline reads. */
struct ap_boot {
	uint32_t apic_id;
	uint32_t state; /* AP_WAITING, AP_ONLINE, AP_ABANDONED */
	uint64_t stack_top;
	uint64_t percpu;
};
extern struct ap_boot ap_boot_table[];

#endif
