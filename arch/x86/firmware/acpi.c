// SPDX-License-Identifier: MIT
/*
 * ACPI tables, read-only, through fw_mem (ACPI 6.5, chapter 5). Every table
 * is checked (readable header, sane length, readable body, checksum) before
 * any field is used, and every field is read only when the table's own
 * length covers it, so older and shorter table revisions simply leave
 * fields zero. Termination never depends on the tables: the root's entry
 * count is capped and no pointer is followed more than one level deep.
 */
#include <firmware/acpi.h>
#include "acpi_internal.h"

/* RSDP (5.2.5.3): "RSD PTR ", checksum over the first 20 bytes, OEMID at 9,
 * Revision at 15, RsdtAddress at 16; from revision 2 (ACPI 2.0) Length at 20,
 * XsdtAddress at 24 and the extended checksum at 32 over Length bytes. */
#define RSDP_V1_LEN	 20
#define RSDP_V2_LEN	 36
#define RSDP_MAX_LEN	 4096
#define ROOT_MAX_ENTRIES 256 /* real machines list a few dozen tables */
#define FACS_MIN_LEN	 64  /* 5.2.10: the FACS is at least 64 bytes */

/*
 * A table with the standard 36-byte header (5.2.6: Signature, Length at 4,
 * Revision at 8, Checksum at 9, OEMID at 10, OEM Table ID at 16): mapped
 * header first, then its claimed length, and checksummed (all Length bytes
 * sum to 0) before any field is read.
 */
static const uint8_t *acpi_map_table(const struct fw_mem *m, uint64_t pa, uint32_t *len,
				     const char **why)
{
	const uint8_t *h = fwmem_map(m, pa, ACPI_HDR_LEN);
	const uint8_t *t;

	if (!pa || !h) {
		*why = "not readable";
		return NULL;
	}
	*len = fw_le32(h + 4);
	if (*len < ACPI_HDR_LEN || *len > ACPI_TABLE_MAX_LEN) {
		*why = "bad length";
		return NULL;
	}
	t = fwmem_map(m, pa, *len);
	if (!t) {
		*why = "runs past readable memory";
		return NULL;
	}
	if (fw_sum8(t, *len)) {
		*why = "bad checksum";
		return NULL;
	}
	return t;
}

static bool rsdp_check(const struct fw_mem *m, uint64_t pa, struct acpi_rsdp *out)
{
	const uint8_t *p = fwmem_map(m, pa, RSDP_V1_LEN);
	uint32_t len;

	if (!p || memcmp(p, "RSD PTR ", 8) || fw_sum8(p, RSDP_V1_LEN))
		return false;
	out->addr = pa;
	out->revision = p[15];
	fwmem_copy_id(out->oem_id, p + 9, 6);
	out->rsdt = fw_le32(p + 16);
	out->xsdt = 0;
	if (out->revision < 2)
		return true;
	/* 5.2.5.3: from revision 2 the extended checksum covers all of length. */
	p = fwmem_map(m, pa, RSDP_V2_LEN);
	if (!p)
		return false;
	len = fw_le32(p + 20);
	if (len < RSDP_V2_LEN || len > RSDP_MAX_LEN)
		return false;
	p = fwmem_map(m, pa, len);
	if (!p || fw_sum8(p, len))
		return false;
	out->xsdt = fw_le64(p + 24);
	return true;
}

static bool rsdp_scan(const struct fw_mem *m, uint64_t start, uint64_t end, struct acpi_rsdp *out)
{
	uint64_t pa;

	for (pa = start; pa + RSDP_V1_LEN <= end; pa += 16) {
		pa = fwmem_find16(m, pa, end, "RSD PTR ", 8);
		if (pa + RSDP_V1_LEN > end)
			break;
		if (rsdp_check(m, pa, out))
			return true;
	}
	return false;
}

/*
 * 5.2.5.1: on legacy BIOS systems the RSDP is in the first KiB of the EBDA or
 * in 0xE0000-0xFFFFF, on a 16-byte boundary. The hint is where the loader
 * said it is (Multiboot2/PVH's rsdp_paddr, UEFI): checked, never trusted.
 */
int acpi_find_rsdp(const struct fw_mem *m, uint64_t hint, struct acpi_rsdp *out)
{
	uint64_t ebda = fwmem_ebda(m);

	memset(out, 0, sizeof(*out));
	if (hint && rsdp_check(m, hint, out)) {
		out->from_hint = true;
		out->why = "ok";
		return FW_OK;
	}
	if ((ebda && rsdp_scan(m, ebda, ebda + 1024, out)) ||
	    rsdp_scan(m, 0xe0000, 0x100000, out)) {
		out->why = hint ? "hint invalid, found by search" : "ok";
		return FW_OK;
	}
	memset(out, 0, sizeof(*out));
	out->why = hint ? "no RSDP at hint or in BIOS areas" : "no RSDP in BIOS areas";
	return FW_ENOENT;
}

/* h is the table's standard header, or NULL for the FACS, which has none. */
static void table_ref(struct acpi_table *t, const char *sig, const uint8_t *h, uint64_t pa,
		      uint32_t len)
{
	memset(t, 0, sizeof(*t));
	fwmem_copy_id(t->sig, sig, 4);
	t->addr = pa;
	t->length = len;
	if (h) {
		t->revision = h[8];
		fwmem_copy_id(t->oem_id, h + 10, 6);
		fwmem_copy_id(t->oem_table_id, h + 16, 8);
	}
}

static bool table_listed(const struct acpi_info *out, uint64_t pa)
{
	unsigned int i;

	for (i = 0; i < out->ntables; i++)
		if (out->tables[i].addr == pa)
			return true;
	return false;
}

static void table_add(struct acpi_info *out, const char *sig, const uint8_t *h, uint64_t pa,
		      uint32_t len)
{
	if (out->ntables == ACPI_MAX_TABLES) {
		out->tables_dropped++;
		return;
	}
	table_ref(&out->tables[out->ntables++], sig, h, pa, len);
}

/*
 * Xen 4.17 builds the PVH dom0 XSDT from a header copied from the host's
 * (absent, under SeaBIOS) XSDT, so its signature is whatever lies at address
 * 0, while length, checksum and entries are right. Take such a root when its
 * shape is right and its first entry is a valid table.
 */
static bool xsdt_plausible(const struct fw_mem *m, const uint8_t *t, uint32_t len)
{
	const char *why;
	uint32_t elen;

	if (len < ACPI_HDR_LEN + 8 || (len - ACPI_HDR_LEN) % 8)
		return false;
	return acpi_map_table(m, fw_le64(t + ACPI_HDR_LEN), &elen, &why) != NULL;
}

static const uint8_t *root_map(const struct fw_mem *m, struct acpi_info *out, uint64_t pa,
			       const char *sig, uint32_t *len)
{
	const char *why;
	const uint8_t *t = acpi_map_table(m, pa, len, &why);

	if (!t) {
		acpi_note(out, sig, why, pa, 0);
		return NULL;
	}
	if (memcmp(t, sig, 4)) {
		if (sig[0] != 'X' || !xsdt_plausible(m, t, *len)) {
			acpi_note(out, sig, "bad signature", pa, 0);
			return NULL;
		}
		acpi_note(out, sig, "bad signature, accepted (Xen 4.17)", pa, 0);
	}
	return t;
}

/*
 * The HPET table is not in the ACPI spec but in the IA-PC HPET spec 1.0a,
 * 3.2.4: after the 36-byte header, Event Timer Block ID (the capabilities
 * register's low 32 bits) at 36, the block's base as a Generic Address at 40,
 * HPET Number at 52, Main Counter Minimum Clock Tick in periodic mode at 53,
 * Page Protection and OEM attribute at 55: 56 bytes in all.
 */
static void parse_hpet(struct acpi_info *out, const uint8_t *t, uint64_t pa, uint32_t len)
{
	if (len < 56) {
		acpi_note(out, "HPET", "too short", pa, len);
		return;
	}
	out->hpet.present = true;
	out->hpet.block_id = fw_le32(t + 36);
	acpi_read_gas(&out->hpet.base, t + 40);
	out->hpet.number = t[52];
	out->hpet.min_tick = fw_le16(t + 53);
	out->hpet.page_protection = t[55];
}

static void parse_entry(const struct fw_mem *m, struct acpi_info *out, uint64_t pa)
{
	const char *why;
	uint32_t len;
	const uint8_t *t = acpi_map_table(m, pa, &len, &why);

	if (!t) {
		const uint8_t *h = fwmem_map(m, pa, 4);

		acpi_note(out, h ? (const char *)h : "????", why, pa, 0);
		return;
	}
	table_add(out, (const char *)t, t, pa, len);
	if (!memcmp(t, "APIC", 4) && !out->madt.present)
		acpi_parse_madt(out, t, pa, len);
	else if (!memcmp(t, "FACP", 4) && !out->fadt.present)
		acpi_parse_fadt(out, t, pa, len);
	else if (!memcmp(t, "HPET", 4) && !out->hpet.present)
		parse_hpet(out, t, pa, len);
}

/* The root's entries follow its header: 32-bit addresses in the RSDT
 * (5.2.7), 64-bit ones in the XSDT (5.2.8), esize bytes each. */
static void walk_root(const struct fw_mem *m, struct acpi_info *out, const uint8_t *t, uint32_t len,
		      unsigned int esize)
{
	uint32_t n = (len - ACPI_HDR_LEN) / esize;
	uint32_t i;

	if ((len - ACPI_HDR_LEN) % esize)
		acpi_note(out, out->root.sig, "length not a whole number of entries",
			  out->root.addr, len);
	if (n > ROOT_MAX_ENTRIES) {
		acpi_note(out, out->root.sig, "too many entries, ignoring the rest", out->root.addr,
			  ACPI_HDR_LEN + ROOT_MAX_ENTRIES * esize);
		n = ROOT_MAX_ENTRIES;
	}
	for (i = 0; i < n; i++) {
		uint32_t off = ACPI_HDR_LEN + i * esize;
		uint64_t pa = esize == 8 ? fw_le64(t + off) : fw_le32(t + off);

		/* Listing the root itself or a table twice would be harmless, but skip it. */
		if (!pa)
			acpi_note(out, out->root.sig, "null entry", out->root.addr, off);
		else if (table_listed(out, pa))
			acpi_note(out, out->root.sig, "duplicate entry", out->root.addr, off);
		else
			parse_entry(m, out, pa);
	}
}

/* DSDT and FACS hang off the FADT, not the root (5.2.9). */
static void parse_fadt_children(const struct fw_mem *m, struct acpi_info *out)
{
	const uint8_t *t;
	const char *why;
	uint32_t len;
	uint64_t pa = out->fadt.dsdt;

	if (pa && !table_listed(out, pa)) {
		t = acpi_map_table(m, pa, &len, &why);
		if (!t) {
			acpi_note(out, "DSDT", why, pa, 0);
		} else if (memcmp(t, "DSDT", 4)) {
			acpi_note(out, "DSDT", "bad signature", pa, 0);
		} else {
			table_add(out, "DSDT", t, pa, len);
		}
	}
	pa = out->fadt.facs;
	if (pa && !table_listed(out, pa)) {
		/* The FACS has a signature and a length but no checksum (5.2.10). */
		t = fwmem_map(m, pa, 8);
		len = t ? fw_le32(t + 4) : 0;
		if (!t || memcmp(t, "FACS", 4) || len < FACS_MIN_LEN || len > ACPI_TABLE_MAX_LEN ||
		    !fwmem_map(m, pa, len))
			acpi_note(out, "FACS", "unusable", pa, 0);
		else
			table_add(out, "FACS", NULL, pa, len);
	}
}

/*
 * \_S5 is in the DSDT on every firmware we know; look in SSDTs too, as some
 * firmware moves sleep objects there. Each table was checked when listed.
 */
static void find_s5(const struct fw_mem *m, struct acpi_info *out)
{
	static const char *const sigs[] = {"DSDT", "SSDT"};
	unsigned int i, j;

	for (j = 0; j < 2; j++) {
		for (i = 0; i < out->ntables && !out->s5.present; i++) {
			const struct acpi_table *r = &out->tables[i];
			const uint8_t *t;

			if (memcmp(r->sig, sigs[j], 4))
				continue;
			/* The FADT names the one DSDT (5.2.9); another table called
			 * DSDT (listed in the root) is not it. */
			if (j == 0 && out->fadt.dsdt && r->addr != out->fadt.dsdt) {
				acpi_note(out, "DSDT", "not the FADT's DSDT: ignored", r->addr, 0);
				continue;
			}
			t = fwmem_map(m, r->addr, r->length);
			if (t && r->length >= ACPI_HDR_LEN)
				acpi_s5_from(out, t, r->addr, r->length);
		}
	}
}

int acpi_parse(const struct fw_mem *m, const struct acpi_rsdp *rsdp, struct acpi_info *out)
{
	const uint8_t *t = NULL;
	uint32_t len = 0;

	memset(out, 0, sizeof(*out));
	out->revision = rsdp->revision;
	memcpy(out->oem_id, rsdp->oem_id, sizeof(out->oem_id));
	out->oem_id[sizeof(out->oem_id) - 1] = '\0';
	/* 5.2.5.3: a revision 2+ RSDP's XSDT is to be used in preference to
	 * the RSDT; the RSDT stays the fallback when the XSDT is unusable. */
	if (rsdp->revision >= 2 && rsdp->xsdt) {
		t = root_map(m, out, rsdp->xsdt, "XSDT", &len);
		if (t) {
			out->xsdt = true;
			table_ref(&out->root, "XSDT", t, rsdp->xsdt, len);
		} else if (rsdp->rsdt) {
			acpi_note(out, "RSDT", "used instead of the XSDT", rsdp->rsdt, 0);
		}
	}
	if (!t && rsdp->rsdt) {
		t = root_map(m, out, rsdp->rsdt, "RSDT", &len);
		if (t)
			table_ref(&out->root, "RSDT", t, rsdp->rsdt, len);
	}
	if (!t) {
		out->why = "no usable RSDT or XSDT";
		return FW_EINVAL;
	}
	out->tables[out->ntables++] = out->root;
	walk_root(m, out, t, len, out->xsdt ? 8 : 4);
	if (out->fadt.present)
		parse_fadt_children(m, out);
	find_s5(m, out);
	out->why = "ok";
	return FW_OK;
}

const struct acpi_table *acpi_table_find(const struct acpi_info *info, const char *sig,
					 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < info->ntables; i++)
		if (!strncmp(info->tables[i].sig, sig, 4) && !n--)
			return &info->tables[i];
	return NULL;
}
