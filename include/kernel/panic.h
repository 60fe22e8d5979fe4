/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <kernel/compiler.h>

struct trap_frame;

void __noreturn panic(const char *fmt, ...) __printf(1, 2);
void __noreturn panic_trap(struct trap_frame *f);
/* Print "  [<addr>] sym+off/size" lines walking frame pointers from bp. */
void backtrace(uintptr_t ip, uintptr_t bp);
/* Symbol containing addr, or NULL; *off = addr - symbol start. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *off, uintptr_t *size);

/* Ending the run: print KERNEL-EXIT, flush the consoles, exit (kernel/exit.c). */
enum kernel_exit { KEXIT_PASS, KEXIT_FAIL, KEXIT_PANIC, KEXIT_UNSUPPORTED_CPU };
void __noreturn kernel_exit(enum kernel_exit status);

bool panic_in_progress(void);

/* Other CPUs are told to stop here on panic (kernel/smp.c provides it). */
extern void (*panic_stop_others)(void);

#endif
