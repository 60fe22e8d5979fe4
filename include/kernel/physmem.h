/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PHYSMEM_H
#define KERNEL_PHYSMEM_H

#include <firmware/fwmem.h>

/*
 * The kernel's fw_mem: physical memory below 4 GiB, mapped read-only on
 * demand. Page 0 (the BIOS data area) is served from a snapshot taken at
 * entry, because page 0 itself stays unmapped to catch NULL pointers.
 */
extern const struct fw_mem physmem;
void physmem_snapshot_page0(void);

#endif
