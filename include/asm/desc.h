/* SPDX-License-Identifier: MIT */
#ifndef ASM_DESC_H
#define ASM_DESC_H

/* Kernel selectors: the boot GDT's layout, kept in every per-CPU GDT. */
#define KERNEL_CS32 0x08
#define KERNEL_DS   0x10
#define KERNEL_CS64 0x18
#define PERCPU_SEG  0x20 /* i386: %gs base = this CPU's struct percpu */
#define TSS_SEG	    0x28 /* 64-bit: two slots */
#define DF_TSS_SEG  0x38 /* i386: double-fault task */
#define GDT_ENTRIES 8

#ifdef CONFIG_X86_64
#define KERNEL_CS KERNEL_CS64
#else
#define KERNEL_CS KERNEL_CS32
#endif

/* 64-bit interrupt stack table slots. */
#define IST_DF	       1
#define IST_NMI	       2
#define IST_MC	       3
#define IST_STACK_SIZE 8192

#ifndef __ASSEMBLY__
#include <kernel/compiler.h>

struct desc_ptr {
	uint16_t limit;
	uintptr_t base;
} __packed;
struct percpu;

/*
 * Loading the descriptor tables: pvops LOAD_IDT and LOAD_GDT (a PV guest
 * has no lidt/lgdt/ltr: Xen's trap table and flat selectors instead).
 * native_load_gdt loads p's GDT, reloads the segment registers and its TSS.
 */
#ifdef CONFIG_PARAVIRT
#include <asm/paravirt.h>
PV_REGPARM void native_load_idt(const struct desc_ptr *d);
PV_REGPARM void native_load_gdt(struct percpu *p);
static inline void load_idt(const struct desc_ptr *d)
{
	PV_CALL1(PV_LOAD_IDT, (uintptr_t)d);
}
static inline void load_gdt(struct percpu *p)
{
	PV_CALL1(PV_LOAD_GDT, (uintptr_t)p);
}
#else
#ifndef PV_REGPARM
#define PV_REGPARM
#endif
void native_load_idt(const struct desc_ptr *d);
void native_load_gdt(struct percpu *p);
#define load_idt(d) native_load_idt(d)
#define load_gdt(p) native_load_gdt(p)
#endif
#endif

#endif
