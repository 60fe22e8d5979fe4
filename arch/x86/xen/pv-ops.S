/* SPDX-License-Identifier: MIT */
/*
 * The register-convention pvops of a classic Xen PV kernel (include/pvops.h
 * gives each op's registers: outputs in rax, rdmsr-style ops in their own;
 * everything else preserved). docs/pvops.md "xen-pv".
 *
 * The interrupt flag is this vCPU's vcpu_info.evtchn_upcall_mask (byte 1;
 * evtchn_upcall_pending is byte 0): under PV, cli and sti are silent no-ops
 * (EMULATORS.md), so native irq ops would be wrong without failing. Each CPU
 * reaches its vcpu_info through %gs:PERCPU_HV_IRQ_STATE (struct percpu).
 * Unmasking with an event pending must make Xen deliver it now: any
 * hypercall returns through Xen's event check (xen_version(0), as Linux).
 */
#include <asm/xen/pv.h>

#define PERCPU_HV_IRQ_STATE 16 /* offsetof(struct percpu, hv_irq_state) */
#define VI_PENDING	    0
#define VI_MASK		    1
#define VI_CR2		    16
#define HYPERCALL(n)	    xen_hypercall_page + (n) * 32
#define HC_xen_version	    17
#define HC_sched_op	    29
#define SCHEDOP_block	    1

/* Save and restore every register a C function or a hypercall may clobber
 * (rax included: ops without output preserve it). */
.macro SAVE_VOLATILE
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
.endm
.macro RESTORE_VOLATILE
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
.endm

	.text
	.globl xen_pv_irq_disable
xen_pv_irq_disable:
	pushq %rax
	movq %gs:PERCPU_HV_IRQ_STATE, %rax
	movb $1, VI_MASK(%rax)
	popq %rax
	ret

	.globl xen_pv_irq_enable
xen_pv_irq_enable:
	pushq %rax
	movq %gs:PERCPU_HV_IRQ_STATE, %rax
	movb $0, VI_MASK(%rax)
	testb $0xff, VI_PENDING(%rax)
	popq %rax
	jnz xen_pv_force_evtchn_callback
	ret

/* rax = X86_EFLAGS_IF when events are unmasked, else 0. */
	.globl xen_pv_save_fl
xen_pv_save_fl:
	movq %gs:PERCPU_HV_IRQ_STATE, %rax
	testb $0xff, VI_MASK(%rax)
	setz %al
	movzbl %al, %eax
	shll $9, %eax
	ret

	.globl xen_pv_restore_fl
xen_pv_restore_fl:
	testl $0x200, %eax
	jz xen_pv_irq_disable
	jmp xen_pv_irq_enable

xen_pv_force_evtchn_callback:
	SAVE_VOLATILE
	xorl %edi, %edi
	xorl %esi, %esi
	call HYPERCALL(HC_xen_version)
	RESTORE_VOLATILE
	ret

/* SCHEDOP_block unmasks events and returns once one is pending: sti; hlt. */
	.globl xen_pv_safe_halt
xen_pv_safe_halt:
	SAVE_VOLATILE
	movl $SCHEDOP_block, %edi
	xorl %esi, %esi
	call HYPERCALL(HC_sched_op)
	RESTORE_VOLATILE
	ret

/* hlt with events masked: block, then mask again (the handlers ran). */
	.globl xen_pv_halt
xen_pv_halt:
	call xen_pv_safe_halt
	jmp xen_pv_irq_disable

/* Xen writes the faulting address of a #PF into vcpu_info.arch.cr2. */
	.globl xen_pv_read_cr2
xen_pv_read_cr2:
	movq %gs:PERCPU_HV_IRQ_STATE, %rax
	movq VI_CR2(%rax), %rax
	ret

/* The root table's pseudo-physical address (a native read gives the machine
 * address). */
	.globl xen_pv_read_cr3
xen_pv_read_cr3:
	movq xen_pv_cr3(%rip), %rax
	ret

	.globl xen_pv_write_cr3
xen_pv_write_cr3:
	SAVE_VOLATILE
	movq %rax, %rdi
	call xen_pv_write_cr3_c
	RESTORE_VOLATILE
	ret

	.globl xen_pv_flush_tlb_one
xen_pv_flush_tlb_one:
	SAVE_VOLATILE
	movq %rax, %rdi
	call xen_pv_flush_tlb_one_c
	RESTORE_VOLATILE
	ret

/* Xen's CPUID view needs the forced-emulation prefix: a plain cpuid runs
 * on the CPU (QEMU's leaves, no Xen signature) because TCG offers no CPUID
 * faulting. */
	.globl xen_pv_cpuid
xen_pv_cpuid:
	ud2
	.ascii "xen"
	cpuid
	ret

	.globl xen_pv_io_delay
xen_pv_io_delay:
	ret

/*
 * Inline templates (pv.c binds them with pv_bind_inline once vCPU 0's
 * vcpu_info sits at %gs:PERCPU_HV_IRQ_AREA): the patcher writes these bytes
 * at every irq_disable and save_fl site (15 bytes each) instead of a call,
 * as Linux's "direct" Xen irq ops. Same registers as the called forms:
 * irq_disable changes nothing but the mask; save_fl sets rax (and flags).
 */
#define PERCPU_HV_IRQ_AREA 64 /* offsetof(struct percpu, hv_irq_area) */
	.section .rodata
	.globl xen_pv_tmpl_irq_disable, xen_pv_tmpl_irq_disable_end
xen_pv_tmpl_irq_disable:
	movb $1, %gs:PERCPU_HV_IRQ_AREA + VI_MASK
xen_pv_tmpl_irq_disable_end:
	.globl xen_pv_tmpl_save_fl, xen_pv_tmpl_save_fl_end
xen_pv_tmpl_save_fl:
	movzbl %gs:PERCPU_HV_IRQ_AREA + VI_MASK, %eax
	xorl $1, %eax
	shll $9, %eax			/* X86_EFLAGS_IF when unmasked */
xen_pv_tmpl_save_fl_end:
	.if xen_pv_tmpl_save_fl_end - xen_pv_tmpl_save_fl > 15
	.error "save_fl template longer than its sites"
	.endif
