// SPDX-License-Identifier: MIT
/*
 * Tests of the test runner itself: each must make the run fail in its own
 * way, so the boot matrix can prove it tells a failure and a panic from a
 * pass. They are KTEST_EXPLICIT: only ktest=selftest.fail (etc.) runs them.
 */
#include <kernel/ktest.h>
#include <kernel/panic.h>

KTEST_FLAGS(selftest, fail, KTEST_EXPLICIT)
{
	KT_EXPECT_EQ(t, 1 + 1, 3);
}

static __noinline int deref(volatile int *p)
{
	return *p;
}

KTEST_FLAGS(selftest, panic, KTEST_EXPLICIT)
{
	/* A NULL dereference: page 0 is unmapped, so this is a page fault
	 * that nothing handles. The runner must see PANIC, not "not ok". */
	volatile int *null = NULL;
	__asm__("" : "+r"(null));
	KT_EXPECT_EQ(t, deref(null), 0);
}

KTEST_FLAGS(selftest, panic_call, KTEST_EXPLICIT)
{
	panic("selftest: deliberate panic() call");
}
