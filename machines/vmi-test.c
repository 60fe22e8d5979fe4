// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the vmi entry (machines/vmi.c), beside it.
 */
#include <kernel/kernel.h>
#include <machine/ktest.h>

extern struct vmi_calls {
	unsigned claim, init;
} vmi_calls;

/* Probes are pure (docs/machines.md): the ROM's INIT runs on the boot CPU
 * only after this entry was chosen (claimed), at most once; never when another
 * entry won or was forced without vmi being chosen first. On vmi, both once. */
KTEST(vmi, init_only_when_chosen)
{
	ktest_log(t, "machine %s: vmi chosen %u time(s), INIT called %u time(s) on the boot CPU",
		  machine_current ? machine_current->name : "none", vmi_calls.claim,
		  vmi_calls.init);
	KT_EXPECT_LE(t, vmi_calls.init, vmi_calls.claim);
	KT_EXPECT_LE(t, vmi_calls.claim, 1);
	if (on_entry("vmi"))
		KT_EXPECT_EQ(t, vmi_calls.init, 1);
}
