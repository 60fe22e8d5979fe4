/* SPDX-License-Identifier: MIT */
/*
 * The operations a hypervisor may take over. Without CONFIG_PARAVIRT (and
 * until pvops/ provides patchable call sites) each is the native inline.
 */
#ifndef ASM_PARAVIRT_H
#define ASM_PARAVIRT_H

#include <asm/cpu.h>

#define irq_disable()		native_irq_disable()
#define irq_enable()		native_irq_enable()
#define save_fl()		native_save_fl()
#define restore_fl(f)		native_restore_fl(f)
#define safe_halt()		native_safe_halt()
#define halt()			native_halt()
#define read_cr0()		native_read_cr0()
#define write_cr0(v)		native_write_cr0(v)
#define read_cr2()		native_read_cr2()
#define read_cr3()		native_read_cr3()
#define write_cr3(v)		native_write_cr3(v)
#define read_cr4()		native_read_cr4()
#define write_cr4(v)		native_write_cr4(v)
#define flush_tlb_one(va)	native_invlpg(va)
#define rdmsr(m)		native_rdmsr(m)
#define wrmsr(m, v)		native_wrmsr(m, v)
#define cpuid(l, s, r)		native_cpuid(l, s, r)
#define io_delay()		native_io_delay()

#endif
