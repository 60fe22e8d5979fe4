// SPDX-License-Identifier: MIT
/*
 * Starting vCPUs of a classic PV guest: no INIT-SIPI and no real mode. Xen
 * starts a vCPU from a register context (VCPUOP_initialise, struct
 * vcpu_guest_context, 5168 bytes on x86_64) and VCPUOP_up. The context
 * names everything a PV vCPU needs from its first instruction: the flat
 * kernel selectors, the trap table, the callbacks, the page-table root (a
 * machine frame) and the kernel stack. The AP then runs ap_main() like an
 * AP started by INIT-SIPI.
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/pv.h>
#include <asm/paging.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <string.h>

/* vcpu_guest_context (x86_64), the offsets this file writes (xen/include/
 * public/arch-x86/xen-x86_64.h). */
#define VGC_SIZE		      5168
#define VGC_FLAGS		      512
#define VGC_REGS		      520 /* struct cpu_user_regs */
#define VGC_REG_RDI		      (VGC_REGS + 112)
#define VGC_REG_RIP		      (VGC_REGS + 128)
#define VGC_REG_CS		      (VGC_REGS + 136)
#define VGC_REG_RFLAGS		      (VGC_REGS + 144)
#define VGC_REG_RSP		      (VGC_REGS + 152)
#define VGC_REG_SS		      (VGC_REGS + 160)
#define VGC_TRAP_CTXT		      720 /* 256 x struct trap_info (16 bytes) */
#define VGC_KERNEL_SS		      4968
#define VGC_KERNEL_SP		      4976
#define VGC_CTRLREG3		      (4984 + 3 * 8)
#define VGC_EVENT_CB		      5112
#define VGC_FAILSAFE_CB		      5120
#define VGC_GS_BASE_KERNEL	      5152
#define VGCF_in_kernel		      (1u << 2)
#define VGCF_failsafe_disables_events (1u << 3)

void xen_pv_ap_start(void);

static void put64(uint8_t *c, unsigned off, uint64_t v)
{
	memcpy(c + off, &v, sizeof(v));
}

static void put16(uint8_t *c, unsigned off, uint16_t v)
{
	memcpy(c + off, &v, sizeof(v));
}

static int start_one(struct percpu *p, uint8_t *ctx)
{
	unsigned vcpu = p->apic_id;

	memset(ctx, 0, VGC_SIZE);
	put64(ctx, VGC_FLAGS, VGCF_in_kernel | VGCF_failsafe_disables_events);
	put64(ctx, VGC_REG_RIP, (uintptr_t)xen_pv_ap_start);
	put64(ctx, VGC_REG_RDI, (uintptr_t)p);
	put64(ctx, VGC_REG_RSP, p->stack_top);
	put16(ctx, VGC_REG_CS, FLAT_KERNEL_CS64);
	put16(ctx, VGC_REG_SS, FLAT_KERNEL_SS64);
	put64(ctx, VGC_REG_RFLAGS, 0x200);
	xen_pv_fill_trap_ctxt(ctx + VGC_TRAP_CTXT);
	put64(ctx, VGC_KERNEL_SS, FLAT_KERNEL_SS64);
	put64(ctx, VGC_KERNEL_SP, p->stack_top);
	put64(ctx, VGC_CTRLREG3, xen_pv_pfn_to_mfn(paging_root() >> 12) << 12);
	put64(ctx, VGC_EVENT_CB, (uintptr_t)xen_pv_hypervisor_callback);
	put64(ctx, VGC_FAILSAFE_CB, (uintptr_t)xen_pv_failsafe_callback);
	put64(ctx, VGC_GS_BASE_KERNEL, (uintptr_t)p);
	if (xen_pv_vcpu_info_registered()) {
		/* Its vcpu_info in its percpu area, as the BSP's: the inline
		 * irq ops at %gs:64 must find it there. */
		if (!xen_pv_register_vcpu_info(vcpu, p)) {
			printk(KERN_ERR "xen-pv: vCPU %u: VCPUOP_register_vcpu_info refused: "
					"left out\n",
			       vcpu);
			return -1;
		}
	} else if (xen_shared_info && vcpu < XEN_LEGACY_MAX_VCPUS) {
		p->hv_irq_state = &xen_shared_info->vcpu_info[vcpu];
	} else {
		printk(KERN_ERR "xen-pv: vCPU %u: no vcpu_info slot: left out\n", vcpu);
		return -1;
	}
	long rc = xen_hc_vcpu_op(VCPUOP_initialise, vcpu, ctx);
	if (rc == 0)
		rc = xen_hc_vcpu_op(VCPUOP_up, vcpu, NULL);
	if (rc < 0)
		printk(KERN_ERR "xen-pv: vCPU %u: VCPUOP_initialise/up failed: %ld\n", vcpu, rc);
	return rc < 0 ? -1 : 0;
}

int xen_pv_start_cpus(struct percpu **cpus, unsigned n)
{
	uint8_t *ctx = kzalloc(VGC_SIZE);
	unsigned started = 0;

	if (!ctx)
		return -1;
	for (unsigned i = 0; i < n; i++)
		started += start_one(cpus[i], ctx) == 0;
	kfree(ctx);
	return started ? 0 : -1;
}
