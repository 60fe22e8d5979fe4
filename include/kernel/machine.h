/* SPDX-License-Identifier: MIT */
/*
 * The machine table (docs/machines.md). Filled out by the machine-table
 * work; the foundation only needs the exit path.
 */
#ifndef KERNEL_MACHINE_H
#define KERNEL_MACHINE_H

#include <kernel/compiler.h>

/* Tell the emulator or hypervisor the status and stop; returns only if nothing did. */
void machine_exit(int status);

#endif
