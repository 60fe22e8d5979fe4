// SPDX-License-Identifier: MIT
/*
 * Local APIC registers (SDM Vol 3A ch. 11). xAPIC: 4 KiB MMIO window at
 * IA32_APIC_BASE. x2APIC: the same registers as MSRs 0x800 + offset / 16,
 * a 64-bit ICR at 0x830 with no delivery-status bit, and no DFR.
 */
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/io.h>
#include <asm/paravirt.h>
#include <asm/paging.h>
#include <kernel/printk.h>

#define APIC_BASE_BSP  (1u << 8)
#define APIC_BASE_EXTD (1u << 10)
#define APIC_BASE_EN   (1u << 11)
#define APIC_BASE_ADDR 0xfffff000u

static uintptr_t mmio;
static bool x2apic;

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
	x2apic = (msr & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
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

bool lapic_is_x2apic(void)
{
	return x2apic;
}

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
	unsigned long f = save_fl();
	irq_disable();
	for (int i = 0; i < 1000000 && (lapic_read(APIC_ICR) & APIC_ICR_BUSY); i++)
		cpu_relax();
	lapic_write(APIC_ICR2, dest << 24);
	lapic_write(APIC_ICR, lo);
	restore_fl(f);
}

void lapic_set_lint(unsigned lint, uint32_t lvt)
{
	lapic_write(lint ? APIC_LVT1 : APIC_LVT0, lvt);
}

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
