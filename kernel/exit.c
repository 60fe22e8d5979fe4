// SPDX-License-Identifier: MIT
/*
 * The end of every run: one KERNEL-EXIT line the runner reads, then the
 * machine's exit op, which tells the emulator the status (docs/testing.md).
 */
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/machine.h>
#include <asm/platform.h>
#include <asm/timers.h>

static const char *const names[] = {
	[KEXIT_PASS] = "pass",
	[KEXIT_FAIL] = "fail",
	[KEXIT_PANIC] = "panic",
	[KEXIT_UNSUPPORTED_CPU] = "unsupported-cpu",
};

static const char *kernel_exit_name(enum kernel_exit s)
{
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}

void kernel_exit(enum kernel_exit status)
{
	if (status != KEXIT_PANIC)
		tsc_refine_report();
	printk(KERN_PLAIN "KERNEL-EXIT: %s\n", kernel_exit_name(status));
	console_flush();
	machine_exit(status);
	printk(KERN_ERR "exit: the machine did not stop; halting\n");
	console_flush();
	halt_forever();
}
