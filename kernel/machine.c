// SPDX-License-Identifier: MIT
#include <kernel/machine.h>
#include <asm/platform.h>

void machine_exit(int status)
{
	qemu_debug_exit((unsigned)status);
	bochs_magic_exit((unsigned)status);
}
