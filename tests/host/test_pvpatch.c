// SPDX-License-Identifier: MIT
/* pvops/patch.c on byte buffers: every op, every site length, bad requests refused. */
#include "harness.h"
#include <pvops.h>
#include <stdint.h>

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
				for (size_t i = 5; i < len; i++)
					CHECK_EQ(buf[i], 0x90);
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

int main(void)
{
	test_every_op_every_length();
	test_known_bytes();
	test_unpatched_forms();
	test_refusals();
	return harness_done();
}
