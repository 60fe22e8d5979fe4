// SPDX-License-Identifier: MIT
/* 16550 UART: polled output only, 115200 8n1. */
#include <kernel/console.h>
#include <asm/io.h>

/*
 * Registers, as offsets from the base port (16550A datasheet, "Register
 * Summary"). Offsets 0 and 1 are two registers each: LCR bit 7 (DLAB)
 * switches them from THR/RBR and IER to the baud divisor latch, so the
 * divisor must be written between setting and clearing DLAB, and nothing may
 * be sent while DLAB is set. Offset 2 is IIR when read and FCR when written:
 * FCR cannot be read back, IIR's top bits are the only trace of it.
 */
#define UART_THR 0 /* transmit holding (DLAB=0) */
#define UART_DLL 0 /* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7
/* Line status (LSR) bits 5 and 6. In FIFO mode THRE means the whole
 * transmit FIFO is empty, not that one more byte fits. */
#define LSR_THRE 0x20 /* holding register empty */
#define LSR_TEMT 0x40 /* shift register empty too */
#define LCR_DLAB 0x80
#define LCR_8N1	 0x03

/* A missing or wedged UART must not hang the kernel: bound every wait. */
#define UART_SPIN 100000

/* A 16550A's transmit FIFO: once THRE says it is empty, 16 bytes may be
 * written without looking again (one LSR read per 16 bytes, not per byte:
 * under emulation each read is an exit). IIR bits 7:6 read 11 when the
 * FIFO enable in FCR took (Linux's 8250 autoconfig makes the same test);
 * an 8250/16450 has no FIFO and gets one byte per THRE. */
#define IIR_FIFO_ON 0xc0
#define TX_FIFO	    16
static uint16_t fifo_ports[2];

bool uart_init(uint16_t port)
{
	/* The scratch register holds what is written where a UART exists;
	 * an absent port reads 0xff. (The original 8250 had no scratch
	 * register; it would be refused here.) */
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	/* Polled only: no UART interrupt source enabled. */
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	/* Divisor = 1.8432 MHz / (16 * baud): 1 gives 115200. */
	outb(port + UART_DLL, 1); /* 115200 baud */
	outb(port + UART_DLM, 0);
	/* 8 data bits, no parity, 1 stop bit; this also clears DLAB. */
	outb(port + UART_LCR, LCR_8N1);
	/* FCR: bit 0 enables both FIFOs, bits 1-2 clear them, bits 7:6 = 11
	 * is the receive trigger level (14 bytes); transmit has none. */
	outb(port + UART_FCR, 0xc7); /* FIFO on, cleared, 14-byte threshold */
	/* On a PC, MCR's OUT2 (bit 3) gates the UART's interrupt line to the
	 * PIC: left clear, nothing reaches an IRQ even if IER were set. */
	outb(port + UART_MCR, 0x03); /* DTR, RTS; OUT2 off: no UART IRQ yet */
	/* IIR bits 7:6: 00 no FIFO (8250/16450), 10 the original 16550 whose
	 * FIFO is unreliable, 11 a 16550A with its FIFO on. Only 11 counts. */
	if ((inb(port + UART_IIR) & IIR_FIFO_ON) == IIR_FIFO_ON)
		fifo_ports[port == 0x3f8 ? 0 : 1] = port;
	return true;
}

/* Bounded: a UART that never raises THRE costs UART_SPIN port reads, and
 * the byte is then written anyway (it may be lost; the kernel goes on). */
static void wait_thre(uint16_t port)
{
	for (int i = 0; i < UART_SPIN && !(inb(port + UART_LSR) & LSR_THRE); i++)
		;
}

static void uart_write(const struct console *c, const char *s, size_t n)
{
	uint16_t port = (uint16_t)c->data;
	unsigned burst = fifo_ports[port == 0x3f8 ? 0 : 1] == port ? TX_FIFO : 1, room = 0;
	bool cr_done = false;

	for (size_t i = 0; i < n;) {
		if (!room) {
			wait_thre(port);
			room = burst;
		}
		room--;
		/* A terminal needs CR LF; the CR takes a FIFO slot too. */
		if (s[i] == '\n' && !cr_done) {
			outb(port + UART_THR, '\r');
			cr_done = true;
			continue;
		}
		outb(port + UART_THR, (uint8_t)s[i++]);
		cr_done = false;
	}
}

/* Bochs loses what is still in the UART when it exits: wait for TEMT.
 * TEMT (LSR bit 6) is set only when the FIFO and the transmit shift register
 * are both empty, i.e. the last stop bit has left the wire; THRE alone would
 * still leave one byte in flight. */
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
