// SPDX-License-Identifier: MIT
/*
 * -fstack-protector-strong with a global guard (-mstack-protector-guard=
 * global): the compiler checks __stack_chk_guard on return from functions
 * with arrays or address-taken locals; a mismatch lands here.
 */
#include <kernel/panic.h>

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull & UINTPTR_MAX;

void __noreturn __stack_chk_fail(void)
{
	panic("stack protector: canary overwritten in %p's caller", __builtin_return_address(0));
}
