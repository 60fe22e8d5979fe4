/* SPDX-License-Identifier: MIT */
/*
 * The register-convention entries (include/pvops.h): each preserves every
 * register but its output, like the native instruction it stands for. The
 * native ROM's are that instruction and a return; a hypervisor's ROM would
 * put its own sequences here behind the same entry table.
 */
#ifdef __x86_64__
#define AX %rax
#else
#define AX %eax
#endif

#define ENTRY(name) .globl name; .type name, @function; name:

	.text
ENTRY(vmi_irq_disable)
	cli
	ret
ENTRY(vmi_irq_enable)
	sti
	ret
ENTRY(vmi_save_fl)
	pushf
	pop AX
	ret
ENTRY(vmi_restore_fl)
	push AX
	popf
	ret
/* sti's one-instruction interrupt shadow covers the hlt: no wake-up is lost. */
ENTRY(vmi_safe_halt)
	sti
	hlt
	ret
ENTRY(vmi_halt)
	hlt
	ret
ENTRY(vmi_read_cr0)
	mov %cr0, AX
	ret
ENTRY(vmi_write_cr0)
	mov AX, %cr0
	ret
ENTRY(vmi_read_cr2)
	mov %cr2, AX
	ret
ENTRY(vmi_read_cr3)
	mov %cr3, AX
	ret
ENTRY(vmi_write_cr3)
	mov AX, %cr3
	ret
ENTRY(vmi_read_cr4)
	mov %cr4, AX
	ret
ENTRY(vmi_write_cr4)
	mov AX, %cr4
	ret
ENTRY(vmi_flush_tlb_one)
	invlpg (AX)
	ret

	.section .note.GNU-stack, "", @progbits
