/* SPDX-License-Identifier: MIT */
#ifndef ASM_TSC_H
#define ASM_TSC_H

#include <kernel/compiler.h>
#include <asm/pvclock.h>

extern uint64_t boot_tsc; /* TSC at entry (arch/x86/boot/entry.S), 0 if none */

/* TSC frequency and where it came from; 0 / NULL until known. */
extern uint64_t tsc_khz;
extern const char *tsc_source;

/* TSC ticks to ns at tsc_khz (set by tsc_set_khz): a multiply and a shift in
 * the pvclock format, no division. 0 until the rate is known. */
extern uint32_t tsc_ns_mul;
extern int8_t tsc_ns_shift;

static inline uint64_t tsc_to_ns(uint64_t delta)
{
	return pvclock_scale(delta, tsc_ns_mul, tsc_ns_shift);
}

/* Calibrate against PIT channel 2 over ms milliseconds; 0 if no PIT answers. */
uint64_t pit_calibrate_tsc(unsigned ms);

#endif
