// SPDX-License-Identifier: MIT
/*
 * Per-CPU GDT, TSS and %gs, and the shared IDT. Each CPU's GDT lives in
 * its struct percpu so the TSS descriptor (which the CPU marks busy) and
 * the i386 %gs segment base are per CPU.
 */
#include <kernel/percpu.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <asm/trap.h>
#include <asm/paravirt.h>
#include <asm/paging.h>

struct percpu *percpu[NR_CPUS];
static struct percpu boot_percpu __aligned(64);

/*
 * An 8-byte segment descriptor (Intel SDM vol. 3A, 3.4.5 "Segment
 * Descriptors"): limit 15:0 in bits 15:0, base 23:0 in 39:16, the access
 * byte (P, DPL, S, type) in 47:40, limit 19:16 in 51:48, the flags (G, D/B,
 * L, AVL) in 55:52, base 31:24 in 63:56. In long mode base and limit are
 * ignored for code and data; the TSS descriptor is 16 bytes (7.2.3), the
 * next slot holding base 63:32.
 */
static uint64_t seg_desc(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (uint64_t)(limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)access << 40 | (uint64_t)((limit >> 16) & 0xf) << 48 |
	       (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}

/* IDT gate descriptors (SDM vol. 3A, 6.11 and, for long mode, 6.14.1):
 * the handler's offset split around the selector and the type byte; the
 * 64-bit gate is 16 bytes, with the IST index (6.14.5) in its low 3 bits. */
#ifdef CONFIG_X86_64
struct idt_entry {
	uint16_t off0, sel;
	uint8_t ist, attr;
	uint16_t off1;
	uint32_t off2, zero;
} __packed;
#else
struct idt_entry {
	uint16_t off0, sel;
	uint8_t zero, attr;
	uint16_t off1;
} __packed;
#endif

static struct idt_entry idt[256] __aligned(16);
extern char isr_stubs[];

#ifndef CONFIG_X86_64
void __noreturn double_fault_task(void);
static uint8_t boot_df_stack[8192] __aligned(16);
#endif

/* The boot CPU's percpu, static: it exists before any allocator. */
struct percpu *percpu_boot(void)
{
	return &boot_percpu;
}

void percpu_set_cr3(struct percpu *p, unsigned long cr3)
{
#ifndef CONFIG_X86_64
	p->df_tss.cr3 = (uint32_t)cr3;
#endif
}

static void set_gate(unsigned v, uintptr_t fn, unsigned ist)
{
	struct idt_entry *e = &idt[v];

	e->off0 = fn & 0xffff;
	e->off1 = (fn >> 16) & 0xffff;
	e->sel = KERNEL_CS;
	/* IF is cleared on entry through an interrupt gate (a trap gate,
	 * 0x8f, would leave it), so every handler starts with interrupts
	 * off, exceptions included. */
	e->attr = 0x8e; /* present, ring 0, interrupt gate */
#ifdef CONFIG_X86_64
	e->ist = ist;
	e->off2 = (uint32_t)(fn >> 32);
#endif
}

void trap_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		set_gate(v, (uintptr_t)isr_stubs + 16 * v, 0);
#ifdef CONFIG_X86_64
	/* Known-good stacks for faults that may come from a broken stack. */
	idt[VEC_DF].ist = IST_DF;
	idt[VEC_NMI].ist = IST_NMI;
	idt[18].ist = IST_MC; /* #MC */
#else
	/* i386 has no IST: a double fault is a task gate to the DF task. */
	idt[VEC_DF].off0 = idt[VEC_DF].off1 = 0;
	idt[VEC_DF].sel = DF_TSS_SEG;
	idt[VEC_DF].attr = 0x85; /* present, ring 0, task gate */
#endif
	percpu[0] = &boot_percpu;
	boot_percpu.cpu = 0;
	percpu_load(&boot_percpu);
}

PV_REGPARM void native_load_idt(const struct desc_ptr *d)
{
	__asm__ __volatile__("lidt %0" : : "m"(*d));
}

static void trap_load(void)
{
	struct desc_ptr d = {sizeof(idt) - 1, (uintptr_t)idt};

	load_idt(&d);
}

#ifdef CONFIG_X86_64
/*
 * Give p IST stacks from the page allocator, each with an unmapped guard page
 * below it. The boot CPU starts on static ones (its GDT is loaded before the
 * allocator exists) and moves here once memory is up.
 */
int percpu_alloc_ist(struct percpu *p)
{
	for (int i = 0; i < 3; i++) {
		uint64_t pa = page_alloc(IST_STACK_SIZE / PAGE_SIZE + 1);
		if (!pa)
			return -1;
		paging_unmap(pa, PAGE_SIZE);
		p->ist_stacks[i] = (uintptr_t)pa + PAGE_SIZE;
		p->tss.ist[i] = p->ist_stacks[i] + IST_STACK_SIZE;
	}
	return 0;
}
#endif

struct percpu *percpu_alloc(unsigned cpu)
{
	/* 64-byte aligned (hv_irq_area may not cross a page); never freed. */
	uint8_t *raw = kzalloc(sizeof(struct percpu) + 63);
	struct percpu *p = (struct percpu *)ALIGN_UP((uintptr_t)raw, 64);

	if (!raw)
		return NULL;
	p->cpu = cpu;
	percpu[cpu] = p;
	return p;
}

PV_REGPARM void native_load_gdt(struct percpu *p)
{
	struct desc_ptr d = {sizeof(p->gdt) - 1, (uintptr_t)p->gdt};
	__asm__ __volatile__("lgdt %0" : : "m"(d));
#ifdef CONFIG_X86_64
	__asm__ __volatile__("pushq %0\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "movl %1, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     :
			     : "i"(KERNEL_CS64), "i"(KERNEL_DS)
			     : "rax", "memory");
#else
	__asm__ __volatile__("ljmp %0, $1f\n"
			     "1:\n\t"
			     "movl %1, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     "movl %%eax, %%fs\n\t"
			     "movl %2, %%eax\n\t"
			     "movl %%eax, %%gs\n\t"
			     :
			     : "i"(KERNEL_CS32), "i"(KERNEL_DS), "i"(PERCPU_SEG)
			     : "eax", "memory");
#endif
	__asm__ __volatile__("ltr %w0" : : "r"(TSS_SEG));
}

void percpu_load(struct percpu *p)
{
	uint64_t *g = p->gdt;
	uintptr_t tss = (uintptr_t)&p->tss;

	p->self = p;
	g[0] = 0;
	g[1] = seg_desc(0, 0xfffff, 0x9a, 0xc); /* code32 */
	g[2] = seg_desc(0, 0xfffff, 0x92, 0xc); /* data */
	g[3] = seg_desc(0, 0xfffff, 0x9a, 0xa); /* code64 */
	g[4] = seg_desc((uint32_t)(uintptr_t)p, sizeof(*p) - 1, 0x92, 0x4);
	g[5] = seg_desc((uint32_t)tss, sizeof(p->tss) - 1, 0x89, 0);
#ifdef CONFIG_X86_64
	g[6] = (uint64_t)tss >> 32; /* upper half of the 16-byte TSS descriptor */
	for (int i = 0; i < 3; i++) {
		if (!p->ist_stacks[i]) {
			uint64_t pa = page_alloc(IST_STACK_SIZE / PAGE_SIZE);
			static uint8_t boot_ist[3][IST_STACK_SIZE] __aligned(16);
			/* The boot CPU loads its GDT before the page allocator exists. */
			p->ist_stacks[i] = pa ? (uintptr_t)pa : (uintptr_t)boot_ist[i];
		}
		p->tss.ist[i] = p->ist_stacks[i] + IST_STACK_SIZE;
	}
#endif
	p->tss.iomap_base = sizeof(p->tss);
#ifndef CONFIG_X86_64
	struct tss *dt = &p->df_tss;
	if (!p->df_stack)
		p->df_stack = p->cpu ? (uintptr_t)kzalloc(8192) : (uintptr_t)boot_df_stack;
	dt->eip = (uintptr_t)double_fault_task;
	dt->esp = (uint32_t)(p->df_stack + 8192 - 16);
	dt->eflags = 0x2; /* interrupts off */
	dt->cs = KERNEL_CS32;
	dt->ds = dt->es = dt->ss = dt->fs = KERNEL_DS;
	dt->gs = PERCPU_SEG;
	dt->cr3 = (uint32_t)read_cr3();
	dt->iomap_base = sizeof(*dt);
	g[7] = seg_desc((uint32_t)(uintptr_t)dt, sizeof(*dt) - 1, 0x89, 0);
#endif

	load_gdt(p);
#ifdef CONFIG_X86_64
	/* %gs must hold a null selector before GS_BASE is set. */
	__asm__ __volatile__("movl %0, %%gs" : : "r"(0));
	wrmsr(MSR_GS_BASE, (uintptr_t)p);
#endif
	trap_load();
}
