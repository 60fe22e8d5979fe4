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

#endif
