/* SPDX-License-Identifier: MIT */
/* Small platform facts and helpers from arch/x86/kernel that machines share. */
#ifndef ASM_PLATFORM_H
#define ASM_PLATFORM_H

#include <kernel/compiler.h>

/* QEMU's fw_cfg interface at port 0x510 (signature "QEMU"). */
bool fw_cfg_present(void);

/* Exit mechanisms, each a no-op where its device is absent. */
void qemu_debug_exit(unsigned status);	/* isa-debug-exit at port 0xf4 */
void bochs_magic_exit(unsigned status); /* xchg %bx,%bx with eax = status */
void __noreturn halt_forever(void);

#endif
