// SPDX-License-Identifier: MIT
/* The kernel's vsnprintf against the C library's, on the same formats. */
#include "harness.h"
#include <stdarg.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

static void same(const char *fmt, ...)
{
	char want[256], got[256];
	va_list ap, ap2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n1 = vsnprintf(want, sizeof(want), fmt, ap);
	int n2 = kvsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	va_end(ap);
	harness_set_context(fmt);
	CHECK_STR(got, want);
	CHECK_EQ(n2, n1);
	harness_set_context("");
}

int main(void)
{
	char small[5];

	same("%d %i %u %x %X %o", -5, 17, 42u, 0xbeefu, 0xbeefu, 8u);
	same("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	same("[%#x] [%#010x] [%.3d] [%8.3d]", 255u, 255u, 7, 7);
	same("%lld %llu %llx", -1234567890123ll, 18446744073709551615ull, 0xdeadbeefcafeull);
	same("%ld %lu %zu %zx", -7l, 7ul, (size_t)99, (size_t)0x99);
	same("%hhd %hd %hhu", 300, 70000, 257);
	same("[%s] [%10s] [%-10s] [%.2s] [%*d]", "abc", "abc", "abc", "abc", 6, 3);
	same("%c%c %% done", 'o', 'k');
	same("%d", -2147483647 - 1);
	/* Truncation: the return value is the full length. */
	va_list none;
	(void)none;
	CHECK_EQ(snprintf(small, sizeof(small), "%s", "hello world"), 11);
	return harness_done();
}
