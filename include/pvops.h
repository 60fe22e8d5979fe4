/* SPDX-License-Identifier: MIT */
/*
 * Paravirt ops (docs/pvops.md): the operations a hypervisor may take over.
 *
 * Every op has a register convention: the one of its native instruction.
 * Inputs and outputs live in the registers listed below; everything else is
 * preserved by the implementation. That is what lets the boot-time patcher
 * (pvops/patch.c) turn a call site into the bare native instruction, and it
 * is the ABI a hypervisor ROM (VMI) implements. The list of ops, with each
 * op's native instructions, is <pvops_list.h>.
 *
 *   op              x86_64 in/out           i386 in/out
 *   IRQ_DISABLE     -                       -
 *   IRQ_ENABLE      -                       -
 *   SAVE_FL         out rax                 out eax
 *   RESTORE_FL      in rax                  in eax
 *   SAFE_HALT       -                       -
 *   HALT            -                       -
 *   READ_CRn        out rax                 out eax
 *   WRITE_CRn       in rax                  in eax
 *   FLUSH_TLB_ONE   in rax (address)        in eax
 *   RDMSR           in ecx, out edx:eax     same
 *   WRMSR           in ecx, edx:eax         same
 *   CPUID           in eax, ecx; out eax-edx
 *   IO_DELAY        -                       -
 *
 * Single inputs are in rax like the outputs, so `restore_fl(save_fl())` and
 * `write_cr3(read_cr3())` need no register move: the native bytes are the
 * same on both arches. These sites are 6 bytes: `call *pv_ops+slot`.
 *
 * The "call" ops have no one-instruction native form and use the C calling
 * convention instead (x86_64 SysV; i386 regparm(3): eax, edx, ecx), with
 * 5-byte sites: `call pv_jmp_stubs + op * PV_JMP_STUB_SIZE` (the op's stub,
 * which jumps through the table) until patched, then `call <implementation>` directly, which is what the
 * kernel without paravirt emits:
 *
 *   APIC_READ(reg) -> u32, APIC_WRITE(reg, value), APIC_EOI(), SCHED_CLOCK() -> u64
 */
#ifndef PVOPS_H
#define PVOPS_H

#include <pvops_list.h>

/* Kernel code sees this header only with CONFIG_PARAVIRT: PV_REGPARM and the
 * native prototypes below are that kernel's (host tests include it too). */
#if (defined(CONFIG_X86_32) || defined(CONFIG_X86_64)) && !defined(CONFIG_PARAVIRT)
#error "<pvops.h> in a kernel without CONFIG_PARAVIRT"
#endif

#define PV_SITE_LEN	 6 /* call *pv_ops+slot: ff 15 disp32 on both arches */
#define PV_CALL_SITE_LEN 5 /* call rel32, for the C-convention ops */
/* PV_LONG_SITE ops: the 6-byte call, then 9 bytes of NOPs (pv_nop_fill):
 * 15, the longest an instruction may be, so the native form is still one
 * prefixed instruction. */
#define PV_LONG_SITE_LEN 15
/* A CALL op's unpatched site calls pv_jmp_stubs + op * PV_JMP_STUB_SIZE. */
#define PV_JMP_STUB_SIZE 8

#ifdef __ASSEMBLY__
/*
 * An INSN op's site written in assembly (isr.S's IRET): the 6-byte indirect
 * call and the .pv_sites record of PV_SITE in <asm/paravirt.h>. The file
 * must have PV_ASM_OP_NUMBERS.
 */
/* clang-format off */
#ifdef CONFIG_X86_64
#define PV_ASM_CALL(NAME) call *pv_ops + PV_##NAME * 8(%rip)
#else
#define PV_ASM_CALL(NAME) call *pv_ops + PV_##NAME * 4
#endif
#define PV_ASM_SITE(NAME)						\
	771: PV_ASM_CALL(NAME); 772:					\
	.pushsection .pv_sites, "a"; .balign 4; .long 771b;		\
	.byte PV_##NAME, 772b - 771b, 0, 0; .popsection
/* clang-format on */
#endif

#ifndef __ASSEMBLY__
#include <stdint.h>
/* Types that CALL ops' prototypes in the list name. */
struct desc_ptr;
struct percpu;
#include <stddef.h>
#include <stdbool.h>

/* The C convention of CALL ops: x86_64 SysV; i386 regparm(3). */
#ifdef __i386__
#define PV_REGPARM __attribute__((regparm(3)))
#else
#define PV_REGPARM
#endif

/* The op numbers, PV_<NAME>, in list order (assembly: PV_ASM_OP_NUMBERS). */
enum pv_op {
#define PV_ENUM(NAME, ...) PV_##NAME,
	PV_OP_LIST(PV_ENUM)
#undef PV_ENUM
		PV_NR_OPS
};

/* One record per call site, in .pv_sites (PV_SITE_RECORD, <asm/paravirt.h>). */
struct pv_site {
	uint32_t addr; /* the site's first byte (the kernel is below 4 GiB) */
	uint8_t op;
	uint8_t len;
	uint8_t pad[2]; /* zero: the record is 8 bytes, 4-aligned */
};
_Static_assert(sizeof(struct pv_site) == 8, "PV_SITE_RECORD writes 8-byte records");

/* The CALL ops' native implementations, from their prototypes in the list. */
#define PV_NATIVE_PROTO(NAME, name, conv, flags, ...) PV_NATIVE_PROTO_##conv(name, __VA_ARGS__)
#define PV_NATIVE_PROTO_INSN(name, ...)
#define PV_NATIVE_PROTO_CALL(name, ret, params) PV_REGPARM ret native_##name params;
PV_OP_LIST(PV_NATIVE_PROTO)

/* The table the sites call through: one pointer per op (pvops/pvops.c). */
extern void *pv_ops[PV_NR_OPS];

/* Whether op uses the C calling convention and 5-byte direct-call sites. */
bool pv_op_is_call(unsigned op);
/* Whether pvops/patch.c must patch an op's sites even with pvpatch=off: such
 * an op's table default is a poison stub that panics if reached. */
bool pv_op_must_patch(unsigned op);
/* The length of op's sites: PV_CALL_SITE_LEN, PV_SITE_LEN or PV_LONG_SITE_LEN. */
unsigned pv_op_site_len(unsigned op);
/* Fill n bytes with as few NOPs as the arch allows (i386: 486-safe ones). */
void pv_nop_fill(uint8_t *buf, size_t n, bool is64);
const char *pv_op_name(unsigned op);

/*
 * The native patch templates, assembled by pvops/templates.S from the
 * instructions in <pvops_list.h>: one table per arch, one entry per op in
 * op order (len 0 for a CALL op). op and name are the assembler's: the host
 * test checks them against the enum and pv_op_name().
 */
struct pv_template {
	uint8_t op;
	uint8_t len;
	uint16_t off; /* of the bytes, from the table's pv_template_bytes_* */
	char name[20];
};
extern const struct pv_template pv_templates_32[], pv_templates_64[];
extern const uint8_t pv_template_bytes_32[], pv_template_bytes_64[];
extern const uint32_t pv_template_nr_ops; /* the assembler's PV_NR_OPS */

/* pvops/patch.c: pure, host-tested. */
enum pv_pad { PV_PAD_PREFIX, PV_PAD_NOP };
/* The native byte sequence for op on this arch (x86_64 if is64), or NULL when
 * the op has none (its native form is a call). */
const uint8_t *pv_native_bytes(unsigned op, bool is64, size_t *len);
/*
 * Write into buf (the len bytes of the site at address site) the patched
 * form: the native bytes padded to len when native is true and the op has
 * them, else a direct call to target padded to len. Returns 0, or -1 with
 * *why set when the site cannot take it (too short, target out of rel32
 * range, unknown op).
 */
int pv_patch_site(uint8_t *buf, size_t len, uint64_t site, unsigned op, bool native,
		  uint64_t target, bool is64, enum pv_pad pad, const char **why);
/* The inline part of that: the n bytes insn padded to the site's len (a
 * template of the patcher's, or, later, one a machine supplies). */
int pv_patch_inline(uint8_t *buf, size_t len, const uint8_t *insn, size_t n, bool is64,
		    enum pv_pad pad, const char **why);
/* The bytes an unpatched site holds: call *slot (ff 15 disp32); for a call
 * op, call stub (e8 rel32) to its jump stub. */
int pv_unpatched_bytes(uint8_t *buf, size_t len, uint64_t site, uint64_t slot, bool is64);
int pv_unpatched_call_bytes(uint8_t *buf, size_t len, uint64_t site, uint64_t stub);

/* pvops/pvops.c: the kernel side. */
struct pv_ops_override {
	/* A machine's replacements, NULL = native. Each must follow the op's
	 * convention (above): for an INSN op an asm entry or a ROM's, for a
	 * CALL op a C function of the op's type. One member per op
	 * (.irq_disable = ..., typed for CALL ops), or by op number
	 * (.op[PV_IRQ_DISABLE]). */
	union {
		void *op[PV_NR_OPS];
		struct {
#define PV_MEMBER(NAME, name, conv, flags, ...) PV_MEMBER_##conv(name, __VA_ARGS__)
#define PV_MEMBER_INSN(name, ...)		const void *name;
#define PV_MEMBER_CALL(name, ret, params)	ret(PV_REGPARM *name) params;
			PV_OP_LIST(PV_MEMBER)
#undef PV_MEMBER
#undef PV_MEMBER_INSN
#undef PV_MEMBER_CALL
		};
	};
};
_Static_assert(sizeof(struct pv_ops_override) == PV_NR_OPS * sizeof(void *),
	       "one member per op, in op order");
void pv_bind(const struct pv_ops_override *o);
/*
 * A machine's inline template for an INSN op: bytes that replace the call at
 * each of its sites (padded like a native one) instead of a call to the
 * bound implementation. It must do what that implementation does, in the
 * op's register convention, position-independently. Ends with len 0.
 */
struct pv_inline {
	unsigned op;
	const uint8_t *bytes;
	size_t len;
};
void pv_bind_inline(const struct pv_inline *t);
/* Every site to its native form at the first C code (not under Xen PV). */
void pv_patch_early(void);
/* Patch every site; with off (pvpatch=off) only the must-patch ops. */
void pv_patch_all(bool off, enum pv_pad pad);
/* How many sites of op were patched native / to a call / left indirect;
 * pv_inline_count: how many hold a machine's inline template. */
void pv_site_counts(unsigned op, unsigned *native, unsigned *call, unsigned *indirect);
unsigned pv_inline_count(unsigned op);
/* The bytes the patcher put (or left) at a site, for the in-kernel check. */
int pv_expected_bytes(const struct pv_site *s, uint8_t *buf, size_t len);
bool pv_op_is_native(unsigned op);
extern const struct pv_site __pv_sites_start[], __pv_sites_end[];
#endif

#endif
