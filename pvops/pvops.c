// SPDX-License-Identifier: MIT
/*
 * The pvops table and the boot-time patcher's kernel side. Sites call
 * through pv_ops until pv_patch_all() rewrites them (before interrupts are
 * first enabled, while only the boot CPU runs and .text is still writable;
 * paging_protect_kernel() makes it read-only afterwards).
 */
#include <pvops.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <asm/cpu.h>
#include <asm/tsc.h>
#include <asm/apic.h>
#include <kernel/time.h>
#include <string.h>

#define N(op) extern char native_pv_##op[]
N(irq_disable);
N(irq_enable);
N(save_fl);
N(restore_fl);
N(safe_halt);
N(halt);
N(read_cr0);
N(write_cr0);
N(read_cr2);
N(read_cr3);
N(write_cr3);
N(read_cr4);
N(write_cr4);
N(flush_tlb_one);
N(rdmsr);
N(wrmsr);
N(cpuid);
N(io_delay);
N(test_must_patch);
extern char pv_poison_must_patch[];
extern char pv_jmp_apic_read[], pv_jmp_apic_write[], pv_jmp_apic_eoi[], pv_jmp_sched_clock[];

/* Where a C-convention op's unpatched site calls. */
static void *const jmp_stub[PV_NR_OPS] = {
	[PV_APIC_READ] = pv_jmp_apic_read,
	[PV_APIC_WRITE] = pv_jmp_apic_write,
	[PV_APIC_EOI] = pv_jmp_apic_eoi,
	[PV_SCHED_CLOCK] = pv_jmp_sched_clock,
};

/* The native implementations; must_patch names the default of the op whose
 * sites must be patched (its table slot starts poisoned, see pv_ops). */
/* clang-format off */
#define NATIVE_OPS(must_patch)                                                  \
	{                                                                       \
		[PV_IRQ_DISABLE] = native_pv_irq_disable,                       \
		[PV_IRQ_ENABLE] = native_pv_irq_enable,                         \
		[PV_SAVE_FL] = native_pv_save_fl,                               \
		[PV_RESTORE_FL] = native_pv_restore_fl,                         \
		[PV_SAFE_HALT] = native_pv_safe_halt,                           \
		[PV_HALT] = native_pv_halt,                                     \
		[PV_READ_CR0] = native_pv_read_cr0,                             \
		[PV_WRITE_CR0] = native_pv_write_cr0,                           \
		[PV_READ_CR2] = native_pv_read_cr2,                             \
		[PV_READ_CR3] = native_pv_read_cr3,                             \
		[PV_WRITE_CR3] = native_pv_write_cr3,                           \
		[PV_READ_CR4] = native_pv_read_cr4,                             \
		[PV_WRITE_CR4] = native_pv_write_cr4,                           \
		[PV_FLUSH_TLB_ONE] = native_pv_flush_tlb_one,                   \
		[PV_RDMSR] = native_pv_rdmsr,                                   \
		[PV_WRMSR] = native_pv_wrmsr,                                   \
		[PV_CPUID] = native_pv_cpuid,                                   \
		[PV_IO_DELAY] = native_pv_io_delay,                             \
		[PV_APIC_READ] = native_apic_read,                              \
		[PV_APIC_WRITE] = native_apic_write,                            \
		[PV_APIC_EOI] = native_apic_eoi,                                \
		[PV_SCHED_CLOCK] = native_sched_clock,                          \
		[PV_TEST_MUST_PATCH] = must_patch,                              \
	}
/* clang-format on */

static void *const native_ops[PV_NR_OPS] = NATIVE_OPS(native_pv_test_must_patch);

/* What sites call through (statically: sites run from the first C code on).
 * Must-patch ops start poisoned. */
void *pv_ops[PV_NR_OPS] = NATIVE_OPS(pv_poison_must_patch);

#ifdef CONFIG_X86_64
#define IS64 true
#else
#define IS64 false
#endif

/* Per site: what the patcher did (index = record number). */
enum { SITE_INDIRECT, SITE_NATIVE, SITE_CALL, SITE_REFUSED };
#define MAX_SITES 8192
static uint8_t site_state[MAX_SITES];
static enum pv_pad site_pad;
static unsigned counts[PV_NR_OPS][4];

void __noreturn pv_poison_hit(unsigned op)
{
	panic("pvops: %s reached through the table: its sites must be patched", pv_op_name(op));
}

bool pv_op_is_native(unsigned op)
{
	return op < PV_NR_OPS && (pv_ops[op] == native_ops[op] ||
				  (pv_op_must_patch(op) && pv_ops[op] == pv_poison_must_patch));
}

void pv_bind(const struct pv_ops_override *o)
{
	for (unsigned op = 0; o && op < PV_NR_OPS; op++)
		if (o->op[op])
			pv_ops[op] = o->op[op];
}

static uint64_t target_of(unsigned op)
{
	/* A must-patch op's native form is its inline one; never call the poison. */
	if (pv_ops[op] == pv_poison_must_patch)
		return (uintptr_t)native_ops[op];
	return (uintptr_t)pv_ops[op];
}

/* What the record says the site holds before patching. */
static int unpatched(const struct pv_site *s, uint8_t *buf)
{
	if (pv_op_is_call(s->op))
		return s->len == PV_CALL_SITE_LEN
			       ? pv_unpatched_call_bytes(buf, s->len, s->addr,
							 (uintptr_t)jmp_stub[s->op])
			       : -1;
	return s->len == PV_SITE_LEN
		       ? pv_unpatched_bytes(buf, s->len, s->addr, (uintptr_t)&pv_ops[s->op], IS64)
		       : -1;
}

int pv_expected_bytes(const struct pv_site *s, uint8_t *buf, size_t len)
{
	size_t i = (size_t)(s - __pv_sites_start);
	const char *why;

	if (i >= MAX_SITES || len != s->len)
		return -1;
	switch (site_state[i]) {
	case SITE_NATIVE:
		return pv_patch_site(buf, len, s->addr, s->op, true, 0, IS64, site_pad, &why);
	case SITE_CALL:
		return pv_patch_site(buf, len, s->addr, s->op, false, target_of(s->op), IS64,
				     site_pad, &why);
	default:
		return unpatched(s, buf);
	}
}

void pv_patch_all(bool off, enum pv_pad pad)
{
	unsigned total = 0, refused = 0;
	uint8_t want[16];

	site_pad = pad;
	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++, total++) {
		size_t i = (size_t)(s - __pv_sites_start);
		uint8_t *site = (uint8_t *)(uintptr_t)s->addr;
		const char *why = NULL;

		if (i >= MAX_SITES)
			panic("pvops: more than %u call sites", MAX_SITES);
		/* The record must describe what is there: the indirect call. */
		if (s->op >= PV_NR_OPS || unpatched(s, want) || memcmp(site, want, s->len)) {
			site_state[i] = SITE_REFUSED;
			refused++;
			printk(KERN_ERR "pvops: site %#x (op %u, %u bytes) does not hold its call: "
					"left alone\n",
			       s->addr, s->op, s->len);
			continue;
		}
		if (off && !pv_op_must_patch(s->op)) {
			site_state[i] = SITE_INDIRECT;
			counts[s->op][SITE_INDIRECT]++;
			continue;
		}
		bool native = pv_op_is_native(s->op);
		size_t n;
		if (native && !pv_native_bytes(s->op, IS64, &n))
			native = false; /* the native form is a call */
		if (pv_patch_site(want, s->len, s->addr, s->op, native, target_of(s->op), IS64, pad,
				  &why)) {
			site_state[i] = SITE_REFUSED;
			refused++;
			printk(KERN_ERR "pvops: site %#x (%s): %s\n", s->addr, pv_op_name(s->op),
			       why);
			continue;
		}
		memcpy(site, want, s->len);
		site_state[i] = native ? SITE_NATIVE : SITE_CALL;
		counts[s->op][site_state[i]]++;
	}
	/* Serialize before running patched code (SDM 8.1.3, cross-modifying code). */
	struct cpuid_regs r;
	native_cpuid(0, 0, &r);

	printk("pvops: %u call sites, %s%s%s:", total, off ? "pvpatch=off: indirect" : "patched",
	       !off && pad == PV_PAD_NOP ? " (NOP padding)" : "", refused ? " (some refused)" : "");
	for (unsigned op = 0; op < PV_NR_OPS; op++) {
		unsigned *c = counts[op];
		if (c[SITE_NATIVE] + c[SITE_CALL] + c[SITE_INDIRECT])
			printk(" %s %u%s", pv_op_name(op),
			       c[SITE_NATIVE] + c[SITE_CALL] + c[SITE_INDIRECT],
			       c[SITE_CALL]	  ? "c"
			       : c[SITE_INDIRECT] ? "i"
						  : "");
	}
	printk("\n");
	if (refused)
		printk(KERN_ERR "pvops: %u sites refused\n", refused);
}

void pv_site_counts(unsigned op, unsigned *native, unsigned *call, unsigned *indirect)
{
	*native = counts[op][SITE_NATIVE];
	*call = counts[op][SITE_CALL];
	*indirect = counts[op][SITE_INDIRECT];
}
