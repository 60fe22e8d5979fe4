// SPDX-License-Identifier: MIT
/*
 * Finding Xen and its hypercall page. Runs from the machine entry's early
 * hook: paging is off on i386 and the boot page tables identity-map the low
 * 4 GiB on x86_64, so the page's link address is its physical address.
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/pv.h>
#include <kernel/percpu.h>
#include <asm/cpu.h>
#include <asm/platform.h>
#include <asm/cpufeature.h>
#include <string.h>

/*
 * In kernel text: Xen writes the stubs through the physical address, and
 * the page must stay executable after paging_protect_kernel() (a .bss page
 * would be NX). Filled with ret until Xen overwrites it.
 */
__asm__(".pushsection .text.xen_hypercall_page, \"ax\"\n"
	".balign 4096\n"
	".globl xen_hypercall_page\n"
	"xen_hypercall_page:\n"
	".fill 4096, 1, 0xc3\n"
	".popsection");

uint32_t xen_cpuid_base;
bool xen_hypercalls_ready;

/* Xen's leaves start at 0x40000000, or at 0x40000100.. when it also offers
 * a Viridian (Hyper-V) interface below them: scan in 0x100 steps. */
uint32_t xen_cpuid_scan(void)
{
	struct cpuid_regs r;

	if (!boot_cpu.has_cpuid || !cpu_has(X86_FEATURE_HYPERVISOR))
		return 0;
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		native_cpuid(base, 0, &r);
		if (r.ebx == 0x566e6558 && r.ecx == 0x65584d4d && r.edx == 0x4d4d566e &&
		    r.eax - base >= XEN_CPUID_HYPERCALL)
			return base; /* "XenV" "MMXe" "nVMM" */
	}
	return 0;
}

int xen_hypercall_init(void)
{
	struct cpuid_regs r;

	if (xen_hypercalls_ready)
		return 0;
	xen_cpuid_base = xen_cpuid_scan();
	if (!xen_cpuid_base)
		return -1;
	native_cpuid(xen_cpuid_base + XEN_CPUID_HYPERCALL, 0, &r);
	if (r.eax < 1 || !r.ebx)
		return -1;
	/* Page index 0 in the low bits of the guest-physical address. */
	native_wrmsr(r.ebx, (uint64_t)(uintptr_t)xen_hypercall_page);
	/* A filled page no longer starts with our ret. */
	if ((uint8_t)xen_hypercall_page[0] == 0xc3)
		return -1;
	xen_hypercalls_ready = true;
	return 0;
}

uint32_t xen_version(char *extra, size_t size)
{
	char buf[16] = {0};
	long v = xen_hc_xen_version(XENVER_version, NULL);

	if (extra && size) {
		xen_hc_xen_version(XENVER_extraversion, buf);
		size_t n = strnlen(buf, sizeof(buf) - 1);
		if (n >= size)
			n = size - 1;
		memcpy(extra, buf, n);
		extra[n] = 0;
	}
	return (uint32_t)v;
}

/* Dom0 (PVH, or PV with I/O privilege) may write QEMU's isa-debug-exit port:
 * the status reaches the runner. Without it, a reboot ends QEMU under
 * -no-reboot (poweroff hangs in Xen 4.17 here); KERNEL-EXIT then carries
 * the status. */
void xen_exit_dom0(int status)
{
	struct xen_sched_shutdown s = {.reason = SHUTDOWN_reboot};

	qemu_debug_exit((unsigned)status);
	xen_hc_sched_op(SCHEDOP_shutdown, &s);
}

unsigned xen_this_vcpu(void)
{
	struct cpuid_regs r;

#ifdef CONFIG_MACHINE_XEN_PV
	/* Classic PV: the vCPU id is what the CPU was started as (pv-smp.c);
	 * the CPU's own CPUID shows the emulator, not Xen. */
	if (xen_pv_booted)
		return this_cpu()->apic_id;
#endif
	native_cpuid(xen_cpuid_base + XEN_CPUID_HVM, 0, &r);
	if (xen_cpuid_base && (r.eax & XEN_HVM_CPUID_VCPU_ID_PRESENT))
		return r.ebx;
	/* Older Xen: the APIC id is twice the vCPU id for HVM guests. */
	native_cpuid(1, 0, &r);
	return (r.ebx >> 24) / 2;
}
