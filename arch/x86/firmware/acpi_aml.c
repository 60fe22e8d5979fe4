// SPDX-License-Identifier: MIT
/*
 * Just enough AML to power off: find Name(\_S5, Package(){a, b, ...}) by
 * its bytes (ACPI 6.5, 20.2 AML grammar) without an interpreter. Firmware
 * that computes \_S5 in a method is not covered; every firmware we run on
 * (SeaBIOS/QEMU, qboot/microvm, Bochs) declares it as a plain package.
 */
#include "acpi_internal.h"

/*
 * Opcodes (ACPI 6.5, 20.3 "AML Byte Stream Byte Values"). The ones used:
 *   NameOp 0x08 NameString DataRefObject          (DefName)
 *   PackageOp 0x12 PkgLength NumElements(byte) PackageElement...
 *   ZeroOp/OneOp/OnesOp: the constants 0, 1 and all ones, in one byte
 *   BytePrefix..QWordPrefix: 1, 2, 4 or 8 little-endian bytes follow
 *   '\' (0x5c) RootChar: the name that follows is absolute
 * A NameSeg is four characters, padded with '_': "_S5" is "_S5_" in AML.
 */
#define AML_ZERO_OP	 0x00
#define AML_ONE_OP	 0x01
#define AML_NAME_OP	 0x08
#define AML_BYTE_PREFIX	 0x0a
#define AML_WORD_PREFIX	 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP	 0x12
#define AML_ROOT_CHAR	 0x5c
#define AML_ONES_OP	 0xff

/*
 * PkgLength (20.2.4): the lead byte's top two bits count the bytes that
 * follow; with none, its low six bits are the length, else its low nibble
 * is the least significant one. The length counts itself.
 *
 *   lead byte: bits 7:6 = n (0..3 bytes follow)
 *              n == 0: bits 5:0 = length (0..63)
 *              n  > 0: bits 5:4 reserved (0), bits 3:0 = length bits 3:0,
 *                      byte k (1..n) = length bits 8k+3 : 8k-4
 * so the largest length is 2^28 - 1. The reserved bits are not checked:
 * a nonzero one would only make the package look longer, and the caller
 * bounds that against the bytes that exist.
 */
static int aml_pkglen(const uint8_t *p, size_t avail, uint32_t *len, size_t *used)
{
	unsigned int n, i;

	if (!avail)
		return -1;
	n = p[0] >> 6;
	if (avail < 1 + (size_t)n)
		return -1;
	if (!n) {
		*len = p[0] & 0x3f;
	} else {
		*len = p[0] & 0x0f;
		for (i = 0; i < n; i++)
			*len |= (uint32_t)p[1 + i] << (4 + 8 * i);
	}
	*used = 1 + n;
	return 0;
}

/* An integer constant (20.2.3: ComputationalData, ConstObj). */
static int aml_integer(const uint8_t *p, size_t avail, uint64_t *v, size_t *used)
{
	size_t n;

	if (!avail)
		return -1;
	switch (p[0]) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
		*v = p[0];
		*used = 1;
		return 0;
	case AML_ONES_OP:
		/* All ones is 32 bits wide in a revision-1 DSDT and 64 after;
		 * only the low bits are ever used here, so the width is moot. */
		*v = ~0ull;
		*used = 1;
		return 0;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	case AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		return -1; /* a name, a method call, a string: not a constant */
	}
	if (avail < 1 + n)
		return -1;
	*v = n == 1 ? p[1] : n == 2 ? fw_le16(p + 1) : n == 4 ? fw_le32(p + 1) : fw_le64(p + 1);
	*used = 1 + n;
	return 0;
}

/* p points just past the name: PackageOp PkgLength NumElements elements...
 *
 * \_S5 (ACPI 6.5, "\_Sx (System States)"): the values to write into the
 * three-bit SLP_TYPx field (bits 12:10 of PM1a_CNT and PM1b_CNT, bits 4:2 of
 * the sleep control register) to enter soft-off. Elements past the second
 * are reserved and ignored. The PkgLength is checked against the bytes that
 * remain in the table before any element is read: the scan below also runs
 * on bytes that are not a package at all. */
static int s5_package(const uint8_t *p, size_t avail, uint8_t *a, uint8_t *b)
{
	uint32_t pkglen;
	size_t pos, used, end;
	uint64_t va, vb;
	uint8_t n;

	if (!avail || p[0] != AML_PACKAGE_OP || aml_pkglen(p + 1, avail - 1, &pkglen, &used))
		return -1;
	if (pkglen < used + 1 || pkglen > avail - 1)
		return -1;
	end = 1 + (size_t)pkglen;
	pos = 1 + used;
	n = p[pos++]; /* NumElements: may exceed the initialisers present */
	if (!n || aml_integer(p + pos, end - pos, &va, &used))
		return -1;
	pos += used;
	if (n == 1) {
		/* ACPI 1.0 packed both into one value: SLP_TYPa low byte, SLP_TYPb next. */
		vb = va >> 8;
	} else if (aml_integer(p + pos, end - pos, &vb, &used)) {
		return -1;
	}
	*a = va & 7;
	*b = vb & 7;
	return 0;
}

int acpi_s5_at(const void *aml, size_t len, size_t i, uint8_t *slp_typ_a, uint8_t *slp_typ_b)
{
	const uint8_t *p = aml;

	/* "_S5_" right after NameOp, or after NameOp and the root prefix
	 * (Name(\_S5, ...) inside a Scope). Those bytes can also sit inside
	 * a buffer or a method: they must then also decode as a package of
	 * integers to be taken. */
	if (i < 1 || i > len || len - i < 4 || memcmp(p + i, "_S5_", 4))
		return FW_ENOENT;
	if (p[i - 1] != AML_NAME_OP &&
	    (i < 2 || p[i - 1] != AML_ROOT_CHAR || p[i - 2] != AML_NAME_OP))
		return FW_ENOENT;
	return s5_package(p + i + 4, len - i - 4, slp_typ_a, slp_typ_b) ? FW_ENOENT : FW_OK;
}

/*
 * A byte scan, not a parse: every offset where acpi_s5_at holds, first one
 * wins. The offsets are visited by Horspool's skip on the byte under the
 * name's last character: a byte that is not in "_S5_" there means no match
 * can end before it, so the scan moves 4; '5' moves 1, 'S' 2, '_' 3 (the
 * distance to that byte's last place in "_S5" before the end). A DSDT is
 * mostly other bytes, so this reads about one byte in four: on QEMU's 8 KiB
 * q35 DSDT the byte-by-byte scan was 98 us of boot under -icount, this 31.
 * tests/host/test_acpi_synth.c and the ACPI fuzzer check it against
 * acpi_s5_at at every offset.
 */
int acpi_find_s5(const void *aml, size_t len, uint8_t *slp_typ_a, uint8_t *slp_typ_b)
{
	const uint8_t *p = aml;

	for (size_t i = 1; i + 4 <= len;) {
		switch (p[i + 3]) {
		case '_':
			if (!acpi_s5_at(aml, len, i, slp_typ_a, slp_typ_b))
				return FW_OK;
			i += 3;
			break;
		case 'S':
			i += 2;
			break;
		case '5':
			i += 1;
			break;
		default:
			i += 4;
		}
	}
	return FW_ENOENT;
}

void acpi_s5_from(struct acpi_info *out, const uint8_t *t, uint64_t pa, uint32_t len)
{
	uint8_t a, b;

	/* The AML starts after the 36-byte header (a DSDT or SSDT is a header
	 * and a TermList); the caller has checked len >= ACPI_HDR_LEN. */
	if (acpi_find_s5(t + ACPI_HDR_LEN, len - ACPI_HDR_LEN, &a, &b))
		return;
	out->s5.present = true;
	out->s5.slp_typ_a = a;
	out->s5.slp_typ_b = b;
	out->s5.table = pa;
}
