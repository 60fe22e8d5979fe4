/* SPDX-License-Identifier: MIT */
/*
 * How firmware readers see physical memory. Every reader goes through an
 * accessor, so the same code runs in the kernel (identity-mapped physical
 * memory) and on the host over a captured memory image (tests, fuzzing).
 */
#ifndef FIRMWARE_FWMEM_H
#define FIRMWARE_FWMEM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

struct fw_mem {
	/*
	 * Return a pointer to len readable bytes at physical address pa, or
	 * NULL if any byte of [pa, pa + len) is outside what may be read.
	 * Callers never assume more than len bytes behind the pointer.
	 */
	const void *(*map)(void *ctx, uint64_t pa, size_t len);
	void *ctx;
};

static inline const void *fwmem_map(const struct fw_mem *m, uint64_t pa, size_t len)
{
	if (len && pa + len < pa)
		return NULL;
	return m->map(m->ctx, pa, len);
}

/* Little-endian loads from possibly unaligned bytes. */
static inline uint16_t fw_le16(const void *p)
{
	const uint8_t *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}
static inline uint32_t fw_le32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static inline uint64_t fw_le64(const void *p)
{
	return fw_le32(p) | (uint64_t)fw_le32((const uint8_t *)p + 4) << 32;
}

/* Byte sum, for the many firmware structures that must sum to zero. */
uint8_t fw_sum8(const void *p, size_t len);

/*
 * Copy a NUL-terminated string of at most max - 1 bytes from physical
 * memory, stopping at the first unreadable byte. Returns the length copied;
 * *truncated says whether the string went on.
 */
size_t fwmem_strcpy(const struct fw_mem *m, uint64_t pa, char *dst, size_t max, bool *truncated);

/*
 * The first address from pa up to end, in 16-byte steps from pa, where the
 * len bytes of sig start and end before end; end if there is none. This is
 * how the specs say to search the BIOS areas (ACPI RSDP, MP floating
 * pointer, SMBIOS anchors): the whole range is mapped once, not once per
 * step, and only where that fails is each step mapped on its own.
 */
uint64_t fwmem_find16(const struct fw_mem *m, uint64_t pa, uint64_t end, const char *sig,
		      size_t len);

/* An accessor over a flat buffer that stands for physical [base, base + size). */
struct fwmem_flat {
	const uint8_t *buf;
	uint64_t base;
	size_t size;
};
const void *fwmem_flat_map(void *ctx, uint64_t pa, size_t len);
void fwmem_flat_init(struct fw_mem *m, struct fwmem_flat *f, const void *buf, uint64_t base,
		     size_t size);

/* Return codes of the ACPI, MP and SMBIOS readers; the out struct's why says more. */
#define FW_OK	  0
#define FW_ENOENT (-1) /* no such structure where the spec says to look */
#define FW_EINVAL (-2) /* found, but unusable (checksum, length, pointers) */

/*
 * What a reader saw and worked around, for the kernel to print ("MADT: entry
 * length 0 at 0x1fe1a70+0x3c"): the structure's name, a fixed string, the
 * physical address of the structure and the byte offset inside it. The
 * first FW_PROBLEMS_MAX are kept, the rest only counted.
 */
#define FW_PROBLEMS_MAX 8

struct fw_problem {
	char tag[5]; /* which structure: "XSDT", "MADT", "PCMP", "_SM_", ... */
	const char *what;
	uint64_t addr;
	uint32_t offset;
};

struct fw_problems {
	struct fw_problem item[FW_PROBLEMS_MAX];
	unsigned int n;
	unsigned int dropped;
};

void fwmem_note(struct fw_problems *p, const char *tag, const char *what, uint64_t addr,
		uint32_t offset);

/*
 * Copy a fixed-width identifier field (ACPI OEM id, MP product id) of n
 * bytes into dst[n + 1]: stops at a NUL, replaces bytes outside printable
 * ASCII with '?', keeps trailing spaces (they are part of the id).
 */
void fwmem_copy_id(char *dst, const void *src, size_t n);

/* Whether an identifier equals want, ignoring trailing spaces of either. */
bool fwmem_id_eq(const char *id, const char *want);

/*
 * The Extended BIOS Data Area, from the segment in the BIOS Data Area at
 * 0x40E, or 0 when that is unreadable or does not point into 512-640 KiB
 * (microvm's qboot leaves no BDA: the word reads 0).
 */
uint64_t fwmem_ebda(const struct fw_mem *m);

#endif
