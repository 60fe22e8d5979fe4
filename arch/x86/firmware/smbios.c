// SPDX-License-Identifier: MIT
/*
 * SMBIOS through fw_mem (DSP0134 3.6). The structure table is mapped once,
 * its length capped at SMBIOS_TABLE_MAX_LEN, and walked structure by
 * structure: formatted area (its length byte, at least 4), then the string
 * set, which ends in a double NUL that must lie inside the table. Each
 * structure moves the walk forward by at least 6 bytes, so it ends.
 */
#include <firmware/smbios.h>

#define EP2_MIN_LEN 0x1e /* 2.1 entry points say 0x1E by an erratum of the 2.1 spec */
#define EP2_MAX_LEN 0x20
#define EP3_MIN_LEN 0x18
#define EP3_MAX_LEN 0x40
#define TYPE_BIOS   0
#define TYPE_SYSTEM 1
#define TYPE_END    127
#define STRUCT_HDR  4

static int fail(struct smbios_info *out, int err, const char *why)
{
	out->why = why;
	return err;
}

/* A mapped entry point of its stated length with a zero checksum, or NULL. */
static const uint8_t *map_entry(const struct fw_mem *m, uint64_t pa, unsigned int len_off,
				unsigned int min, unsigned int max)
{
	const uint8_t *p = fwmem_map(m, pa, min);
	unsigned int len;

	if (!p)
		return NULL;
	len = p[len_off];
	if (len < min || len > max)
		return NULL;
	p = fwmem_map(m, pa, len);
	return p && !fw_sum8(p, len) ? p : NULL;
}

/*
 * The 32-bit entry point (DSP0134 5.2.1): "_SM_", checksum at 4, length at 5,
 * major/minor version at 6/7, max structure size at 8, then the intermediate
 * "_DMI_" anchor at 0x10 with its own checksum, the table's length (16 bits)
 * at 0x16, its 32-bit address at 0x18 and the structure count at 0x1C.
 */
static const uint8_t *map_v2(const struct fw_mem *m, uint64_t pa)
{
	const uint8_t *p = fwmem_map(m, pa, 4);

	if (!p || memcmp(p, "_SM_", 4))
		return NULL;
	if (!map_entry(m, pa, 5, EP2_MIN_LEN, EP2_MAX_LEN))
		return NULL;
	/*
	 * The legacy DMI part, 15 bytes at 0x10, has its own checksum; it ends
	 * at 0x1F even where the stated length is the erratum's 0x1E.
	 */
	p = fwmem_map(m, pa, 0x1f);
	if (!p || memcmp(p + 0x10, "_DMI_", 5) || fw_sum8(p + 0x10, 15))
		return NULL;
	return p;
}

/*
 * The 64-bit entry point (DSP0134 5.2.2, SMBIOS 3.0): "_SM3_", checksum at 5,
 * length at 6, version at 7-9, the table's maximum size (32 bits) at 0x0C and
 * its 64-bit address at 0x10. No structure count: the walk ends at the
 * end-of-table structure (type 127) or the maximum size.
 */
static const uint8_t *map_v3(const struct fw_mem *m, uint64_t pa)
{
	const uint8_t *p = fwmem_map(m, pa, 5);

	if (!p || memcmp(p, "_SM3_", 5))
		return NULL;
	return map_entry(m, pa, 6, EP3_MIN_LEN, EP3_MAX_LEN);
}

/* Copy string number idx (from 1) of the set in [s, end) into dst. */
static void get_string(char *dst, const uint8_t *s, const uint8_t *end, uint8_t idx)
{
	size_t n = 0;

	dst[0] = '\0';
	if (!idx)
		return;
	while (--idx && s < end)
		s += strnlen((const char *)s, (size_t)(end - s)) + 1;
	for (; s < end && *s && n < SMBIOS_STR_MAX - 1; s++)
		dst[n++] = *s >= 0x20 && *s < 0x7f ? (char)*s : '?';
	dst[n] = '\0';
}

/* A structure: formatted area f of flen bytes, strings in [s, end). */
static void take_struct(struct smbios_info *out, const uint8_t *f, uint8_t flen, const uint8_t *s,
			const uint8_t *end)
{
	bool first = !smbios_has_type(out, f[0]);

	out->types[f[0] / 8] |= (uint8_t)(1u << (f[0] % 8));
	if (!first)
		return;
	/* Type 0, BIOS Information (7.1): string numbers of Vendor at 4,
	 * BIOS Version at 5, BIOS Release Date at 8. Type 1, System
	 * Information (7.2): Manufacturer 4, Product Name 5, Version 6, Serial
	 * Number 7, then from SMBIOS 2.1 the 16-byte UUID at 8. A string
	 * number 0 means no string (6.1.3). */
	if (f[0] == TYPE_BIOS && flen >= 9) {
		get_string(out->bios_vendor, s, end, f[4]);
		get_string(out->bios_version, s, end, f[5]);
		get_string(out->bios_date, s, end, f[8]);
	} else if (f[0] == TYPE_SYSTEM && flen >= 8) {
		get_string(out->sys_manufacturer, s, end, f[4]);
		get_string(out->sys_product, s, end, f[5]);
		get_string(out->sys_version, s, end, f[6]);
		get_string(out->sys_serial, s, end, f[7]);
		if (flen >= 0x18) {
			out->has_uuid = true;
			memcpy(out->sys_uuid, f + 8, 16);
		}
	}
}

/* Index of the double NUL ending the string set that starts at s, or 0. */
static uint32_t strings_end(const uint8_t *t, uint32_t s, uint32_t len)
{
	uint32_t i;

	for (i = s; i + 1 < len; i++)
		if (!t[i] && !t[i + 1])
			return i + 2;
	return 0;
}

static void walk(struct smbios_info *out, const uint8_t *t, uint32_t len)
{
	uint32_t off = 0;

	while (len - off >= STRUCT_HDR) {
		uint8_t flen = t[off + 1];
		uint32_t end;

		if (!out->v3 && out->stated_count && out->nstructs == out->stated_count)
			break;
		if (flen < STRUCT_HDR) {
			fwmem_note(&out->problems, "SMBS", "structure length below 4", out->table,
				   off);
			break;
		}
		if (flen > len - off) {
			fwmem_note(&out->problems, "SMBS", "structure runs past the table",
				   out->table, off);
			break;
		}
		end = strings_end(t, off + flen, len);
		if (!end) {
			fwmem_note(&out->problems, "SMBS", "strings without double NUL", out->table,
				   off);
			break;
		}
		take_struct(out, t + off, flen, t + off + flen, t + end);
		out->nstructs++;
		if (t[off] == TYPE_END)
			break;
		off = end;
	}
}

int smbios_parse(const struct fw_mem *m, uint64_t entry, struct smbios_info *out)
{
	const uint8_t *p, *t;

	memset(out, 0, sizeof(*out));
	out->entry = entry;
	if ((p = map_v3(m, entry))) {
		out->v3 = true;
		out->major = p[7];
		out->minor = p[8];
		out->docrev = p[9];
		out->table_len = fw_le32(p + 12);
		out->table = fw_le64(p + 16);
	} else if ((p = map_v2(m, entry))) {
		out->major = p[6];
		out->minor = p[7];
		out->table_len = fw_le16(p + 0x16);
		out->table = fw_le32(p + 0x18);
		out->stated_count = fw_le16(p + 0x1c);
	} else {
		return fail(out, FW_EINVAL, "no valid entry point");
	}
	if (out->table_len > SMBIOS_TABLE_MAX_LEN) {
		fwmem_note(&out->problems, "_SM3", "table size capped at 64 KiB", entry, 12);
		out->table_len = SMBIOS_TABLE_MAX_LEN;
	}
	if (!out->table || out->table_len < STRUCT_HDR)
		return fail(out, FW_EINVAL, "no structure table");
	t = fwmem_map(m, out->table, out->table_len);
	/*
	 * 3.0 states only a maximum size: the table may end well before
	 * memory does, so try shorter prefixes; the walk stops at type 127.
	 */
	while (!t && out->v3 && out->table_len > 256) {
		out->table_len /= 2;
		t = fwmem_map(m, out->table, out->table_len);
	}
	if (!t)
		return fail(out, FW_EINVAL, "structure table not readable");
	walk(out, t, out->table_len);
	out->why = "ok";
	return FW_OK;
}

int smbios_find(const struct fw_mem *m, struct smbios_info *out)
{
	uint64_t pa, v2 = 0, v3 = 0;
	int err;

	for (pa = 0xf0000; pa < 0x100000 && !v3; pa += 16) {
		/* "_SM3_" and "_SM_" both start with "_SM". */
		pa = fwmem_find16(m, pa, 0x100000, "_SM", 3);
		if (pa >= 0x100000)
			break;
		if (map_v3(m, pa))
			v3 = pa;
		else if (!v2 && map_v2(m, pa))
			v2 = pa;
	}
	if (v3) {
		err = smbios_parse(m, v3, out);
		if (!err || !v2)
			return err;
	}
	if (!v2) {
		memset(out, 0, sizeof(*out));
		return fail(out, FW_ENOENT, "no SMBIOS entry point");
	}
	err = smbios_parse(m, v2, out);
	if (v3)
		fwmem_note(&out->problems, "_SM3", "unusable, using _SM_", v3, 0);
	return err;
}
