/* SPDX-License-Identifier: MIT */
/* Arithmetic helpers safe to include from host-tested pure code. */
#ifndef KERNEL_MINMAX_H
#define KERNEL_MINMAX_H

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))

#endif
