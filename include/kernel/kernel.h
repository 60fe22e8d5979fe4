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

#endif
