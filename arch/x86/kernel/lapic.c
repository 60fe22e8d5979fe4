// SPDX-License-Identifier: MIT
/*
 * Local APIC registers (Intel SDM vol. 3A, "Advanced Programmable Interrupt
 * Controller (APIC)": ch. 10 in older editions, 11 in newer; section numbers
 * below are the older ones). xAPIC: a 4 KiB MMIO window at IA32_APIC_BASE,
 * each 32-bit register on a 16-byte boundary. x2APIC (10.12): the same
 * registers as MSRs 0x800 + offset / 16, a 64-bit ICR at MSR 0x830 with no
 * delivery-status bit and no ICR2, a read-only LDR, and no DFR at all.
 *
 * This file knows the registers only; which addressing mode to use and who
 * gets which interrupt is the irqchip drivers' (apic.c) and the machine's.
 */
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/paravirt.h>
#include <asm/paging.h>
#include <kernel/printk.h>

/* IA32_APIC_BASE (MSR 0x1b, SDM 10.4.4): BSP flag (read-only), x2APIC
 * enable (EXTD), global enable (EN), the MMIO page. EN=0 with EXTD=1 is an
 * invalid state (#GP), and x2APIC -> xAPIC needs a pass through disabled
 * (10.12.5), so EXTD is only ever set here, never cleared. */
#define APIC_BASE_BSP  (1u << 8)
#define APIC_BASE_EXTD (1u << 10)
#define APIC_BASE_EN   (1u << 11)
#define APIC_BASE_ADDR 0xfffff000u

static uintptr_t mmio;
static bool x2apic;

/* CPUID.1:EDX.APIC says a local APIC exists (the 486 and some Pentiums
 * have none; an external 82489DX is not supported). It is read through
 * IA32_APIC_BASE, hence the MSR feature too. Above 4 GiB or unaligned, the
 * base is a firmware table's error, not an APIC. */
bool lapic_detect(uint64_t base)
{
	if (!cpu_has(X86_FEATURE_APIC) || !cpu_has(X86_FEATURE_MSR))
		return false;
	if (!base)
		base = rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR;
	return base && base < 0x100000000ull && !(base & 0xfff);
}

uint64_t lapic_msr_base(void)
{
	if (!cpu_has(X86_FEATURE_APIC) || !cpu_has(X86_FEATURE_MSR))
		return 0;
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR;
}

void lapic_set_base(uint64_t phys)
{
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);

	if (!phys)
		phys = msr & APIC_BASE_ADDR;
	mmio = (uintptr_t)ioremap(phys, 0x1000);
	/* Firmware may hand over in x2APIC mode (10.12.5: it cannot then be
	 * brought back to xAPIC without disabling): keep using MSRs. */
	x2apic = (msr & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
	/* A BIOS may leave the APIC globally disabled; a disabled APIC also
	 * hides its MMIO page and its CPUID bit on some parts. */
	if (!(msr & APIC_BASE_EN))
		wrmsr(MSR_IA32_APIC_BASE, msr | APIC_BASE_EN);
}

bool lapic_x2apic_capable(void)
{
	return cpu_has(X86_FEATURE_X2APIC);
}

void lapic_enable_x2apic(void)
{
	uint64_t msr = rdmsr(MSR_IA32_APIC_BASE);

	if (!(msr & APIC_BASE_EXTD))
		wrmsr(MSR_IA32_APIC_BASE, msr | APIC_BASE_EN | APIC_BASE_EXTD);
	x2apic = true;
}

void lapic_rewrite_base(void)
{
	wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE));
}

bool lapic_is_x2apic(void)
{
	return x2apic;
}

bool lapic_x2apic_enabled_here(void)
{
	return (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD) != 0;
}

/* The paravirt ops APIC_READ/APIC_WRITE/APIC_EOI land here natively. The
 * MMIO accesses must be 32 bits wide and aligned (10.4.1: other widths are
 * undefined). */
PV_REGPARM uint32_t native_apic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(0x800 + reg / 16);
	return mmio_read32(mmio + reg);
}

PV_REGPARM void native_apic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + reg / 16, v);
	else
		mmio_write32(mmio + reg, v);
}

/* xAPIC keeps the 8-bit id in bits 31:24 of the ID register; x2APIC's ID
 * register is the whole 32-bit id (10.12.5.1). */
uint32_t lapic_id(void)
{
	return x2apic ? lapic_read(APIC_ID) : lapic_read(APIC_ID) >> 24;
}

PV_REGPARM void native_apic_eoi(void)
{
	native_apic_write(APIC_EOI, 0);
}

void lapic_write_icr(uint32_t lo, uint32_t dest)
{
	if (x2apic) {
		/* One 64-bit write; x2APIC has no busy bit to poll. */
		wrmsr(0x830, (uint64_t)dest << 32 | lo);
		return;
	}
	/*
	 * xAPIC: ICR2 holds the destination in bits 31:24, and the write of the
	 * low half sends (10.6.1). Interrupts off so no handler's IPI lands
	 * between the two writes; wait for the previous send's delivery status
	 * to clear first, as the SDM asks of xAPIC software (10.6.1; bounded,
	 * in case an emulator leaves it set).
	 */
	unsigned long f = save_fl();
	irq_disable();
	for (int i = 0; i < 1000000 && (lapic_read(APIC_ICR) & APIC_ICR_BUSY); i++)
		cpu_relax();
	lapic_write(APIC_ICR2, dest << 24);
	lapic_write(APIC_ICR, lo);
	restore_fl(f);
}

/* LINT0/LINT1 local vector table entries (10.5.1): on PCs LINT0 is the
 * 8259's INTR (ExtINT) and LINT1 the NMI pin (MP spec 5.1). */
void lapic_set_lint(unsigned lint, uint32_t lvt)
{
	lapic_write(lint ? APIC_LVT1 : APIC_LVT0, lvt);
}

/*
 * One CPU's APIC into a known state: x2APIC on if the boot CPU chose it
 * (each CPU's IA32_APIC_BASE is its own), TPR 0 (accept every priority
 * class), timer masked until lapic_timer starts it, errors to their vector,
 * and the software enable in the spurious-vector register (10.9), without
 * which the APIC delivers nothing but NMI, SMI, INIT and SIPI. The final
 * EOI clears an in-service bit firmware may have left (a kexec'd or
 * BIOS-interrupted boot).
 */
void lapic_setup_cpu(void)
{
	if (x2apic)
		lapic_enable_x2apic();
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_APIC_TIMER);
	lapic_write(APIC_LVTERR, VEC_APIC_ERROR);
	/* ESR must be written before it is read (SDM 11.5.3). */
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | VEC_SPURIOUS);
	lapic_eoi();
}
