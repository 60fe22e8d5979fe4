/* SPDX-License-Identifier: MIT */
/*
 * For the in-kernel tests that live beside their machine entry
 * (machines/<entry>-test.c): run only on that entry, a SKIP naming the
 * machine anywhere else.
 */
#ifndef MACHINE_KTEST_H
#define MACHINE_KTEST_H

#include <kernel/ktest.h>
#include <kernel/machine.h>
#include <string.h>

static inline bool on_entry(const char *name)
{
	return machine_current && !strcmp(machine_current->name, name);
}

#define REQUIRE_ENTRY(t, entry_name)                                                               \
	do {                                                                                       \
		if (!on_entry(entry_name))                                                         \
			KT_SKIP(t, "machine is %s, not %s",                                        \
				machine_current ? machine_current->name : "none", entry_name);     \
	} while (0)

#endif
