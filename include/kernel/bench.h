/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include <kernel/compiler.h>

/* Run the micro-benchmarks (kernel/bench.c); mode names the pvops state. */
void bench_run(const char *mode, bool apic);

#endif
