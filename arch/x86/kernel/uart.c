// SPDX-License-Identifier: MIT
/* 16550 UART: polled output only, 115200 8n1. */
#include <kernel/console.h>
#include <asm/io.h>

#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
#define LSR_THRE 0x20 /* holding register empty */
#define LSR_TEMT 0x40 /* shift register empty too */
#define LCR_DLAB 0x80
#define LCR_8N1	 0x03

/* A missing or wedged UART must not hang the kernel: bound every wait. */
#define UART_SPIN 100000

bool uart_init(uint16_t port)
{
	/* The scratch register holds what is written where a UART exists;
	 * an absent port reads 0xff. */
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, 1); /* 115200 baud */
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	outb(port + UART_MCR, 0x03); /* DTR, RTS; OUT2 off: no UART IRQ yet */
	return true;
}

static void uart_putc(uint16_t port, char c)
{
	for (int i = 0; i < UART_SPIN && !(inb(port + UART_LSR) & LSR_THRE); i++)
		;
	outb(port + UART_THR, (uint8_t)c);
}

static void uart_write(const struct console *c, const char *s, size_t n)
{
	uint16_t port = (uint16_t)c->data;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc(port, '\r');
		uart_putc(port, s[i]);
	}
}

/* Bochs loses what is still in the UART when it exits: wait for TEMT. */
static void uart_flush(const struct console *c)
{
	uint16_t port = (uint16_t)c->data;

	for (int i = 0; i < UART_SPIN && !(inb(port + UART_LSR) & LSR_TEMT); i++)
		;
}

static struct console uart_consoles[2];

void uart_console_register(uint16_t port)
{
	struct console *c = &uart_consoles[port == 0x3f8 ? 0 : 1];

	c->name = port == 0x3f8 ? "ttyS0" : "ttyS1";
	c->write = uart_write;
	c->flush = uart_flush;
	c->data = port;
	console_register(c);
}
