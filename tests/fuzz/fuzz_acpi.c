// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the ACPI reader. The input is physical memory from
 * BASE up: the RSDP is looked for at BASE (the hint), else by the BIOS-area
 * search, which BASE puts over the input; then the tables are parsed. The
 * same bytes are also searched for \_S5 as if they were a DSDT.
 * Seeds: tests/fuzz/mkseeds.py (captured tables, relocated to BASE).
 */
#include <stdlib.h>
#include <firmware/acpi.h>

#define BASE 0xe0000u

/* Whatever the input, the result must stay inside its own limits and the image. */
static void check(const struct acpi_info *info, size_t size)
{
	unsigned int i;

	if (info->ntables > ACPI_MAX_TABLES || info->problems.n > FW_PROBLEMS_MAX ||
	    info->madt.ncpus > ACPI_MAX_CPUS || info->madt.nioapics > ACPI_MAX_IOAPICS ||
	    info->madt.noverrides > ACPI_MAX_OVERRIDES || info->madt.nlapic_nmis > ACPI_MAX_NMIS ||
	    info->madt.nnmi_sources > ACPI_MAX_NMIS || !info->why)
		abort();
	for (i = 0; i < info->ntables; i++) {
		const struct acpi_table *t = &info->tables[i];

		if (t->addr < BASE || t->addr - BASE > size ||
		    t->length > size - (t->addr - BASE) || strlen(t->sig) > 4 ||
		    strlen(t->oem_id) > 6 || strlen(t->oem_table_id) > 8)
			abort();
	}
	if (info->ntables && acpi_table_find(info, info->tables[0].sig, 0) != &info->tables[0])
		abort();
	for (i = 0; i < info->problems.n; i++)
		if (!info->problems.item[i].what || strlen(info->problems.item[i].tag) > 4)
			abort();
}

static void run(const uint8_t *data, size_t size)
{
	static struct acpi_info info;
	struct fwmem_flat flat;
	struct fw_mem m;
	struct acpi_rsdp rsdp;

	fwmem_flat_init(&m, &flat, data, BASE, size);
	if (!acpi_find_rsdp(&m, BASE, &rsdp)) {
		if (rsdp.addr < BASE || rsdp.addr - BASE + 20 > size)
			abort();
		acpi_parse(&m, &rsdp, &info);
		check(&info, size);
	}
}

/* ---- checksum repair, so that mutations get past the checksums ---------- */

static uint8_t *img_at(uint8_t *img, size_t size, uint64_t pa, size_t len)
{
	if (pa < BASE || pa - BASE > size || len > size - (pa - BASE))
		return NULL;
	return img + (pa - BASE);
}

static void resum(uint8_t *p, size_t len, size_t off)
{
	p[off] = 0;
	p[off] = (uint8_t)(0x100 - fw_sum8(p, len));
}

/* Re-sum the table at pa (if it lies in the image); returns it and its length. */
static uint8_t *fix_table(uint8_t *img, size_t size, uint64_t pa, uint32_t *len)
{
	uint8_t *t = img_at(img, size, pa, 36);

	if (!t)
		return NULL;
	*len = fw_le32(t + 4);
	if (*len < 36 || !img_at(img, size, pa, *len))
		return NULL;
	resum(t, *len, 9);
	return t;
}

static void fix_root(uint8_t *img, size_t size, uint64_t pa, unsigned int esize)
{
	uint32_t len, tlen, dlen, off;
	uint8_t *r = fix_table(img, size, pa, &len);

	if (!r)
		return;
	for (off = 36; off + esize <= len && off < 36 + 64 * esize; off += esize) {
		uint64_t e = esize == 8 ? fw_le64(r + off) : fw_le32(r + off);
		uint8_t *t = fix_table(img, size, e, &tlen);

		if (t && !memcmp(t, "FACP", 4) && tlen >= 44) {
			uint64_t x = tlen >= 148 ? fw_le64(t + 140) : 0;

			fix_table(img, size, fw_le32(t + 40), &dlen);
			fix_table(img, size, x, &dlen);
			/* the FADT's own sum last: a DSDT may overlap it */
			fix_table(img, size, e, &tlen);
		}
	}
	/* tables may overlap the root: re-sum it last */
	fix_table(img, size, pa, &len);
}

static void fix_sums(uint8_t *img, size_t size)
{
	uint32_t len;

	if (size < 36 || memcmp(img, "RSD PTR ", 8))
		return;
	fix_root(img, size, fw_le32(img + 16), 4);
	if (img[15] >= 2)
		fix_root(img, size, fw_le64(img + 24), 8);
	resum(img, 20, 8);
	len = fw_le32(img + 20);
	if (img[15] >= 2 && len >= 36 && len <= size)
		resum(img, len, 32);
}

/*
 * Every input runs twice: as it is, and with the checksums of the tables
 * it points to repaired, or nearly every mutation would stop at a checksum.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	uint8_t a = 0, b = 0;

	run(data, size);
	int err = acpi_find_s5(data, size, &a, &b);
	if (!err && (a > 7 || b > 7))
		abort();
	/* The skipping scan finds what trying every offset finds. */
	uint8_t a2 = 0, b2 = 0;
	size_t i = 0;
	while (i <= size && acpi_s5_at(data, size, i, &a2, &b2))
		i++;
	if ((i <= size) != !err || (!err && (a != a2 || b != b2)))
		abort();
	memcpy(copy, data, size);
	fix_sums(copy, size);
	run(copy, size);
	free(copy);
	return 0;
}
