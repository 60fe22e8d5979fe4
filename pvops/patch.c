// SPDX-License-Identifier: MIT
/*
 * The call-site patcher's byte work: pure, host-tested (tests/host/
 * test_pvpatch.c). A site is 6 bytes, `call *slot` (ff 15 disp32). Patched:
 *
 *   native op with an instruction form:  the instruction, preceded by
 *     redundant DS (0x3e) prefixes up to the site length (PV_PAD_PREFIX: the
 *     site stays one instruction, exactly what the non-paravirt kernel runs),
 *     or followed by NOPs (PV_PAD_NOP);
 *   anything else:  call rel32 (e8) to the implementation, then a NOP.
 *
 * DS prefixes are ignored on these instructions (and on everything in 64-bit
 * mode); compilers pad with them too. On i386 the NOPs are single-byte 0x90:
 * the multi-byte NOPL (0f 1f) does not exist on the 486 this kernel supports.
 */
#include <pvops.h>
#include <string.h>

#define B(...)                                                                                     \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}
struct seq {
	uint8_t len;
	uint8_t b[3];
};

/* Index: op; [0] i386, [1] x86_64. len 0: no instruction form. */
static const struct seq native[PV_NR_OPS][2] = {
	[PV_IRQ_DISABLE] = {{1, B(0xfa)}, {1, B(0xfa)}},
	[PV_IRQ_ENABLE] = {{1, B(0xfb)}, {1, B(0xfb)}},
	[PV_SAVE_FL] = {{2, B(0x9c, 0x58)}, {2, B(0x9c, 0x58)}},    /* pushf; pop %(e/r)ax */
	[PV_RESTORE_FL] = {{2, B(0x50, 0x9d)}, {2, B(0x50, 0x9d)}}, /* push %(e/r)ax; popf */
	[PV_SAFE_HALT] = {{2, B(0xfb, 0xf4)}, {2, B(0xfb, 0xf4)}},
	[PV_HALT] = {{1, B(0xf4)}, {1, B(0xf4)}},
	[PV_READ_CR0] = {{3, B(0x0f, 0x20, 0xc0)}, {3, B(0x0f, 0x20, 0xc0)}},
	[PV_WRITE_CR0] = {{3, B(0x0f, 0x22, 0xc0)}, {3, B(0x0f, 0x22, 0xc0)}},
	[PV_READ_CR2] = {{3, B(0x0f, 0x20, 0xd0)}, {3, B(0x0f, 0x20, 0xd0)}},
	[PV_READ_CR3] = {{3, B(0x0f, 0x20, 0xd8)}, {3, B(0x0f, 0x20, 0xd8)}},
	[PV_WRITE_CR3] = {{3, B(0x0f, 0x22, 0xd8)}, {3, B(0x0f, 0x22, 0xd8)}},
	[PV_READ_CR4] = {{3, B(0x0f, 0x20, 0xe0)}, {3, B(0x0f, 0x20, 0xe0)}},
	[PV_WRITE_CR4] = {{3, B(0x0f, 0x22, 0xe0)}, {3, B(0x0f, 0x22, 0xe0)}},
	[PV_FLUSH_TLB_ONE] = {{3, B(0x0f, 0x01, 0x38)}, {3, B(0x0f, 0x01, 0x38)}},
	[PV_RDMSR] = {{2, B(0x0f, 0x32)}, {2, B(0x0f, 0x32)}},
	[PV_WRMSR] = {{2, B(0x0f, 0x30)}, {2, B(0x0f, 0x30)}},
	[PV_CPUID] = {{2, B(0x0f, 0xa2)}, {2, B(0x0f, 0xa2)}},
	[PV_IO_DELAY] = {{2, B(0xe6, 0x80)}, {2, B(0xe6, 0x80)}}, /* outb %al, $0x80 */
	[PV_TEST_MUST_PATCH] = {{1, B(0x90)}, {1, B(0x90)}},
};

static const char *const names[PV_NR_OPS] = {
	"irq_disable", "irq_enable",	"save_fl",  "restore_fl",  "safe_halt",	      "halt",
	"read_cr0",    "write_cr0",	"read_cr2", "read_cr3",	   "write_cr3",	      "read_cr4",
	"write_cr4",   "flush_tlb_one", "rdmsr",    "wrmsr",	   "cpuid",	      "io_delay",
	"apic_read",   "apic_write",	"apic_eoi", "sched_clock", "test_must_patch",
};

const char *pv_op_name(unsigned op)
{
	return op < PV_NR_OPS ? names[op] : "?";
}

bool pv_op_is_call(unsigned op)
{
	return op == PV_APIC_READ || op == PV_APIC_WRITE || op == PV_APIC_EOI ||
	       op == PV_SCHED_CLOCK;
}

bool pv_op_must_patch(unsigned op)
{
	return op == PV_TEST_MUST_PATCH;
}

const uint8_t *pv_native_bytes(unsigned op, bool is64, size_t *len)
{
	if (op >= PV_NR_OPS || !native[op][is64].len)
		return NULL;
	*len = native[op][is64].len;
	return native[op][is64].b;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int pv_unpatched_bytes(uint8_t *buf, size_t len, uint64_t site, uint64_t slot, bool is64)
{
	if (len != PV_SITE_LEN)
		return -1;
	buf[0] = 0xff;
	buf[1] = 0x15;
	/* i386: absolute disp32; x86_64: RIP-relative from the next instruction. */
	uint64_t disp = is64 ? slot - (site + PV_SITE_LEN) : slot;
	if (is64 && (int64_t)disp != (int32_t)disp)
		return -1;
	put32(buf + 2, (uint32_t)disp);
	return 0;
}

int pv_unpatched_call_bytes(uint8_t *buf, size_t len, uint64_t site, uint64_t stub)
{
	int64_t rel = (int64_t)(stub - (site + 5));

	if (len != PV_CALL_SITE_LEN || rel != (int32_t)rel)
		return -1;
	buf[0] = 0xe8;
	put32(buf + 1, (uint32_t)rel);
	return 0;
}

int pv_patch_site(uint8_t *buf, size_t len, uint64_t site, unsigned op, bool use_native,
		  uint64_t target, bool is64, enum pv_pad pad, const char **why)
{
	size_t n;
	const uint8_t *nat = pv_native_bytes(op, is64, &n);

	*why = NULL;
	if (op >= PV_NR_OPS) {
		*why = "unknown op";
		return -1;
	}
	if (len < 5 || len > 15) {
		*why = "site length out of range";
		return -1;
	}
	if (use_native && nat) {
		if (n > len) {
			*why = "native sequence longer than the site";
			return -1;
		}
		size_t fill = len - n;
		if (pad == PV_PAD_PREFIX) {
			memset(buf, 0x3e, fill);
			memcpy(buf + fill, nat, n);
		} else {
			memcpy(buf, nat, n);
			memset(buf + n, 0x90, fill);
			if (is64 && fill >= 2 && fill <= 5) {
				/* One multi-byte NOP (P6+, always there in long mode). */
				static const uint8_t nops[4][5] = {
					{0x66, 0x90},
					{0x0f, 0x1f, 0x00},
					{0x0f, 0x1f, 0x40, 0x00},
					{0x0f, 0x1f, 0x44, 0x00, 0x00},
				};
				memcpy(buf + n, nops[fill - 2], fill);
			}
		}
		return 0;
	}
	if (!target) {
		*why = "no implementation to call";
		return -1;
	}
	int64_t rel = (int64_t)(target - (site + 5));
	if (rel != (int32_t)rel) {
		*why = "target out of rel32 range";
		return -1;
	}
	buf[0] = 0xe8;
	put32(buf + 1, (uint32_t)rel);
	memset(buf + 5, 0x90, len - 5);
	return 0;
}
