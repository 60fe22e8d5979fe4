// SPDX-License-Identifier: MIT
/* Xen's console_io hypercall: lines appear on Xen's console as "(d0) ...". */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <kernel/console.h>

static void xen_console_write(const struct console *c, const char *s, size_t n)
{
	if (n)
		xen_hc_console_io(CONSOLEIO_write, (unsigned)n, s);
}

static const struct console xen_console = {
	.name = "xen",
	.write = xen_console_write,
};

void xen_console_register(void)
{
	console_register(&xen_console);
}
