/* SPDX-License-Identifier: MIT */
/*
 * Typed hypercalls through the hypercall page Xen fills (arch/x86/xen/
 * hypercall.c). The page holds one 32-byte stub per hypercall number, so a
 * call is a direct call to page + 32 * op. Arguments: rdi, rsi, rdx, r10, r8
 * on x86_64; ebx, ecx, edx, esi, edi on i386; the result in eax/rax. Xen may
 * clobber the argument registers, so each is an in/out operand.
 */
#ifndef ASM_XEN_HYPERCALL_H
#define ASM_XEN_HYPERCALL_H

#include <asm/xen/interface.h>

extern char xen_hypercall_page[];

#ifdef CONFIG_X86_64
#define _xen_hypercall3(op, a1, a2, a3)                                                            \
	({                                                                                         \
		unsigned long __r, __a1 = (unsigned long)(a1), __a2 = (unsigned long)(a2),         \
				   __a3 = (unsigned long)(a3);                                     \
		__asm__ __volatile__("call xen_hypercall_page + %c[off]"                           \
				     : "=a"(__r), "+D"(__a1), "+S"(__a2), "+d"(__a3)               \
				     : [off] "i"((op)*32)                                          \
				     : "memory", "rcx", "r8", "r9", "r10", "r11");                 \
		(long)__r;                                                                         \
	})
/* A fourth argument travels in r10 (the hypercall page's syscall stubs). */
#define _xen_hypercall4(op, a1, a2, a3, a4)                                                        \
	({                                                                                         \
		unsigned long __r, __a1 = (unsigned long)(a1), __a2 = (unsigned long)(a2),         \
				   __a3 = (unsigned long)(a3);                                     \
		register unsigned long __a4 __asm__("r10") = (unsigned long)(a4);                  \
		__asm__ __volatile__("call xen_hypercall_page + %c[off]"                           \
				     : "=a"(__r), "+D"(__a1), "+S"(__a2), "+d"(__a3), "+r"(__a4)   \
				     : [off] "i"((op)*32)                                          \
				     : "memory", "rcx", "r8", "r9", "r11");                        \
		(long)__r;                                                                         \
	})
#else
#define _xen_hypercall3(op, a1, a2, a3)                                                            \
	({                                                                                         \
		unsigned long __r, __a1 = (unsigned long)(a1), __a2 = (unsigned long)(a2),         \
				   __a3 = (unsigned long)(a3);                                     \
		__asm__ __volatile__("call xen_hypercall_page + %c[off]"                           \
				     : "=a"(__r), "+b"(__a1), "+c"(__a2), "+d"(__a3)               \
				     : [off] "i"((op)*32)                                          \
				     : "memory", "esi", "edi");                                    \
		(long)__r;                                                                         \
	})

#endif

static inline long xen_hc_xen_version(int cmd, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_xen_version, cmd, arg, 0);
}

static inline long xen_hc_console_io(int cmd, unsigned len, const char *buf)
{
	return _xen_hypercall3(__HYPERVISOR_console_io, cmd, len, buf);
}

static inline long xen_hc_memory_op(unsigned cmd, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_memory_op, cmd, arg, 0);
}

static inline long xen_hc_sched_op(int cmd, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_sched_op, cmd, arg, 0);
}

static inline long xen_hc_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long xen_hc_event_channel_op(int cmd, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static inline long xen_hc_hvm_op(int cmd, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_hvm_op, cmd, arg, 0);
}

#ifdef CONFIG_X86_64
/* Classic PV only (arch/x86/xen/pv*.c). */
static inline long xen_hc_set_trap_table(const struct xen_trap_info *t)
{
	return _xen_hypercall3(__HYPERVISOR_set_trap_table, t, 0, 0);
}

static inline long xen_hc_mmu_update(struct xen_mmu_update *req, unsigned n, unsigned *done)
{
	return _xen_hypercall4(__HYPERVISOR_mmu_update, req, n, done, XEN_DOMID_SELF);
}

static inline long xen_hc_mmuext_op(struct xen_mmuext_op *op, unsigned n)
{
	return _xen_hypercall4(__HYPERVISOR_mmuext_op, op, n, 0, XEN_DOMID_SELF);
}

static inline long xen_hc_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
	return _xen_hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long xen_hc_callback_op(int cmd, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_callback_op, cmd, arg, 0);
}

static inline long xen_hc_physdev_op(int cmd, void *arg)
{
	return _xen_hypercall3(__HYPERVISOR_physdev_op, cmd, arg, 0);
}
#endif

#endif
