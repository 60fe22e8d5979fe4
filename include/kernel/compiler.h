/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define __packed       __attribute__((packed))
#define __aligned(x)   __attribute__((aligned(x)))
#define __noreturn     __attribute__((noreturn))
#define __used	       __attribute__((used))
#define __unused       __attribute__((unused))
#define __section(s)   __attribute__((section(s)))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noinline     __attribute__((noinline))
#define __weak	       __attribute__((weak))
/*
 * Boot-only code: linked into its own pages (.init.text, arch/x86/kernel.lds.S)
 * that kernel/main.c gives back to the page allocator once the APs are up,
 * not executable from then on. Nothing that runs after boot may be __init:
 * not the AP trampoline nor ap_main, not a machine op, not a test.
 */
#define __init __attribute__((section(".text.init"), cold))
/* Written during boot only: write-protected with .rodata by
 * paging_protect_kernel once bring-up is done (arch/x86/kernel.lds.S). */
#define __ro_after_init __attribute__((section(".data.ro_after_init")))

#define likely(x)	 __builtin_expect(!!(x), 1)
#define unlikely(x)	 __builtin_expect(!!(x), 0)
#define barrier()	 __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)	 (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#include <kernel/minmax.h>
#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))
#define STRINGIFY_(x)		      #x
#define STRINGIFY(x)		      STRINGIFY_(x)
#define BUILD_BUG_ON(c)		      _Static_assert(!(c), #c)

#endif
