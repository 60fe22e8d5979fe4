/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <firmware/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/memmap.h>

#define KERNEL_NAME    "x86 machine-layer kernel"
#define KERNEL_VERSION "0.1"
#ifdef CONFIG_X86_64
#define KERNEL_ARCH "x86_64"
#else
#define KERNEL_ARCH "i386"
#endif

extern struct boot_info boot_info_parsed;
extern struct cmdline cmdline;
extern struct memmap usable_mem;

/* The __init code (include/kernel/compiler.h): [_init_start, _init_end),
 * freed by kernel/main.c once the APs are up. Code that walks recorded
 * addresses (pvops call sites) skips the ones in freed init memory. */
extern char _init_start[], _init_end[];
extern bool init_freed;
static inline bool in_freed_init(uintptr_t addr)
{
	return init_freed && addr >= (uintptr_t)_init_start && addr < (uintptr_t)_init_end;
}

#endif
