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
#include <kernel/minmax.h>

/* Per op, from the list in <pvops_list.h>. */
static const struct {
	const char *name;
	bool call;
	bool must_patch;
	bool long_site;
} ops[PV_NR_OPS] = {
#define PV_OP_INFO(NAME, name, conv, flags, ...)                                                   \
	[PV_##NAME] = {#name, PV_IS_CALL(conv), ((flags)&PV_MUST_PATCH) != 0,                      \
		       ((flags)&PV_LONG_SITE) != 0},
	PV_OP_LIST(PV_OP_INFO)
#undef PV_OP_INFO
};

const char *pv_op_name(unsigned op)
{
	return op < PV_NR_OPS ? ops[op].name : "?";
}

bool pv_op_is_call(unsigned op)
{
	return op < PV_NR_OPS && ops[op].call;
}

bool pv_op_must_patch(unsigned op)
{
	return op < PV_NR_OPS && ops[op].must_patch;
}

unsigned pv_op_site_len(unsigned op)
{
	if (op >= PV_NR_OPS)
		return 0;
	return ops[op].call ? PV_CALL_SITE_LEN : ops[op].long_site ? PV_LONG_SITE_LEN : PV_SITE_LEN;
}

/*
 * x86_64: the recommended multi-byte NOPs (SDM Vol 2B, NOP), up to 9 bytes
 * each. i386: the 486 has no NOPL; lea of a register to itself and a
 * register move are the 486-safe multi-byte forms (as GNU as pads with).
 */
void pv_nop_fill(uint8_t *buf, size_t n, bool is64)
{
	static const uint8_t nop64[9][9] = {
		{0x90},
		{0x66, 0x90},
		{0x0f, 0x1f, 0x00},
		{0x0f, 0x1f, 0x40, 0x00},
		{0x0f, 0x1f, 0x44, 0x00, 0x00},
		{0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
		{0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
		{0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
		{0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
	};
	static const uint8_t nop32[7][7] = {
		{0x90},
		{0x89, 0xf6},			      /* mov %esi, %esi */
		{0x8d, 0x76, 0x00},		      /* lea 0(%esi), %esi */
		{0x8d, 0x74, 0x26, 0x00},	      /* lea 0(%esi,%eiz), %esi */
		{0x90, 0x8d, 0x74, 0x26, 0x00},	      /* nop; the 4-byte lea */
		{0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00}, /* lea 0L(%esi), %esi */
		{0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00},
	};

	while (n) {
		size_t k = MIN(n, is64 ? 9u : 7u);
		memcpy(buf, is64 ? nop64[k - 1] : nop32[k - 1], k);
		buf += k;
		n -= k;
	}
}

/* From the assembler's tables (pvops/templates.S); an entry whose number is
 * not op's would be a list the two sides expanded differently: none. */
const uint8_t *pv_native_bytes(unsigned op, bool is64, size_t *len)
{
	const struct pv_template *t = is64 ? pv_templates_64 : pv_templates_32;
	const uint8_t *bytes = is64 ? pv_template_bytes_64 : pv_template_bytes_32;

	if (op >= PV_NR_OPS || op >= pv_template_nr_ops || t[op].op != op || !t[op].len)
		return NULL;
	*len = t[op].len;
	return bytes + t[op].off;
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
	if (len != PV_SITE_LEN && len != PV_LONG_SITE_LEN)
		return -1;
	pv_nop_fill(buf + PV_SITE_LEN, len - PV_SITE_LEN, is64);
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

int pv_patch_inline(uint8_t *buf, size_t len, const uint8_t *insn, size_t n, bool is64,
		    enum pv_pad pad, const char **why)
{
	*why = NULL;
	if (len < 5 || len > 15) {
		*why = "site length out of range";
		return -1;
	}
	if (n > len) {
		*why = "native sequence longer than the site";
		return -1;
	}
	size_t fill = len - n;
	if (pad == PV_PAD_PREFIX) {
		memset(buf, 0x3e, fill);
		memcpy(buf + fill, insn, n);
	} else {
		memcpy(buf, insn, n);
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
	if (use_native && nat)
		return pv_patch_inline(buf, len, nat, n, is64, pad, why);
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
	pv_nop_fill(buf + 5, len - 5, is64);
	return 0;
}
