// SPDX-License-Identifier: MIT
/*
 * Classic Xen PV, x86_64 (docs/machines.md "xen-pv"): the C half of the
 * entry (pv-entry.S), the paravirt ops that need C, and the page-table ops.
 *
 * Memory: the kernel is linked at 1 MiB with VIRT_BASE 0, so Xen maps
 * pseudo-physical page p at virtual p << 12, as far as its bootstrap map
 * goes (the kernel, then the p2m list, start_info, the bootstrap page
 * tables and a stack page, rounded up to 4 MiB with at least 512 KiB
 * spare). The kernel keeps that identity (virtual = pseudo-physical) and
 * extends it over all of [0, nr_pages) through the same generic walker as
 * on hardware (arch/x86/kernel/paging.c); only the entry accesses differ:
 * an entry holds a machine frame (p2m on write, M2P on read), a write is an
 * mmu_update hypercall, a page-table page must be read-only everywhere
 * before Xen lets it be linked, and there are no 2 MiB pages.
 */
#include <asm/xen/hypercall.h>
#include <asm/xen/hypervisor.h>
#include <asm/xen/pv.h>
#include <asm/boot.h>
#include <asm/cpu.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/paging.h>
#include <kernel/smp.h>
#include <pvops.h>
#include <asm/trap.h>
#include <kernel/console.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <string.h>

#define XEN_COM2 0x2f8

#define PTE_P	      (1ull << 0)
#define PTE_W	      (1ull << 1)
#define PTE_U	      (1ull << 2)
#define PTE_NX	      (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

bool xen_pv_booted;
const uint8_t *xen_pv_start_info;
const uint64_t *xen_pv_p2m;
uint64_t xen_pv_nr_pages;
/* The root table, pseudo-physical: what read_cr3 returns (pv-ops.S). */
uint64_t xen_pv_cr3;

static unsigned long denied_ports, pt_readonly_retries;

static inline uint64_t si64(unsigned off)
{
	uint64_t v;

	memcpy(&v, xen_pv_start_info + off, sizeof(v));
	return v;
}

uint64_t xen_pv_shared_info_maddr(void)
{
	return si64(XEN_SI_SHARED_INFO);
}

uint64_t xen_pv_pfn_to_mfn(uint64_t pfn)
{
	return pfn < xen_pv_nr_pages ? xen_pv_p2m[pfn] : ~0ull;
}

/* The M2P table Xen maps read-only into every PV guest. */
uint64_t xen_pv_mfn_to_pfn(uint64_t mfn)
{
	return ((const uint64_t *)(uintptr_t)XEN_M2P_BASE)[mfn];
}

static uint64_t machine_addr(uint64_t pa)
{
	return (xen_pv_pfn_to_mfn(pa >> 12) << 12) | (pa & 0xfff);
}

/*
 * The exception vectors, each through its stub in pv-entry.S, with events
 * masked on entry (an interrupt gate's behaviour); #BP and #OF may be
 * raised by int3/into at any privilege. Per vCPU: set_trap_table for the
 * running one, the vcpu_guest_context's trap_ctxt for one being started.
 */
void xen_pv_fill_trap_ctxt(void *dst)
{
	struct xen_trap_info *t = dst;

	for (unsigned v = 0; v < 32; v++) {
		t[v].vector = (uint8_t)v;
		t[v].flags = XEN_TI_MASK_EVENTS | (v == 3 || v == 4 ? 3 : 0);
		t[v].cs = FLAT_KERNEL_CS64;
		t[v].address = (unsigned long)(xen_pv_trap_stubs + 16 * v);
	}
}

static int set_trap_table(void)
{
	static struct xen_trap_info t[33]; /* a zero address ends the list */

	xen_pv_fill_trap_ctxt(t);
	return (int)xen_hc_set_trap_table(t);
}

static int register_callback(unsigned type, void *fn, unsigned flags)
{
	struct xen_callback_register cb = {
		.type = (uint16_t)type,
		.flags = (uint16_t)flags,
		.address = (unsigned long)fn,
	};

	return (int)xen_hc_callback_op(CALLBACKOP_register, &cb);
}

void __noreturn xen_pv_failsafe(void)
{
	panic("xen-pv: failsafe callback: Xen could not return to a frame (bad segment)");
}

/*
 * Each vCPU's vcpu_info moves into its percpu area (hv_irq_area, %gs:64):
 * the interrupt-flag ops can then be byte operations at a fixed %gs offset,
 * patched inline at their sites (the templates in pv-ops.S), and vCPUs past
 * shared_info's 32 slots get one. Xen copies the current contents over.
 */
static bool vcpu_info_registered;

bool xen_pv_register_vcpu_info(unsigned vcpu, struct percpu *p)
{
	uintptr_t va = (uintptr_t)p->hv_irq_area;
	struct xen_vcpu_register_vcpu_info r = {
		.mfn = xen_pv_pfn_to_mfn(va >> 12),
		.offset = (uint32_t)(va & 0xfff),
	};

	if (xen_hc_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r) < 0)
		return false;
	p->hv_irq_state = p->hv_irq_area;
	return true;
}

bool xen_pv_vcpu_info_registered(void)
{
	return vcpu_info_registered;
}

extern const uint8_t xen_pv_tmpl_irq_disable[], xen_pv_tmpl_irq_disable_end[],
	xen_pv_tmpl_save_fl[], xen_pv_tmpl_save_fl_end[];
static struct pv_inline inline_tmpls[3];

static bool xen_pv_gp_fixup(struct trap_frame *f); /* below: the #GP fixups */

/* What every vCPU registers for itself: the NMI callback, I/O privilege. */
static void per_vcpu_setup(void)
{
	uint32_t iopl = 1;

	register_callback(CALLBACKTYPE_nmi, xen_pv_nmi_callback, 0);
	xen_hc_physdev_op(PHYSDEVOP_set_iopl, &iopl);
}

#ifdef CONFIG_SMP
/* An AP started by VCPUOP_initialise (pv-smp.c): its context already gave
 * it the trap table, the event and failsafe callbacks and %gs. */
void __noreturn xen_pv_ap_entry(struct percpu *p)
{
	per_vcpu_setup();
	ap_main(p);
}
#endif

/*
 * Before anything can fault and before the first C of start_kernel_early:
 * the trap table, the callbacks, I/O privilege, shared_info (the event
 * bitmaps), vCPU 0's vcpu_info in the boot percpu area and %gs (the irq ops
 * reach it there), the pvops. A failure here cannot be reported: there is
 * no console yet. Xen's console is registered right away; COM1 is Xen's
 * (its ports are denied to dom0), COM2 is ours.
 */
__attribute__((no_stack_protector)) void xen_pv_entry(const uint8_t *si)
{
	xen_pv_booted = true;
	xen_pv_start_info = si;
	xen_hypercalls_ready = (uint8_t)xen_hypercall_page[0] != 0xc3;
	if (!xen_hypercalls_ready || set_trap_table() < 0)
		for (;;)
			; /* Nothing to report with: Xen's watchdog or the runner's timeout ends it. */
	xen_pv_p2m = (const uint64_t *)(uintptr_t)si64(XEN_SI_MFN_LIST);
	xen_pv_nr_pages = si64(XEN_SI_NR_PAGES);
	xen_pv_cr3 = si64(XEN_SI_PT_BASE); /* virtual = pseudo-physical */
	register_callback(CALLBACKTYPE_event, xen_pv_hypervisor_callback, 0);
	register_callback(CALLBACKTYPE_failsafe, xen_pv_failsafe_callback, CALLBACKF_mask_events);
	per_vcpu_setup();
	xen_shared_info_map_pv(si64(XEN_SI_SHARED_INFO));
	struct percpu *p = percpu_boot();
	p->self = p;
	vcpu_info_registered = xen_pv_register_vcpu_info(0, p);
	if (vcpu_info_registered) {
		inline_tmpls[0] = (struct pv_inline){
			.op = PV_IRQ_DISABLE,
			.bytes = xen_pv_tmpl_irq_disable,
			.len = (size_t)(xen_pv_tmpl_irq_disable_end - xen_pv_tmpl_irq_disable)};
		inline_tmpls[1] = (struct pv_inline){
			.op = PV_SAVE_FL,
			.bytes = xen_pv_tmpl_save_fl,
			.len = (size_t)(xen_pv_tmpl_save_fl_end - xen_pv_tmpl_save_fl)};
		pv_bind_inline(inline_tmpls);
	} else if (xen_shared_info) {
		p->hv_irq_state = &xen_shared_info->vcpu_info[0];
	} else {
		for (;;)
			; /* no vcpu_info anywhere: no interrupt flag to run with */
	}
	native_wrmsr(MSR_GS_BASE, (uintptr_t)p);
	cpu_deprivileged = true;
	/* Xen's bootstrap tables stay the root, extended (pv.c's header). */
	paging_adopt_root = xen_pv_cr3;
	paging_no_large = true;
	trap_gp_fixup = xen_pv_gp_fixup;
	pv_bind(&xen_pv_pvops);
	xen_console_register();
	/* As dom0, COM1 is Xen's; COM2 reaches the emulator's second port. Its
	 * ports are dom0's once I/O privilege is set (denied ones would #GP
	 * into xen_pv_gp_fixup and read as absent). */
	if (uart_init(XEN_COM2))
		uart_console_register(XEN_COM2);
}

static void xen_pv_pt_commit(void);

/* ---- descriptor tables: Xen's flat selectors, the trap table ---- */

static void xen_pv_load_gdt(struct percpu *p)
{
	/* No lgdt/ltr at CPL 3: Xen's GDT has the flat kernel selectors
	 * (0xe033/0xe02b) we already run on; no TSS, so no IST either. */
}

static void xen_pv_load_idt(const struct desc_ptr *d)
{
	if (set_trap_table() < 0)
		panic("xen-pv: set_trap_table refused");
}

/* ---- page tables ---- */

void xen_pv_write_cr3_c(uint64_t root);
void xen_pv_write_cr3_c(uint64_t root)
{
	struct xen_mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};

	xen_pv_pt_commit();
	if (root != xen_pv_cr3) {
		/* A new root: pin it (Xen validates the whole tree), switch. */
		op.cmd = MMUEXT_PIN_L4_TABLE;
		op.arg1 = xen_pv_pfn_to_mfn(root >> 12);
		if (xen_hc_mmuext_op(&op, 1) < 0)
			panic("xen-pv: pinning the new root %#llx refused",
			      (unsigned long long)root);
		op.cmd = MMUEXT_NEW_BASEPTR;
		xen_pv_cr3 = root;
	}
	if (xen_hc_mmuext_op(&op, 1) < 0)
		panic("xen-pv: mmuext_op %u refused", op.cmd);
}

void xen_pv_flush_tlb_one_c(unsigned long va);
void xen_pv_flush_tlb_one_c(unsigned long va)
{
	struct xen_mmuext_op op = {.cmd = MMUEXT_INVLPG_LOCAL, .arg1 = va};

	xen_pv_pt_commit();
	xen_hc_mmuext_op(&op, 1);
}

/*
 * Entry writes are queued and reach Xen as one mmu_update per batch
 * (pt_commit, or a full queue): mapping 64 MiB is 16384 entry writes, one
 * hypercall each unbatched. The walker reads entries it may just have
 * written, so a read looks in the queue first. Callers hold paging.c's
 * pt_lock; xen_pv_map_writable (tests) goes straight to Xen.
 */
#define PT_BATCH 128
static struct xen_mmu_update queue[PT_BATCH];
static uint64_t queue_pa[PT_BATCH], queue_val[PT_BATCH];
static unsigned queued;
/* Bit (entry_pa / 8) % 64 set for every queued entry: most lookups (upper
 * levels, the next leaf) are not in the queue and skip the search. */
static uint64_t queued_bits;
static unsigned long pt_writes, pt_hypercalls;

static inline uint64_t qbit(uint64_t entry_pa)
{
	return 1ull << ((entry_pa >> 3) & 63);
}

static int queue_find(uint64_t entry_pa)
{
	if (queued_bits & qbit(entry_pa))
		for (unsigned i = queued; i-- > 0;)
			if (queue_pa[i] == entry_pa)
				return (int)i;
	return -1;
}

static void xen_pv_pt_commit(void)
{
	unsigned i = 0;

	while (i < queued) {
		unsigned done = 0;
		long rc = xen_hc_mmu_update(queue + i, queued - i, &done);
		pt_hypercalls++;
		i += done;
		if (!rc && i >= queued)
			break;
		/* queue[i] was refused; the ones before it are done. A writable
		 * mapping of a page Xen has typed as a page table is refused with
		 * -EBUSY: such a page (the bootstrap tables, ours) is mapped
		 * read-only instead, which is what it must be under PV. */
		if (rc == -16 && (queue[i].val & PTE_W)) {
			queue[i].val &= ~PTE_W;
			pt_readonly_retries++;
			continue;
		}
		panic("xen-pv: mmu_update of the entry at %#llx to %#llx refused: %ld",
		      (unsigned long long)queue_pa[i], (unsigned long long)queue_val[i], rc);
	}
	queued = 0;
	queued_bits = 0;
}

static uint64_t xen_pv_pt_read(uint64_t entry_pa)
{
	int q = queue_find(entry_pa);
	if (q >= 0)
		return queue_val[q];
	uint64_t e = *(const volatile uint64_t *)(uintptr_t)entry_pa;
	if (!(e & PTE_P))
		return e;
	uint64_t pfn = xen_pv_mfn_to_pfn((e & PTE_ADDR_MASK) >> 12);
	return (e & ~PTE_ADDR_MASK) | ((pfn << 12) & PTE_ADDR_MASK);
}

/* Kernel mappings leave U clear (Xen then marks them guest-kernel). */
static void xen_pv_pt_write(uint64_t entry_pa, uint64_t v)
{
	uint64_t val = v & ~PTE_U;

	if (v & PTE_P)
		val = (val & ~PTE_ADDR_MASK) | machine_addr(v & PTE_ADDR_MASK);
	pt_writes++;
	int q = queue_find(entry_pa);
	if (q >= 0) {
		queue[q].val = val;
		queue_val[q] = v & ~PTE_U;
		return;
	}
	if (queued == PT_BATCH)
		xen_pv_pt_commit();
	queue[queued] = (struct xen_mmu_update){
		.ptr = machine_addr(entry_pa) | MMU_NORMAL_PT_UPDATE,
		.val = val,
	};
	queue_pa[queued] = entry_pa;
	queue_val[queued++] = v & ~PTE_U;
	queued_bits |= qbit(entry_pa);
}

/* A new table page: zeroed through its writable mapping (committed first:
 * the page may have been mapped by a queued write), then made read-only so
 * Xen accepts it as a table. */
static void xen_pv_pt_alloc(uint64_t pa)
{
	xen_pv_pt_commit();
	memset((void *)(uintptr_t)pa, 0, 4096);
	uint64_t pte = machine_addr(pa) | PTE_P | PTE_NX;
	if (xen_hc_update_va_mapping((unsigned long)pa, pte, UVMF_INVLPG) < 0)
		panic("xen-pv: cannot make page %#llx read-only for a page table",
		      (unsigned long long)pa);
}

/* For the tests: ask Xen to make va's mapping writable, as it is; no retry.
 * Returns mmu_update's result (-EBUSY for a page-table page). */
long xen_pv_map_writable(uintptr_t va)
{
	uint64_t table = xen_pv_cr3, e = 0;

	for (int shift = 39; shift >= 12; shift -= 9) {
		uint64_t entry = table + 8 * ((va >> shift) & 511);
		e = xen_pv_pt_read(entry);
		if (!(e & PTE_P))
			return -1;
		if (shift == 12) {
			struct xen_mmu_update u = {
				.ptr = machine_addr(entry) | MMU_NORMAL_PT_UPDATE,
				.val = machine_addr(e & PTE_ADDR_MASK) | (e & ~PTE_ADDR_MASK) |
				       PTE_W,
			};
			return xen_hc_mmu_update(&u, 1, NULL);
		}
		table = e & PTE_ADDR_MASK;
	}
	return -1;
}

/* ---- ports Xen keeps for itself ---- */

/*
 * With I/O privilege, dom0 may use every port except those Xen keeps (its
 * UART, the PIC, the PIT...): an in/out there raises #GP. Probing is
 * legitimate (every machine entry's probe runs), so such an access acts
 * like one to an absent device: reads return all ones, writes are dropped,
 * and the instruction is skipped. Anything else stays a real #GP.
 */
static bool xen_pv_gp_fixup(struct trap_frame *f)
{
	const uint8_t *ip = (const uint8_t *)(uintptr_t)f->ip;
	unsigned len = 0, size = 1;

	if (ip[len] == 0x66) {
		size = 2;
		len++;
	}
	uint8_t op = ip[len++];
	switch (op) {
	case 0xe4: /* in $imm8, %al/%ax/%eax */
	case 0xe5:
	case 0xe6: /* out ..., $imm8 */
	case 0xe7:
		len++;
		break;
	case 0xec: /* in %dx, ... */
	case 0xed:
	case 0xee: /* out ..., %dx */
	case 0xef:
		break;
	default:
		return false;
	}
	if (op & 1)
		size = size == 2 ? 2 : 4;
	if (!(op & 2)) { /* in */
		uint64_t ones = size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffffu;
		f->ax = size == 4 ? ones : (f->ax & ~ones) | ones;
	}
	if (denied_ports++ == 0)
		printk(KERN_WARN "xen-pv: port I/O denied by Xen (first at ip %#lx): "
				 "treated as an absent device\n",
		       (unsigned long)f->ip);
	f->ip += len;
	return true;
}

/* ---- the ops this machine replaces (docs/pvops.md "xen-pv") ---- */

extern char xen_pv_irq_disable[], xen_pv_irq_enable[], xen_pv_save_fl[], xen_pv_restore_fl[],
	xen_pv_safe_halt[], xen_pv_halt[], xen_pv_read_cr2[], xen_pv_read_cr3[], xen_pv_write_cr3[],
	xen_pv_flush_tlb_one[], xen_pv_cpuid[], xen_pv_io_delay[];

/* Bound at entry, before the first C of start_kernel_early, and again when
 * the machine is chosen: no native privileged op ever runs under PV. */
const struct pv_ops_override xen_pv_pvops = {
	.irq_disable = xen_pv_irq_disable,
	.irq_enable = xen_pv_irq_enable,
	.save_fl = xen_pv_save_fl,
	.restore_fl = xen_pv_restore_fl,
	.safe_halt = xen_pv_safe_halt,
	.halt = xen_pv_halt,
	.read_cr2 = xen_pv_read_cr2,
	.read_cr3 = xen_pv_read_cr3,
	.write_cr3 = xen_pv_write_cr3,
	.flush_tlb_one = xen_pv_flush_tlb_one,
	.cpuid = xen_pv_cpuid,
	.io_delay = xen_pv_io_delay,
	.iret = xen_pv_iret,
	.load_idt = xen_pv_load_idt,
	.load_gdt = xen_pv_load_gdt,
	.pt_read = xen_pv_pt_read,
	.pt_write = xen_pv_pt_write,
	.pt_alloc = xen_pv_pt_alloc,
	.pt_commit = xen_pv_pt_commit,
};
