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
#include <asm/desc.h>
#include <asm/paging.h>
#include <kernel/time.h>
#include <string.h>

/* The native implementations (pvops/native.S for INSN ops, the C function
 * native_<name> for CALL ops, declared with its wrapper). */
#define PV_NATIVE_DECL(NAME, name, conv, ...) PV_IF_INSN(conv, extern char native_pv_##name[];)
PV_OP_LIST(PV_NATIVE_DECL)
#undef PV_NATIVE_DECL
extern char pv_poison_must_patch[], pv_jmp_stubs[];

#define PV_NATIVE(NAME, name, conv, ...)                                                           \
	[PV_##NAME] = PV_IF_INSN(conv, native_pv_##name) PV_IF_CALL(conv, native_##name),
static void *const native_ops[PV_NR_OPS] = {PV_OP_LIST(PV_NATIVE)};

/* What sites call through (statically: sites run from the first C code on).
 * Must-patch ops start poisoned. */
#define PV_DEFAULT(NAME, name, conv, flags, ...)                                                   \
	[PV_##NAME] = ((flags)&PV_MUST_PATCH) ? (void *)pv_poison_must_patch                       \
					      : PV_IF_INSN(conv, native_pv_##name)                 \
							PV_IF_CALL(conv, native_##name),
void *pv_ops[PV_NR_OPS] = {PV_OP_LIST(PV_DEFAULT)};

/* Where a CALL op's unpatched site calls: its jump stub (pvops/native.S). */
static uintptr_t jmp_stub(unsigned op)
{
	return (uintptr_t)pv_jmp_stubs + op * PV_JMP_STUB_SIZE;
}

#ifdef CONFIG_X86_64
#define IS64 true
#else
#define IS64 false
#endif

/* Per site: what the patcher did (index = record number). */
enum { SITE_INDIRECT, SITE_NATIVE, SITE_CALL, SITE_REFUSED, SITE_INLINE };
#define MAX_SITES 8192
static uint8_t site_state[MAX_SITES];
static enum pv_pad site_pad;
static unsigned counts[PV_NR_OPS][5];

/* From pv_poison_must_patch, with the address the site's call returns to. */
void __noreturn pv_poison_hit(uintptr_t ret)
{
	const char *name = "an op";

	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++)
		if (s->addr + s->len == ret)
			name = pv_op_name(s->op);
	panic("pvops: %s reached through the table: its sites must be patched", name);
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
			       ? pv_unpatched_call_bytes(buf, s->len, s->addr, jmp_stub(s->op))
			       : -1;
	return s->len == pv_op_site_len(s->op)
		       ? pv_unpatched_bytes(buf, s->len, s->addr, (uintptr_t)&pv_ops[s->op], IS64)
		       : -1;
}

/* The machine's inline template for op, if one is bound and op is not
 * native (a template replaces the machine's implementation, never the
 * native instruction). */
static const struct pv_inline *inline_tmpl;

void pv_bind_inline(const struct pv_inline *t)
{
	inline_tmpl = t;
}

static const struct pv_inline *inline_for(unsigned op)
{
	for (const struct pv_inline *t = inline_tmpl; t && t->len; t++)
		if (t->op == op && !pv_op_is_native(op) && !pv_op_is_call(op))
			return t;
	return NULL;
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
	case SITE_INLINE: {
		const struct pv_inline *t = inline_for(s->op);
		return t ? pv_patch_inline(buf, len, t->bytes, t->len, IS64, site_pad, &why) : -1;
	}
	default:
		return unpatched(s, buf);
	}
}

/*
 * The early pass (pv_patch_early): what it wrote at each site, so that
 * pv_patch_all can tell its bytes from a stray write. EARLY_NONE: left
 * alone (the site still holds its indirect call).
 */
enum { EARLY_NONE, EARLY_NATIVE, EARLY_CALL };
static uint8_t early_state[MAX_SITES];
static bool early_done;
static unsigned rewritten; /* sites pv_patch_all wrote after the early pass */

/* The bytes the early pass put at s: the native form, or a direct call to
 * the native implementation, prefix-padded. */
static int early_bytes(const struct pv_site *s, uint8_t *buf, bool native)
{
	const char *why;

	return pv_patch_site(buf, s->len, s->addr, s->op, native, (uintptr_t)native_ops[s->op],
			     IS64, PV_PAD_PREFIX, &why);
}

/*
 * Write a site's new bytes with as few stores as fit it, each naturally
 * aligned (8, 4, 2 or 1 bytes), not memcpy's byte by byte: where code is
 * translated (QEMU's TCG) a store into a page holding translated blocks takes
 * the emulator's slow path, which also splits an unaligned store into bytes.
 * A 15-byte site was 15 such stores and is at most 5 (docs/benchmarks.md).
 * Nothing runs a site while it is written: one CPU, before any other starts.
 */
static void poke(uint8_t *dst, const uint8_t *src, size_t len)
{
	while (len) {
		/* log2 of the store: the address's alignment, the bytes left, 8 */
		unsigned a = (unsigned)__builtin_ctz((unsigned)(uintptr_t)dst | 8);
		unsigned l = (unsigned)(8 * sizeof(long) - 1 - __builtin_clzl(len));
		unsigned k = a < l ? a : l;
		/* __builtin_memcpy with a constant size: one move */
		if (k == 3)
			__builtin_memcpy(dst, src, 8);
		else if (k == 2)
			__builtin_memcpy(dst, src, 4);
		else if (k == 1)
			__builtin_memcpy(dst, src, 2);
		else
			*dst = *src;
		dst += 1u << k, src += 1u << k, len -= 1u << k;
	}
}

/*
 * Patch every site to its native form (pv_ops' defaults) at the first C
 * code, before the machine is known; pv_patch_all later rewrites only the
 * sites whose machine's choice differs. The code runs the same either way
 * (until pv_bind the table holds the natives too), but where code is
 * translated (QEMU's TCG) a write into a block that has run drops it and
 * flushes every vCPU's jump cache: patched this early, little has run.
 * Not for an entry whose ops are bound before this (Xen PV: native
 * instructions are wrong there from the first one).
 */
void pv_patch_early(void)
{
	uint8_t want[16];

	for (const struct pv_site *s = __pv_sites_start; s < __pv_sites_end; s++) {
		size_t i = (size_t)(s - __pv_sites_start), n;
		uint8_t *site = (uint8_t *)(uintptr_t)s->addr;

		if (i >= MAX_SITES)
			break; /* pv_patch_all panics on these */
		/* Anything unexpected is left for pv_patch_all to report. */
		if (s->op >= PV_NR_OPS || s->len > sizeof(want) || unpatched(s, want) ||
		    memcmp(site, want, s->len))
			continue;
		bool native = pv_native_bytes(s->op, IS64, &n) != NULL;
		if (early_bytes(s, want, native))
			continue;
		poke(site, want, s->len);
		early_state[i] = native ? EARLY_NATIVE : EARLY_CALL;
	}
	struct cpuid_regs r;
	native_cpuid(0, 0, &r); /* serialize: SDM 8.1.3 */
	early_done = true;
}

/* What pv_patch_early left at s matches the record (or it left s alone). */
static bool holds_early(const struct pv_site *s, size_t i, uint8_t *buf)
{
	if (early_state[i] == EARLY_NONE)
		return false;
	return !early_bytes(s, buf, early_state[i] == EARLY_NATIVE) &&
	       !memcmp((void *)(uintptr_t)s->addr, buf, s->len);
}

/* A site written only where its bytes change (see pv_patch_early). */
static void write_site(uint8_t *site, const uint8_t *want, size_t len)
{
	if (memcmp(site, want, len)) {
		poke(site, want, len);
		rewritten++;
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
		/* Native ops still native: the early pass's bytes are already the
		 * answer (checked against the record when it wrote them). */
		if (early_state[i] != EARLY_NONE && !off && pad == PV_PAD_PREFIX &&
		    s->op < PV_NR_OPS &&
		    (early_state[i] == EARLY_NATIVE
			     ? pv_op_is_native(s->op)
			     : target_of(s->op) == (uintptr_t)native_ops[s->op])) {
			site_state[i] = early_state[i] == EARLY_NATIVE ? SITE_NATIVE : SITE_CALL;
			counts[s->op][site_state[i]]++;
			continue;
		}
		/* The record must describe what is there: the indirect call, or
		 * what the early pass wrote. */
		if (s->op >= PV_NR_OPS || unpatched(s, want) ||
		    (memcmp(site, want, s->len) && !holds_early(s, i, want))) {
			site_state[i] = SITE_REFUSED;
			refused++;
			printk(KERN_ERR "pvops: site %#x (op %u, %u bytes) does not hold its call: "
					"left alone\n",
			       s->addr, s->op, s->len);
			continue;
		}
		if (off && !pv_op_must_patch(s->op)) {
			unpatched(s, want);
			write_site(site, want, s->len); /* undoes the early pass */
			site_state[i] = SITE_INDIRECT;
			counts[s->op][SITE_INDIRECT]++;
			continue;
		}
		bool native = pv_op_is_native(s->op);
		size_t n;
		if (native && !pv_native_bytes(s->op, IS64, &n))
			native = false; /* the native form is a call */
		const struct pv_inline *t = inline_for(s->op);
		if (t && t->len <= s->len) {
			if (pv_patch_inline(want, s->len, t->bytes, t->len, IS64, pad, &why)) {
				site_state[i] = SITE_REFUSED;
				refused++;
				printk(KERN_ERR "pvops: site %#x (%s): %s\n", s->addr,
				       pv_op_name(s->op), why);
				continue;
			}
			write_site(site, want, s->len);
			site_state[i] = SITE_INLINE;
			counts[s->op][SITE_INLINE]++;
			continue;
		}
		if (pv_patch_site(want, s->len, s->addr, s->op, native, target_of(s->op), IS64, pad,
				  &why)) {
			site_state[i] = SITE_REFUSED;
			refused++;
			printk(KERN_ERR "pvops: site %#x (%s): %s\n", s->addr, pv_op_name(s->op),
			       why);
			continue;
		}
		write_site(site, want, s->len);
		site_state[i] = native ? SITE_NATIVE : SITE_CALL;
		counts[s->op][site_state[i]]++;
	}
	/* Serialize before running patched code (SDM 8.1.3, cross-modifying code). */
	struct cpuid_regs r;
	native_cpuid(0, 0, &r);

	printk("pvops: %u call sites, %s%s%s", total, off ? "pvpatch=off: indirect" : "patched",
	       !off && pad == PV_PAD_NOP ? " (NOP padding)" : "", refused ? " (some refused)" : "");
	if (early_done)
		printk(" (%u written after the early pass)", rewritten);
	printk(":");
	for (unsigned op = 0; op < PV_NR_OPS; op++) {
		unsigned *c = counts[op];
		unsigned all = c[SITE_NATIVE] + c[SITE_CALL] + c[SITE_INDIRECT] + c[SITE_INLINE];
		/* c: calls, i: left indirect, t: a machine's inline template */
		if (all)
			printk(" %s %u%s", pv_op_name(op), all,
			       c[SITE_CALL]	  ? "c"
			       : c[SITE_INDIRECT] ? "i"
			       : c[SITE_INLINE]	  ? "t"
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

unsigned pv_inline_count(unsigned op)
{
	return op < PV_NR_OPS ? counts[op][SITE_INLINE] : 0;
}
