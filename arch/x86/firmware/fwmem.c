// SPDX-License-Identifier: MIT
/*
 * Access to firmware memory for the readers: every byte goes through
 * fw_mem's map callback, which answers a (physical address, length) range or
 * NULL, so a reader never touches an address it was not given. In the
 * kernel that is physmem (identity-mapped RAM and the BIOS areas); on the
 * host a flat buffer at a pretend base (fwmem_flat_*, the tests and fuzzers).
 */
#include <firmware/fwmem.h>

/* A NUL-terminated string read byte by byte (each byte is a separate map,
 * so a string running off the end of readable memory just stops there). */
size_t fwmem_strcpy(const struct fw_mem *m, uint64_t pa, char *dst, size_t max, bool *truncated)
{
	size_t n = 0;

	if (truncated)
		*truncated = false;
	if (!max)
		return 0;
	while (n + 1 < max) {
		const char *c = fwmem_map(m, pa + n, 1);
		if (!c || !*c)
			break;
		dst[n++] = *c;
	}
	dst[n] = '\0';
	if (truncated && n + 1 == max) {
		const char *c = fwmem_map(m, pa + n, 1);
		*truncated = c && *c;
	}
	return n;
}

/* Sum of the 16-bit lanes of x, modulo 256 (straight-line: no loop). */
static uint8_t fold16(uintptr_t x)
{
	const uintptr_t low = (uintptr_t)0x0000ffff0000ffffull;

	x = (x & low) + ((x >> 16) & low); /* two lanes of 32 bits, no carry out */
	if (sizeof(x) > 4)
		x += (uint64_t)x >> 32;
	return (uint8_t)x;
}

/*
 * The byte sum a word at a time: the bytes at even and at odd places add
 * into 16-bit lanes (at most 2 * 255 per word, so 128 words cannot carry
 * out of a lane), folded every 128 words. QEMU's 8 KiB q35 DSDT took 32 us
 * of boot under -icount byte by byte. Out of line and with few branches:
 * one copy of few blocks for QEMU to translate, not one per caller (under
 * plain TCG a block costs ~9 us). __builtin_memcpy: one load, where the
 * freestanding kernel's memcpy is a call.
 */
uint8_t fw_sum8(const void *p, size_t len)
{
	const uint8_t *b = p;
	const uintptr_t even = (uintptr_t)0x00ff00ff00ff00ffull;
	uintptr_t lanes = 0, w;
	unsigned words = 0;
	uint8_t s = 0;

	for (; len >= sizeof(w); len -= sizeof(w), b += sizeof(w)) {
		__builtin_memcpy(&w, b, sizeof(w));
		lanes += (w & even) + ((w >> 8) & even);
		if (++words == 128) {
			s = (uint8_t)(s + fold16(lanes));
			lanes = 0;
			words = 0;
		}
	}
	s = (uint8_t)(s + fold16(lanes));
	while (len--)
		s = (uint8_t)(s + *b++);
	return s;
}

/*
 * The first 16-byte-aligned occurrence of sig in [pa, end), or end. Both the
 * ACPI RSDP ("RSD PTR ", ACPI 6.x 5.2.5.1) and the MP floating pointer
 * ("_MP_", MP spec 1.4 4.1) sit on 16-byte boundaries in the EBDA's first
 * KiB or 0xE0000-0xFFFFF; the SMBIOS anchors too (DSP0134 5.2.1, 5.2.2).
 * Maps the whole range once when it can, else each candidate.
 */
uint64_t fwmem_find16(const struct fw_mem *m, uint64_t pa, uint64_t end, const char *sig,
		      size_t len)
{
	const uint8_t *all = end > pa ? fwmem_map(m, pa, end - pa) : NULL;

	/* Mapped whole: a pointer steps through it and one compare rejects a
	 * candidate, of 32 bits where the signature has 4 bytes or more
	 * (SeaBIOS' RSDP is 5534 steps in: 100 us of boot under -icount with
	 * the bounds checked and a byte compared each step). __builtin_memcpy:
	 * one load, where the freestanding kernel's memcpy is a call. */
	if (all && len && len <= end - pa) {
		const uint8_t *last = all + (end - pa - len);
		uint32_t head = 0, v;
		__builtin_memcpy(&head, sig, 4 <= len ? 4 : 1);
		for (const uint8_t *p = all;; p += 16) {
			if (len >= 4) {
				__builtin_memcpy(&v, p, 4);
				if (v == head && !memcmp(p, sig, len))
					return pa + (uint64_t)(p - all);
			} else if (p[0] == (uint8_t)head && !memcmp(p, sig, len)) {
				return pa + (uint64_t)(p - all);
			}
			if ((size_t)(last - p) < 16)
				return end;
		}
	}
	for (uint64_t at = pa; at < end && len <= end - at; at += 16) {
		const uint8_t *p = all ? all + (at - pa) : fwmem_map(m, at, len);
		if (p && p[0] == (uint8_t)sig[0] && !memcmp(p, sig, len))
			return at;
	}
	return end;
}

const void *fwmem_flat_map(void *ctx, uint64_t pa, size_t len)
{
	const struct fwmem_flat *f = ctx;

	if (pa < f->base || pa - f->base > f->size || len > f->size - (pa - f->base))
		return NULL;
	return f->buf + (pa - f->base);
}

void fwmem_flat_init(struct fw_mem *m, struct fwmem_flat *f, const void *buf, uint64_t base,
		     size_t size)
{
	f->buf = buf;
	f->base = base;
	f->size = size;
	m->map = fwmem_flat_map;
	m->ctx = f;
}

void fwmem_note(struct fw_problems *p, const char *tag, const char *what, uint64_t addr,
		uint32_t offset)
{
	struct fw_problem *e;

	if (p->n == FW_PROBLEMS_MAX) {
		p->dropped++;
		return;
	}
	e = &p->item[p->n++];
	fwmem_copy_id(e->tag, tag, sizeof(e->tag) - 1);
	e->what = what;
	e->addr = addr;
	e->offset = offset;
}

/* Firmware IDs (OEM ids, table signatures) are fixed-width and need not be
 * NUL-terminated or printable: copied for the log with '?' for the rest. */
void fwmem_copy_id(char *dst, const void *src, size_t n)
{
	const uint8_t *s = src;
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	dst[i] = '\0';
}

static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	return n;
}

/* IDs are space-padded to their width ("BOCHS ", "IBM ENSW"): compare
 * without the trailing spaces. */
bool fwmem_id_eq(const char *id, const char *want)
{
	size_t n = trimmed_len(id);

	return n == trimmed_len(want) && !memcmp(id, want, n);
}

/*
 * The Extended BIOS Data Area: its segment is the BIOS Data Area word at
 * 0x40E (the PC/AT BIOS convention MP spec 1.4 4.1 and ACPI 5.2.5.1 rely
 * on). Only a value inside 512-640 KiB is believed: 0 or garbage there
 * (microvm's qboot has no BDA) means no EBDA.
 */
uint64_t fwmem_ebda(const struct fw_mem *m)
{
	const uint8_t *bda = fwmem_map(m, 0x40e, 2);
	uint64_t ebda;

	if (!bda)
		return 0;
	ebda = (uint64_t)fw_le16(bda) << 4;
	return ebda >= 0x80000 && ebda < 0xa0000 ? ebda : 0;
}
