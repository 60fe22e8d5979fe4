// SPDX-License-Identifier: MIT
/* Port 0xE9: Bochs' port_e9_hack and QEMU's -debugcon. */
#include <kernel/console.h>
#include <asm/io.h>

#define DEBUGCON_PORT 0xe9

/* Both emulators answer a read of the port with 0xE9; nothing else does. */
bool debugcon_present(void)
{
	return inb(DEBUGCON_PORT) == 0xe9;
}

static void debugcon_write(const struct console *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		outb(DEBUGCON_PORT, (uint8_t)s[i]);
}

static const struct console debugcon = {
	.name = "debugcon",
	.write = debugcon_write,
};

void debugcon_console_register(void)
{
	console_register(&debugcon);
}
