// SPDX-License-Identifier: MIT
/*
 * Tests of the test runner itself: each must make the run fail in its own
 * way, so the boot matrix can prove it tells a failure and a panic from a
 * pass. They are KTEST_EXPLICIT: only ktest=selftest.fail (etc.) runs them.
 */
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/nmi_watchdog.h>
#include <kernel/smp.h>
#include <asm/irqflags.h>

KTEST_FLAGS(selftest, fail, KTEST_EXPLICIT)
{
	KT_EXPECT_EQ(t, 1 + 1, 3);
}

/* Passes nothing and fails nothing: the runner must call it not ok (a test
 * that made no check proved nothing). */
KTEST_FLAGS(selftest, no_checks, KTEST_EXPLICIT)
{
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

static __noinline void smash(volatile char *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = 0x41;
}

/* Overwrite this function's own stack canary: the check on return must
 * panic ("stack protector") before the corrupted return address is used. */
KTEST_FLAGS(selftest, stack_protector, KTEST_EXPLICIT)
{
	char buf[16];

	smash(buf, 64);
	KT_EXPECT(t, buf[0] == 0x41);
}

static __noinline int recurse(int depth)
{
	volatile char pad[480];

	/* Bounded only so the compiler accepts it: 10^6 frames of 480 bytes
	 * are far past any kernel stack, so the guard page is always hit. */
	pad[0] = (char)depth;
	if (depth > 1000000)
		return 0;
	return recurse(depth + 1) + pad[0];
}

/* Run off the end of the kernel stack into its guard page: a double fault
 * on a known-good stack must report it, not reset the machine. */
KTEST_FLAGS(selftest, stack_overflow, KTEST_EXPLICIT)
{
	KT_EXPECT(t, recurse(0) != 12345);
}

static void spin_irqs_off(void *arg)
{
	/* In an IPI handler: interrupts are off. No PAUSE: QEMU's TCG takes it
	 * as a yield, and under -icount a CPU that only yields barely moves the
	 * clock the watchdog measures with; a real lockup need not pause. */
	for (volatile unsigned long n = 0;; n++)
		;
}

/* One CPU stuck with interrupts off: with nmi_watchdog=1 the watchdog must
 * name the CPU and where it spins, and end the run as a panic. */
KTEST_FLAGS(selftest, lockup, KTEST_EXPLICIT)
{
	if (!nmi_watchdog_running())
		KT_SKIP(t, "the NMI watchdog is off (nmi_watchdog=1 not given, or unavailable)");
	if (nr_cpus_online > 1) {
		smp_call(1, spin_irqs_off, NULL, 5000);
	} else {
		irq_disable();
		spin_irqs_off(NULL);
	}
	KT_EXPECT_MSG(t, false, "the NMI watchdog did not fire within 5 s");
}
