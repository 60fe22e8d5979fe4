/*
 * A stand-in kernel for testing the boot-matrix runner without the real one.
 *
 * It speaks the console contract the runner parses (KTAP, BOOT-REPORT, BENCH,
 * PANIC:, KERNEL-EXIT) and ends every way a real kernel can: isa-debug-exit
 * with a status (then, where that did not stop the machine, the Bochs magic
 * breakpoint with the status in eax), ACPI poweroff, Bochs' "Shutdown" port,
 * triple fault, hang. It boots through Multiboot v1 (QEMU -kernel or GRUB) or,
 * with the Multiboot magic zeroed, through QEMU's PVH entry.
 * It is always a 32-bit image; -DARCH_NAME='"x86_64"' only changes what it
 * reports and makes it refuse CPUs without long mode, as the real one does.
 *
 * Build: gcc -m32 -march=i586 -ffreestanding -fno-pic -fno-stack-protector
 *        -nostdlib -static -no-pie -O2 -T fake.ld -o kernel.elf fake_kernel.c
 * (i586: no cmov, so it runs on -cpu pentium.)
 * Command line: ktest=selftest.fail | ktest=selftest.panic |
 *               fake=hang | fake=triple | fake=acpi | fake=cutshort |
 *               fake=shutdown (Bochs: "Shutdown" to port 0x8900)
 */
#ifndef ARCH_NAME
#define ARCH_NAME "i386"
#endif

#define MB_MAGIC	    0x1BADB002u
#define MB_BOOTLOADER_MAGIC 0x2BADB002u
#define PVH_START_MAGIC	    0x336ec578u
#define COM1		    0x3f8
#define COM1_LSR	    (COM1 + 5)
#define LSR_THRE	    0x20 /* transmit holding register empty */
#define LSR_TEMT	    0x40 /* transmitter empty: everything sent */
#define DEBUG_EXIT	    0xf4
#define BOCHS_SHUTDOWN	    0x8900
#define PM1A_CNT	    0x604 /* SeaBIOS on pc and q35 */

__attribute__((section(".text.mbheader"), aligned(4),
	       used)) static const unsigned int mb_header[3] = {MB_MAGIC, 0, -MB_MAGIC};

/* XEN_ELFNOTE_PHYS32_ENTRY: QEMU's PVH loader reads the 32-bit entry here. */
__asm__(".pushsection .note.Xen, \"a\", @note\n"
	".align 4\n"
	".long 4, 4, 18\n"
	".asciz \"Xen\"\n"
	".align 4\n"
	".long _start\n"
	".popsection\n");

__asm__(".globl _start\n"
	"_start:\n"
	"	mov $fake_stack + 4096, %esp\n"
	"	push %ebx\n"
	"	push %eax\n"
	"	call fake_main\n"
	"1:	cli; hlt; jmp 1b\n");

unsigned char fake_stack[4096] __attribute__((aligned(16)));

static inline void outb(unsigned short port, unsigned char v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(unsigned short port, unsigned short v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(unsigned short port, unsigned int v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Bochs' UART drops bytes written while the holding register is full. */
static void putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
	outb(COM1, c);
}

/* 115200 8n1, FIFO on: the BIOS may leave 5-bit words, which Bochs honours. */
static void uart_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* divisor 1 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8n1 */
	outb(COM1 + 2, 0xc7); /* FIFO on, cleared */
}

static void puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc('\r');
		putc(*s);
	}
}

static int has(const char *hay, const char *needle)
{
	for (; hay && *hay; hay++) {
		const char *h = hay, *n = needle;
		while (*n && *h == *n)
			h++, n++;
		if (!*n)
			return 1;
	}
	return 0;
}

static int has_long_mode(void)
{
	unsigned int a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u));
	if (a < 0x80000001u)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u));
	return (d >> 29) & 1;
}

static __attribute__((noreturn)) void finish(const char *status, unsigned int code)
{
	puts("KERNEL-EXIT: ");
	puts(status);
	puts("\n");
	while (!(inb(COM1_LSR) & LSR_TEMT))
		;
	outl(DEBUG_EXIT, code);
	/* Not QEMU: the Bochs magic breakpoint (a no-op elsewhere). */
	__asm__ volatile("xchg %%bx, %%bx" : : "a"(code));
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void boot_report(const char *entry)
{
	puts("BOOT-REPORT {\"arch\":\"" ARCH_NAME "\",\"entry\":\"");
	puts(entry);
	puts("\",\"machine\":\"fake\",\"hypervisor\":null,\"cpus\":1,"
	     "\"cpus_listed\":1,\"apic\":\"pic\",\"ioapics\":0,"
	     "\"clockevent\":null,\"clocksource\":null,\"tsc_khz\":null,"
	     "\"tsc_source\":null,\"ready_ns\":null,"
	     "\"probe\":[{\"name\":\"fake\",\"score\":1,\"evidence\":\"always\"}]}\n");
}

void fake_main(unsigned int magic, unsigned int *info)
{
	const char *cmdline = 0, *entry = "unknown";

	if (magic == MB_BOOTLOADER_MAGIC) {
		entry = "multiboot";
		if (info[0] & 4)
			cmdline = (const char *)info[4];
	} else if (info && info[0] == PVH_START_MAGIC) {
		entry = "pvh";
		cmdline = (const char *)info[6]; /* cmdline_paddr, low half */
	}
	uart_init();
	puts("fake kernel: noise before the contract lines\n");
	if (has(ARCH_NAME, "x86_64") && !has_long_mode()) {
		puts("unsupported CPU: no long mode (CPUID 0x80000001 EDX bit 29)\n");
		finish("unsupported-cpu", 3);
	}
	if (has(cmdline, "fake=hang"))
		for (;;)
			__asm__ volatile("cli; hlt");
	if (has(cmdline, "fake=shutdown")) {
		puts("KERNEL-EXIT: pass\n");
		while (!(inb(COM1_LSR) & LSR_TEMT))
			;
		for (const char *p = "Shutdown"; *p; p++)
			outb(BOCHS_SHUTDOWN, *p);
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	if (has(cmdline, "fake=triple")) {
		static const unsigned short null_idt[3];
		__asm__ volatile("lidt %0; int3" : : "m"(null_idt));
	}
	boot_report(entry);
	puts("BENCH {\"name\":\"boot_to_ready\",\"unit\":\"ns\",\"value\":1234}\n");
	puts("KTAP version 1\n");
	if (has(cmdline, "ktest=selftest.")) {
		puts("1..1\n    KTAP version 1\n    # Subtest: selftest\n    1..1\n");
		if (has(cmdline, "selftest.panic")) {
			puts("PANIC: selftest.panic requested\n"
			     "  eip=00100000 esp=00101000 (fake registers)\n");
			finish("panic", 2);
		}
		puts("    # fail: EXPECTATION FAILED at fake_kernel.c:1\n"
		     "    not ok 1 fail\nnot ok 1 selftest\n");
		finish("fail", 1);
	}
	puts("1..1\n    KTAP version 1\n    # Subtest: boot\n    1..3\n"
	     "    ok 1 cmdline_parse\n");
	if (has(cmdline, "fake=cutshort"))
		finish("fail", 1);
	puts("    ok 2 entry\n"
	     "    ok 3 hpet_rate # SKIP no HPET on this machine\nok 1 boot\n");
	if (has(cmdline, "fake=acpi")) {
		puts("KERNEL-EXIT: pass\n");
		outw(PM1A_CNT, 1 << 13); /* SLP_EN, SLP_TYP 0 = S5 on SeaBIOS */
		/* QEMU acts on the request later: the CPU runs on meanwhile. */
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	finish("pass", 0);
}
