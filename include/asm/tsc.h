/* SPDX-License-Identifier: MIT */
#ifndef ASM_TSC_H
#define ASM_TSC_H

#include <kernel/compiler.h>

extern uint64_t boot_tsc; /* TSC at entry (arch/x86/boot/entry.S), 0 if none */

/* TSC frequency and where it came from; 0 / NULL until known. */
extern uint64_t tsc_khz;
extern const char *tsc_source;

static inline uint64_t tsc_to_ns(uint64_t delta)
{
	/* delta * 10^6 / kHz, split so it cannot overflow for years of uptime. */
	return delta / tsc_khz * 1000000 + delta % tsc_khz * 1000000 / tsc_khz;
}

/* Calibrate against PIT channel 2 over ms milliseconds; 0 if no PIT answers. */
uint64_t pit_calibrate_tsc(unsigned ms);

#endif
