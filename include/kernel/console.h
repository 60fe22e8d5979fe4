/* SPDX-License-Identifier: MIT */
/*
 * Consoles printk writes to. Drivers (UART, port 0xE9) and machines (Xen's
 * console_io) register them; every registered console gets every line.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/compiler.h>

struct console {
	const char *name;
	void (*write)(const struct console *c, const char *s, size_t n);
	void (*flush)(const struct console *c); /* wait until output has left */
	uintptr_t data;
};

void console_register(const struct console *c);
void console_flush(void); /* drains the deferred buffer first */
/* Stop deferring (kernel/console.c): write out what was buffered since boot,
 * in order, and write straight to the consoles from now on. At ready. */
void console_defer_end(void);
/* prefix + s + newline in one piece, for lines longer than printk's buffer. */
void console_write_line(const char *prefix, const char *s);
/* After a panic: stop taking the console lock (its holder may be dead). */
void console_panic_mode(void);
/* A comma-separated list of registered consoles, for the boot report. */
void console_names(char *buf, size_t size);

/* Drivers in arch/x86/kernel. */
bool uart_init(uint16_t port);
void uart_console_register(uint16_t port);
bool debugcon_present(void);
void debugcon_console_register(void);

#endif
