// SPDX-License-Identifier: MIT
/* pvops/patch.c on byte buffers: every op, every site length, bad requests refused. */
#include "harness.h"
#include <pvops.h>
#include <stdint.h>
#include <stdio.h>

static void test_every_op_every_length(void)
{
	for (int is64 = 0; is64 <= 1; is64++) {
		for (unsigned op = 0; op < PV_NR_OPS; op++) {
			size_t n;
			const uint8_t *nat = pv_native_bytes(op, is64, &n);
			harness_set_context(pv_op_name(op));
			CHECK(nat != NULL || pv_op_is_call(op));
			CHECK(!(nat && pv_op_is_call(op)));
			for (size_t len = 5; len <= 15; len++) {
				uint8_t buf[16];
				const char *why;
				memset(buf, 0xcc, sizeof(buf));
				if (nat) {
					/* Native, prefix padding: DS prefixes then the bytes. */
					CHECK_EQ(pv_patch_site(buf, len, 0x100000, op, true, 0,
							       is64, PV_PAD_PREFIX, &why),
						 0);
					for (size_t i = 0; i < len - n; i++)
						CHECK_EQ(buf[i], 0x3e);
					CHECK(!memcmp(buf + len - n, nat, n));
					CHECK_EQ(buf[len], 0xcc); /* nothing past the site */
					/* Native, NOP padding: the bytes then NOPs. */
					CHECK_EQ(pv_patch_site(buf, len, 0x100000, op, true, 0,
							       is64, PV_PAD_NOP, &why),
						 0);
					CHECK(!memcmp(buf, nat, n));
					if (!is64)
						for (size_t i = n; i < len; i++)
							CHECK_EQ(buf[i], 0x90); /* 486: no NOPL */
				}
				/* A call: e8 rel32 to the target, then NOPs. */
				CHECK_EQ(pv_patch_site(buf, len, 0x100000, op, false, 0x123456,
						       is64, PV_PAD_PREFIX, &why),
					 0);
				CHECK_EQ(buf[0], 0xe8);
				int32_t rel;
				memcpy(&rel, buf + 1, 4);
				CHECK_EQ(0x100000 + 5 + (int64_t)rel, 0x123456);
				uint8_t fill[16];
				pv_nop_fill(fill, len - 5, is64);
				CHECK(!memcmp(buf + 5, fill, len - 5));
				if (len == 6)
					CHECK_EQ(buf[5], 0x90);
			}
		}
	}
	harness_set_context("");
}

static void test_known_bytes(void)
{
	uint8_t buf[6];
	const char *why;
	static const uint8_t cli6[] = {0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0xfa};
	static const uint8_t restore[] = {0x3e, 0x3e, 0x3e, 0x3e, 0x50, 0x9d};
	static const uint8_t wcr3[] = {0x3e, 0x3e, 0x3e, 0x0f, 0x22, 0xd8};
	static const uint8_t cli_nop64[] = {0xfa, 0x0f, 0x1f, 0x44, 0x00, 0x00};

	CHECK_EQ(pv_patch_site(buf, 6, 0x1000, PV_IRQ_DISABLE, true, 0, true, PV_PAD_PREFIX, &why),
		 0);
	CHECK(!memcmp(buf, cli6, 6));
	CHECK_EQ(pv_patch_site(buf, 6, 0x1000, PV_RESTORE_FL, true, 0, false, PV_PAD_PREFIX, &why),
		 0);
	CHECK(!memcmp(buf, restore, 6));
	CHECK_EQ(pv_patch_site(buf, 6, 0x1000, PV_WRITE_CR3, true, 0, true, PV_PAD_PREFIX, &why),
		 0);
	CHECK(!memcmp(buf, wcr3, 6));
	CHECK_EQ(pv_patch_site(buf, 6, 0x1000, PV_IRQ_DISABLE, true, 0, true, PV_PAD_NOP, &why), 0);
	CHECK(!memcmp(buf, cli_nop64, 6)); /* one 5-byte NOPL in long mode */
}

static void test_unpatched_forms(void)
{
	uint8_t buf[6];

	/* i386: absolute slot address; x86_64: RIP-relative from the next instruction. */
	CHECK_EQ(pv_unpatched_bytes(buf, 6, 0x100000, 0x200010, false), 0);
	CHECK(buf[0] == 0xff && buf[1] == 0x15);
	uint32_t d;
	memcpy(&d, buf + 2, 4);
	CHECK_EQ(d, 0x200010);
	CHECK_EQ(pv_unpatched_bytes(buf, 6, 0x100000, 0x200010, true), 0);
	memcpy(&d, buf + 2, 4);
	CHECK_EQ(d, 0x200010 - 0x100006);
	CHECK(pv_unpatched_bytes(buf, 5, 0x100000, 0x200010, true) < 0);
	CHECK(pv_unpatched_bytes(buf, 6, 0x100000, 0x100000000ull + 0x200010, true) < 0);
	/* Long sites (PV_LONG_SITE ops): the call, then the 9 bytes of NOPs
	 * <asm/paravirt.h>'s PV_LONG_PAD emits, written out here again. */
	uint8_t lbuf[PV_LONG_SITE_LEN];
	static const uint8_t pad64[] = {0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0};
	static const uint8_t pad32[] = {0x8d, 0xb4, 0x26, 0, 0, 0, 0, 0x89, 0xf6};
	CHECK_EQ(pv_unpatched_bytes(lbuf, PV_LONG_SITE_LEN, 0x100000, 0x200010, true), 0);
	CHECK(lbuf[0] == 0xff && lbuf[1] == 0x15 && !memcmp(lbuf + 6, pad64, 9));
	CHECK_EQ(pv_unpatched_bytes(lbuf, PV_LONG_SITE_LEN, 0x100000, 0x200010, false), 0);
	CHECK(!memcmp(lbuf + 6, pad32, 9));
	CHECK(pv_unpatched_bytes(lbuf, 14, 0x100000, 0x200010, true) < 0);
	CHECK_EQ(pv_op_site_len(PV_IRQ_DISABLE), PV_LONG_SITE_LEN);
	CHECK_EQ(pv_op_site_len(PV_SAVE_FL), PV_LONG_SITE_LEN);
	CHECK_EQ(pv_op_site_len(PV_IRQ_ENABLE), PV_SITE_LEN);
	CHECK_EQ(pv_op_site_len(PV_APIC_EOI), PV_CALL_SITE_LEN);
	/* NOP fills of 10: two instructions on each arch. */
	static const uint8_t ten64[] = {0x66, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0, 0x90};
	static const uint8_t ten32[] = {0x8d, 0xb4, 0x26, 0, 0, 0, 0, 0x8d, 0x76, 0x00};
	pv_nop_fill(lbuf, 10, true);
	CHECK(!memcmp(lbuf, ten64, 10));
	pv_nop_fill(lbuf, 10, false);
	CHECK(!memcmp(lbuf, ten32, 10));
	CHECK_EQ(pv_unpatched_call_bytes(buf, 5, 0x100000, 0x100100), 0);
	CHECK_EQ(buf[0], 0xe8);
	CHECK(pv_unpatched_call_bytes(buf, 6, 0x100000, 0x100100) < 0);
}

static void test_refusals(void)
{
	uint8_t buf[16];
	const char *why;

	CHECK(pv_patch_site(buf, 6, 0x1000, PV_NR_OPS, true, 0x2000, true, PV_PAD_PREFIX, &why) <
	      0);
	CHECK_STR(why, "unknown op");
	CHECK(pv_patch_site(buf, 4, 0x1000, PV_IRQ_DISABLE, true, 0, true, PV_PAD_PREFIX, &why) <
	      0);
	CHECK_STR(why, "site length out of range");
	CHECK(pv_patch_site(buf, 16, 0x1000, PV_IRQ_DISABLE, true, 0, true, PV_PAD_PREFIX, &why) <
	      0);
	/* A call op has no native bytes: it needs a target. */
	CHECK(pv_patch_site(buf, 5, 0x1000, PV_APIC_EOI, true, 0, true, PV_PAD_PREFIX, &why) < 0);
	CHECK_STR(why, "no implementation to call");
	CHECK(pv_patch_site(buf, 6, 0x1000, PV_HALT, false, 0x1000 + 0x100000000ull, true,
			    PV_PAD_PREFIX, &why) < 0);
	CHECK_STR(why, "target out of rel32 range");
	CHECK(pv_op_must_patch(PV_TEST_MUST_PATCH));
	CHECK(!pv_op_must_patch(PV_IRQ_DISABLE));
	CHECK_STR(pv_op_name(PV_SAFE_HALT), "safe_halt");
	CHECK_STR(pv_op_name(999), "?");
}

/*
 * The templates (pvops/templates.S, from <pvops_list.h>) against what the
 * C side numbers and names, and against tests/host/pvinsn.S: the same
 * instructions written out again by hand and assembled separately.
 */
struct pvinsn_ref {
	char name[20];
	uint8_t len;
	uint8_t bytes[15];
};
extern const struct pvinsn_ref pvinsn_ref_32[], pvinsn_ref_64[];

static const struct pvinsn_ref *find_ref(const struct pvinsn_ref *refs, const char *name)
{
	for (; refs->name[0]; refs++)
		if (!strncmp(refs->name, name, sizeof(refs->name)))
			return refs;
	return NULL;
}

static bool is_op_name(const char *name, size_t n)
{
	for (unsigned op = 0; op < PV_NR_OPS; op++)
		if (!strncmp(pv_op_name(op), name, n))
			return true;
	return false;
}

/* Disagreements between a template table (nr entries as the assembler
 * counted them) and the C side and the references; the first in why. */
static unsigned check_templates(const struct pv_template *t, const uint8_t *bytes, uint32_t nr,
				const struct pvinsn_ref *refs, char *why, size_t n)
{
	unsigned bad = 0;
#define BAD(...)                                                                                   \
	do {                                                                                       \
		if (!bad++)                                                                        \
			snprintf(why, n, __VA_ARGS__);                                             \
	} while (0)

	if (nr != PV_NR_OPS)
		BAD("the assembler counts %u ops, the C enum %u", nr, PV_NR_OPS);
	for (unsigned op = 0; op < PV_NR_OPS && op < nr; op++) {
		const char *name = pv_op_name(op);
		const struct pvinsn_ref *r = find_ref(refs, name);

		if (t[op].op != op)
			BAD("entry %u has the assembler's number %u", op, t[op].op);
		if (strncmp(t[op].name, name, sizeof(t[op].name)))
			BAD("entry %u is the assembler's %.20s, the C side's %s", op, t[op].name,
			    name);
		if (pv_op_is_call(op)) {
			if (t[op].len || r)
				BAD("%s: a CALL op with a template or a reference", name);
			continue;
		}
		if (!r)
			BAD("%s: no reference in tests/host/pvinsn.S", name);
		else if (t[op].len != r->len || memcmp(bytes + t[op].off, r->bytes, r->len))
			BAD("%s: the template is not the reference instruction", name);
	}
	for (const struct pvinsn_ref *r = refs; r->name[0]; r++)
		if (!is_op_name(r->name, sizeof(r->name)))
			BAD("reference %.20s: no such op", r->name);
#undef BAD
	return bad;
}

static void test_templates_are_the_instructions(void)
{
	char why[128] = "";

	for (int is64 = 0; is64 <= 1; is64++) {
		const struct pv_template *t = is64 ? pv_templates_64 : pv_templates_32;
		const uint8_t *bytes = is64 ? pv_template_bytes_64 : pv_template_bytes_32;
		const struct pvinsn_ref *refs = is64 ? pvinsn_ref_64 : pvinsn_ref_32;

		harness_set_context(is64 ? "templates x86_64" : "templates i386");
		CHECK_EQ(check_templates(t, bytes, pv_template_nr_ops, refs, why, sizeof(why)), 0);
		if (why[0])
			printf("  %s\n", why);
		/* What the patcher hands out is that table. */
		for (unsigned op = 0; op < PV_NR_OPS; op++) {
			size_t n;
			const uint8_t *nat = pv_native_bytes(op, is64, &n);
			const struct pvinsn_ref *r = find_ref(refs, pv_op_name(op));
			CHECK(!nat == !r);
			if (nat && r)
				CHECK(n == r->len && !memcmp(nat, r->bytes, n));
		}
	}
	harness_set_context("");
}

/*
 * The test of that test: wrong tables must be refused. The mutation of
 * issue 15 (read_cr4's template assembled as mov %cr3), an op numbered
 * differently by the assembler, another name, a list one op short.
 */
static void test_template_check_refuses_mutants(void)
{
	for (int is64 = 0; is64 <= 1; is64++) {
		const struct pv_template *real = is64 ? pv_templates_64 : pv_templates_32;
		const uint8_t *bytes = is64 ? pv_template_bytes_64 : pv_template_bytes_32;
		const struct pvinsn_ref *refs = is64 ? pvinsn_ref_64 : pvinsn_ref_32;
		struct pv_template t[PV_NR_OPS];
		char why[128];

		harness_set_context(is64 ? "mutants x86_64" : "mutants i386");
		memcpy(t, real, sizeof(t));
		t[PV_READ_CR4].off = t[PV_READ_CR3].off; /* the bytes of mov %cr3 */
		CHECK(check_templates(t, bytes, PV_NR_OPS, refs, why, sizeof(why)) > 0);
		CHECK_STR(why, "read_cr4: the template is not the reference instruction");

		memcpy(t, real, sizeof(t));
		t[PV_WRITE_CR3].op = PV_READ_CR3;
		CHECK(check_templates(t, bytes, PV_NR_OPS, refs, why, sizeof(why)) > 0);

		memcpy(t, real, sizeof(t));
		strcpy(t[PV_CPUID].name, "rdmsr");
		CHECK(check_templates(t, bytes, PV_NR_OPS, refs, why, sizeof(why)) > 0);

		memcpy(t, real, sizeof(t));
		CHECK(check_templates(t, bytes, PV_NR_OPS - 1, refs, why, sizeof(why)) > 0);

		/* And the unmutated copy passes: the refusals are the mutations'. */
		CHECK_EQ(check_templates(t, bytes, PV_NR_OPS, refs, why, sizeof(why)), 0);
	}
	harness_set_context("");
}

int main(void)
{
	test_templates_are_the_instructions();
	test_template_check_refuses_mutants();
	test_every_op_every_length();
	test_known_bytes();
	test_unpatched_forms();
	test_refusals();
	return harness_done();
}
