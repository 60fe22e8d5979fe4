// SPDX-License-Identifier: MIT
/*
 * 64-bit division for i386, which GCC lowers to libgcc calls. The kernel
 * does not link Debian's 32-bit libgcc: it is built for i686 and may use
 * cmov, which the 486 floor does not have. Shift-subtract is enough here:
 * 64-bit divisions happen in time conversions and printk, not hot paths.
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;

	if (!d) {
		/* Division by zero: trap like the hardware divide would. */
		__asm__ __volatile__("ud2");
	}
	if ((n >> 32) == 0 && (d >> 32) == 0) {
		uint32_t q32 = (uint32_t)n / (uint32_t)d;
		if (rem)
			*rem = (uint32_t)n % (uint32_t)d;
		return q32;
	}
	int shift = __builtin_clzll(d) - (n ? __builtin_clzll(n) : 63);
	if (shift >= 0) {
		d <<= shift;
		for (; shift >= 0; shift--) {
			q <<= 1;
			if (n >= d) {
				n -= d;
				q |= 1;
			}
			d >>= 1;
		}
	}
	if (rem)
		*rem = n;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	__udivmoddi4(n, d, &r);
	return r;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	uint64_t q = __udivmoddi4(n < 0 ? -(uint64_t)n : (uint64_t)n,
				  d < 0 ? -(uint64_t)d : (uint64_t)d, 0);
	return (n < 0) != (d < 0) ? -(int64_t)q : (int64_t)q;
}

int64_t __moddi3(int64_t n, int64_t d)
{
	uint64_t r;

	__udivmoddi4(n < 0 ? -(uint64_t)n : (uint64_t)n, d < 0 ? -(uint64_t)d : (uint64_t)d, &r);
	return n < 0 ? -(int64_t)r : (int64_t)r;
}
