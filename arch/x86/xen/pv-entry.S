/* SPDX-License-Identifier: MIT */
/*
 * The classic Xen PV way in (x86_64 only; docs/machines.md "xen-pv").
 *
 * Xen starts the kernel at XEN_ELFNOTE_ENTRY in long mode at CPL 3, on its
 * own bootstrap page tables (virtual = pseudo-physical here: VIRT_BASE 0),
 * with rsi = the start_info page and events masked. Nothing privileged
 * works: lgdt/lidt/ltr/hlt/invlpg fault, cli/sti do nothing, so the trap
 * table is installed (by hypercall, in xen_pv_entry) before anything can
 * fault, and every such operation goes through the pvops from then on.
 *
 * Exceptions and event upcalls arrive through Xen's bounce frame: the
 * CPU-style frame ([error], rip, cs, rflags, rsp, ss) with rcx and r11 on
 * top (Xen reaches the guest by a sysret-like path that clobbers them). The
 * stubs below pop those two and join the native entry stubs, so one
 * trap_dispatch serves both; the return is the iret hypercall (the IRET
 * pvop), never iretq: QEMU's TCG checks IRET's stack pops as supervisor
 * accesses, which Xen's SMAP forbids at CPL 3 (EMULATORS.md).
 */
#include <asm/boot.h>
#include <asm/xen/pv.h>

#define HYPERCALL(n) xen_hypercall_page + (n) * 32

	.text
	.code64
	.globl xen_pv_start
xen_pv_start:
	cld
	movq $boot_stack_top, %rsp
	movq %rsi, %rbx
	/* Entry timestamp for ready_ns: rdtsc is not trapped for PV guests. */
	rdtsc
	movl %eax, boot_tsc(%rip)
	movl %edx, boot_tsc + 4(%rip)
	movl $1, boot_has_cpuid(%rip)
	movl $BOOT_ENTRY_XEN_PV, boot_entry(%rip)
	movl %ebx, boot_info(%rip)
	movq %rbx, %rdi
	call xen_pv_entry		/* trap table, callbacks, I/O privilege, pvops */
	movl $BOOT_ENTRY_XEN_PV, %edi
	movl %ebx, %esi			/* start_info sits below 4 GiB */
	xorl %ebp, %ebp
	call start_kernel_early
	ud2

#ifdef CONFIG_SMP
/* An AP from VCPUOP_initialise (pv-smp.c): rdi = its percpu, rsp its stack. */
	.globl xen_pv_ap_start
xen_pv_ap_start:
	cld
	xorl %ebp, %ebp
	call xen_pv_ap_entry
	ud2
#endif

/* One stub per exception vector: drop rcx/r11, join isr_stubs + 16 * v. */
	.balign 16
	.globl xen_pv_trap_stubs
xen_pv_trap_stubs:
	.set vec, 0
	.rept 32
	.balign 16
	popq %rcx
	popq %r11
	jmp isr_stubs + 16 * vec
	.set vec, vec + 1
	.endr

/* Event upcall: handled like a device interrupt on XEN_PV_UPCALL_VECTOR
 * (arch/x86/xen/events.c scans the pending ports). */
	.globl xen_pv_hypervisor_callback
xen_pv_hypervisor_callback:
	popq %rcx
	popq %r11
	jmp isr_stubs + 16 * XEN_PV_UPCALL_VECTOR

/* NMI callback (VCPUOP_send_nmi or a hardware NMI forwarded by Xen). */
	.globl xen_pv_nmi_callback
xen_pv_nmi_callback:
	popq %rcx
	popq %r11
	jmp isr_stubs + 16 * 2

/*
 * Failsafe: Xen could not return to the frame we gave it (a bad segment
 * selector). The frame is ds, es, fs, gs above rcx/r11: nothing to resume.
 */
	.globl xen_pv_failsafe_callback
xen_pv_failsafe_callback:
	andq $-16, %rsp
	call xen_pv_failsafe
	ud2

/*
 * The IRET pvop under PV. Its site is `call`: drop that return address,
 * then the iret hypercall takes [flags, rip, cs, rflags, rsp, ss] (the stub
 * in the hypercall page pushes rax, r11, rcx below flags); flags 0 = not
 * returning from a syscall. Xen restores the event mask from rflags.IF.
 */
	.globl xen_pv_iret
xen_pv_iret:
	addq $8, %rsp
	pushq $0
	jmp HYPERCALL(23)
