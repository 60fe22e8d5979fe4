/* SPDX-License-Identifier: MIT */
/* The x86 timer hardware drivers (arch/x86/kernel). No machine knowledge. */
#ifndef ASM_TIMERS_H
#define ASM_TIMERS_H

#include <kernel/time.h>

/* 8254 PIT: channel 2 free-running as a clocksource, channel 0 for IRQ 0. */
#define PIT_HZ 1193182u
bool pit_present(void);
struct clocksource *pit_clocksource_init(void); /* NULL where no PIT counts */
int pit_periodic(unsigned hz);			/* channel 0, mode 2 */
bool pit_channel_free(unsigned ch);		/* not taken by the clocksource */
void pit_stop(void);
uint16_t pit_read_count(unsigned ch); /* latched current count */

/* HPET main counter (IA-PC HPET spec 1.0a, 2.3). */
struct clocksource *hpet_init(uint64_t phys); /* NULL if absent or broken */
bool hpet_answers(uint64_t phys);	      /* its capabilities register reads sensibly */

/* ACPI PM timer: 3.579545 MHz, 24 or 32 bits (ACPI 6.x, 4.8.2.1). */
#define PMTIMER_HZ 3579545u
struct clocksource *pmtimer_init(bool mmio, uint64_t addr, bool width32);

/* CMOS RTC wallclock. */
int64_t rtc_read_epoch(unsigned century_reg); /* -1 if absent/garbled */
/* Pure, host-tested: civil date/time (UTC) to seconds since 1970. */
int64_t rtc_civil_to_epoch(int year, int mon, int day, int hour, int min, int sec);

/* TSC. */
extern struct clocksource tsc_clocksource; /* hz filled in once known */
/* TSC kHz from CPUID leaf 0x15 (crystal ratio) or 0x16 (nominal); 0 if none. */
uint64_t tsc_khz_cpuid(const char **source);
/* tsc_calibrate over the quick window (1 ms): what a machine calibrates with. */
uint64_t tsc_calibrate_quick(const struct clocksource *ref);
/* fn (no clock, no interrupts needed) runs once inside the next quick window
 * whose reference does not wrap within a second, right after the window's
 * first read; it stays set otherwise: the caller clears it with NULL and runs
 * the work itself if it did not run (arch/x86/kernel/tsc.c). */
void tsc_window_work(void (*fn)(void));
/* After tsc_set_khz: refine the rate after ready where the quick window's
 * reference was too coarse for 10 ppm; true if a refinement runs. */
bool tsc_refine_start(void);
void tsc_refine_tick(void);   /* CPU 0's tick: follows the reference, applies the result */
void tsc_refine_report(void); /* the outcome, for the log (thread context) */
/* "given" (no measurement), "quick" (final), "quick-refined-after-ready", NULL. */
const char *tsc_calibration(void);
void tsc_set_khz(uint64_t khz, const char *source);
/* read() bracketed by the TSC: returns the TSC at the read, *value the result. */
uint64_t tsc_paired_read(uint64_t (*read)(void), uint64_t *value);

#endif
