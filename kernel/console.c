// SPDX-License-Identifier: MIT
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <string.h>

#define MAX_CONSOLES 4

static const struct console *consoles[MAX_CONSOLES];
static spinlock_t console_lock = SPINLOCK_INIT;
static bool panic_mode;
static int log_level = CONFIG_LOG_LEVEL;

void console_register(const struct console *c)
{
	for (int i = 0; i < MAX_CONSOLES; i++) {
		if (!consoles[i]) {
			consoles[i] = c;
			return;
		}
	}
}

void console_unregister(const struct console *c)
{
	for (int i = 0; i < MAX_CONSOLES; i++)
		if (consoles[i] == c)
			consoles[i] = NULL;
}

static void write_all(const char *s, size_t n)
{
	for (int i = 0; i < MAX_CONSOLES; i++)
		if (consoles[i])
			consoles[i]->write(consoles[i], s, n);
}

void console_write(const char *s, size_t n)
{
	if (panic_mode) {
		write_all(s, n);
		return;
	}
	unsigned long f = spin_lock_irqsave(&console_lock);
	write_all(s, n);
	spin_unlock_irqrestore(&console_lock, f);
}

void console_write_line(const char *prefix, const char *s)
{
	unsigned long f = 0;

	if (!panic_mode)
		f = spin_lock_irqsave(&console_lock);
	write_all(prefix, strlen(prefix));
	write_all(s, strlen(s));
	write_all("\n", 1);
	if (!panic_mode)
		spin_unlock_irqrestore(&console_lock, f);
}

void console_flush(void)
{
	for (int i = 0; i < MAX_CONSOLES; i++)
		if (consoles[i] && consoles[i]->flush)
			consoles[i]->flush(consoles[i]);
}

void console_panic_mode(void)
{
	panic_mode = true;
}

void console_names(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < MAX_CONSOLES; i++)
		if (consoles[i])
			len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					len ? "," : "", consoles[i]->name);
}

void printk_set_level(int level)
{
	log_level = level;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int level = 6;

	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	if (level > log_level)
		return 0;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
