/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <kernel/compiler.h>
#include <asm/desc.h>

#ifdef CONFIG_X86_64
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __packed;
#else
struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __packed;
#endif

struct percpu {
	struct percpu *self; /* at offset 0: %gs:0 reads it */
	/* Part of the VMI ROM ABI (docs/vmi.md): the ROM finds its per-CPU data
	 * at %gs:VMI_PERCPU_DATA_OFFSET, the second pointer of this struct. New
	 * fields go after it, never before. */
	void *vmi_data;
	/* At offset 16: a hypervisor's per-CPU interrupt state, reached by its
	 * irq ops as %gs:16 (Xen PV: this vCPU's vcpu_info, arch/x86/xen/
	 * pv-ops.S). NULL elsewhere. */
	void *hv_irq_state;
	/* At offset 64: room for that state inside the percpu area (Xen PV
	 * registers each vCPU's vcpu_info here, VCPUOP_register_vcpu_info), so
	 * patched irq ops reach it at a fixed %gs offset, inline. */
	uint8_t hv_irq_area[64] __aligned(64);
	unsigned cpu; /* logical number, 0 = boot CPU */
	uint32_t apic_id;
	uint32_t apic_ldr;    /* x2APIC cluster mode: this CPU's logical id */
	bool x2apic_at_start; /* its APIC was in x2APIC mode before we set it up */
	uintptr_t stack_base, stack_top;
	volatile bool online;
	uint64_t irqs, nmis;
	uint64_t gdt[GDT_ENTRIES] __aligned(8);
	struct tss tss __aligned(16);
	uintptr_t ist_stacks[3];
#ifndef CONFIG_X86_64
	/* i386 double faults switch to this task: a fresh stack and state, so a
	 * kernel stack overflow is reported instead of triple-faulting. */
	struct tss df_tss __aligned(16);
	uintptr_t df_stack;
#endif
	void *machine_data; /* per-CPU state of the machine entry */
	/* smp_run_async(): work an AP runs in its idle loop, interrupts on. */
	void (*volatile work)(void *);
	void *work_arg;
	volatile bool work_done;
	/* nohz (kernel/smp.c): this AP's tick is stopped while it idles, unless
	 * tick_keep (smp_tick_keep) asks it to tick on. */
	volatile bool tick_stopped;
	volatile bool tick_keep;
	void *arch_data;
};

_Static_assert(__builtin_offsetof(struct percpu, hv_irq_state) == 2 * sizeof(void *),
	       "hv_irq_state is at %gs:16 (x86_64) for the Xen PV irq ops");
_Static_assert(__builtin_offsetof(struct percpu, hv_irq_area) == 64,
	       "hv_irq_area is at %gs:64 for the Xen PV inline irq templates");

#define NR_CPUS CONFIG_NR_CPUS
extern struct percpu *percpu[NR_CPUS];
#ifdef CONFIG_SMP
extern unsigned nr_cpus_online;
#endif

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(p));
	return p;
}

static inline unsigned smp_processor_id(void)
{
	return this_cpu()->cpu;
}

/* CPU c has a percpu area and has come online (kernel/smp.c ap_main). */
static inline bool cpu_online(unsigned c)
{
	return c < NR_CPUS && percpu[c] && percpu[c]->online;
}

/* Set up cpu's GDT/TSS/%gs and load them on the calling CPU. */
void percpu_load(struct percpu *p);
struct percpu *percpu_alloc(unsigned cpu);
struct percpu *percpu_boot(void); /* the boot CPU's, before trap_init sets percpu[0] */
#ifdef CONFIG_X86_64
int percpu_alloc_ist(struct percpu *p); /* IST stacks with guard pages */
#endif
/* After paging is on: CR3 of the i386 double-fault task. */
void percpu_set_cr3(struct percpu *p, unsigned long cr3);
/* The stack (and its guard page just below) that addr is in, if any. */
const struct percpu *stack_guard_owner(uintptr_t addr);

#endif
