// SPDX-License-Identifier: MIT
/*
 * The x86 side of starting an AP: the control-register state the real-mode
 * trampoline (arch/x86/boot/trampoline.S, entry.S's ap_* words) loads on the
 * way to the kernel. An AP wakes at the STARTUP vector in real mode with CR0
 * paging and protection off; the trampoline loads the boot GDT, turns on
 * protection, then takes CR4 (PAE, PSE), CR3 (the kernel's page-table root,
 * below 4 GiB: it is loaded while still in 32-bit mode), EFER (LME on x86_64,
 * NXE when the boot CPU runs with NX) from here before enabling paging, and
 * finds its own APIC id by CPUID (leaf 0xB for x2APIC ids above 255). Its GDT,
 * IDT and per-CPU base are loaded in C, by percpu_load in ap_main.
 *
 * kernel/smp.c keeps the generic part: which CPUs, their stacks, the bounded
 * wait and the count.
 */
#include <kernel/smp.h>
#include <kernel/kernel.h>
#include <asm/apic.h>
#include <asm/boot.h>
#include <asm/cpu.h>
#include <asm/cpufeature.h>
#include <asm/paging.h>
#include <asm/paravirt.h>

/* arch/x86/boot/entry.S: read by the trampoline. */
extern uint32_t ap_cr3, ap_cr4, ap_efer, ap_use_leaf_b, ap_boot_count;

/* Read by the trampoline (asm/boot.h): APIC id -> ap_boot_table index + 1. */
uint16_t ap_index[AP_INDEX_IDS];
_Static_assert(CONFIG_NR_CPUS < 65535, "ap_index holds an index + 1 in 16 bits");
_Static_assert(sizeof(struct ap_boot) == 24, "trampoline.S steps ap_boot_table by 24");

void __init smpboot_set_registers(unsigned count)
{
	ap_cr3 = (uint32_t)paging_root();
	ap_cr4 = (uint32_t)read_cr4() & (X86_CR4_PAE | X86_CR4_PSE);
	ap_efer = 0;
#ifdef CONFIG_X86_64
	ap_efer = EFER_LME;
#endif
	if (paging_nx_enabled())
		ap_efer |= EFER_NXE;
	/* CPUID 0xB gives the full x2APIC id; leaf 1 only the low 8 bits. */
	ap_use_leaf_b = boot_cpu.max_leaf >= 0xb && lapic_is_x2apic();
	for (unsigned i = 0; i < count; i++)
		if (ap_boot_table[i].apic_id < AP_INDEX_IDS)
			ap_index[ap_boot_table[i].apic_id] = (uint16_t)(i + 1);
	ap_boot_count = count;
}

/* No AP is to take an entry of ap_boot_table any more (start_cpus failed). */
void smpboot_cancel(void)
{
	ap_boot_count = 0;
}
