// SPDX-License-Identifier: MIT
/*
 * SMBIOS reader tests: the captured images (SeaBIOS 2.8 and 3.0 entry
 * points, Bochs, SeaBIOS's own isapc table), malformed variants, and
 * synthetic tables for string handling and entry point preference.
 */
#include <firmware/smbios.h>
#include "harness.h"
#include "fwimg.h"

static const char *dir;
static struct smbios_info info;

static int load_find(struct fwimg *img, const char *name)
{
	harness_set_context(name);
	if (fwimg_load(img, dir, name)) {
		CHECK(!"image missing");
		return FW_ENOENT;
	}
	return smbios_find(&img->mem, &info);
}

static bool has_problem(const char *what)
{
	unsigned int i;

	for (i = 0; i < info.problems.n; i++)
		if (strstr(info.problems.item[i].what, what))
			return true;
	return false;
}

static void check_seabios(void)
{
	static const uint8_t types[] = {0, 1, 3, 4, 16, 17, 19, 32, 127};
	unsigned int i;

	CHECK_STR(info.bios_vendor, "SeaBIOS");
	CHECK_STR(info.bios_version, "1.16.2-debian-1.16.2-1");
	CHECK_STR(info.bios_date, "04/01/2014");
	CHECK(info.has_uuid);
	CHECK_EQ(info.nstructs, 9);
	for (i = 0; i < sizeof(types); i++)
		CHECK(smbios_has_type(&info, types[i]));
	CHECK(!smbios_has_type(&info, 2));
	CHECK_EQ(info.problems.n, 0);
}

static void test_images(void)
{
	struct fwimg img;

	CHECK_EQ(load_find(&img, "qemu-pc"), FW_OK);
	CHECK(!info.v3);
	CHECK_EQ(info.entry, 0xf59f0);
	CHECK(info.major == 2 && info.minor == 8);
	CHECK_EQ(info.table, 0xf5a10);
	CHECK_EQ(info.table_len, 388);
	CHECK_EQ(info.stated_count, 9);
	check_seabios();
	CHECK_STR(info.sys_manufacturer, "QEMU");
	CHECK_STR(info.sys_product, "Standard PC (i440FX + PIIX, 1996)");
	CHECK_STR(info.sys_version, "pc-i440fx-7.2");
	CHECK_STR(info.sys_serial, "");
	fwimg_free(&img);

	CHECK_EQ(load_find(&img, "qemu-q35"), FW_OK);
	check_seabios();
	CHECK_STR(info.sys_product, "Standard PC (Q35 + ICH9, 2009)");
	CHECK_STR(info.sys_version, "pc-q35-7.2");
	fwimg_free(&img);

	CHECK_EQ(load_find(&img, "qemu-pc-smbios3"), FW_OK);
	CHECK(info.v3);
	CHECK(info.major == 3 && info.minor == 0);
	CHECK_EQ(info.nstructs, 9);
	CHECK_STR(info.bios_vendor, "Phoenix Technologies LTD");
	CHECK_STR(info.bios_version, "6.00");
	CHECK_STR(info.sys_manufacturer, "VMware, Inc.");
	CHECK_STR(info.sys_product, "VMware Virtual Platform");
	CHECK_STR(info.sys_serial, "VMware-56 4d 00 11 22 33 44 55-66 77 88 99 aa bb cc dd");
	CHECK_EQ(info.problems.n, 0);
	fwimg_free(&img);

	/* QEMU gives isapc no SMBIOS: SeaBIOS writes its own 2.4 table. */
	CHECK_EQ(load_find(&img, "qemu-isapc"), FW_OK);
	CHECK(info.major == 2 && info.minor == 4);
	CHECK_STR(info.bios_vendor, "Bochs");
	CHECK_STR(info.sys_manufacturer, "Bochs");
	CHECK_STR(info.sys_product, "Bochs");
	fwimg_free(&img);

	/* Bochs: its type 1 names no strings at all. */
	CHECK_EQ(load_find(&img, "bochs-i440fx"), FW_OK);
	CHECK_STR(info.bios_vendor, "The Bochs Project");
	CHECK_STR(info.bios_version, "Bochs 2.7");
	CHECK_STR(info.bios_date, "29/12/2019");
	CHECK(smbios_has_type(&info, 1));
	CHECK_STR(info.sys_manufacturer, "");
	CHECK_EQ(info.nstructs, 11);
	CHECK_EQ(info.problems.n, 0);
	fwimg_free(&img);

	CHECK_EQ(load_find(&img, "qemu-microvm"), FW_ENOENT);
	CHECK_STR(info.why, "no SMBIOS entry point");
	fwimg_free(&img);
}

/* ---- malformed variants of qemu-pc's table ------------------------------- */

#define EP 0xf59f0u

static struct fwimg *fresh(const char *what)
{
	static struct fwimg img;

	fwimg_free(&img);
	load_find(&img, "qemu-pc");
	harness_set_context(what);
	return &img;
}

static void resum_ep(struct fwimg *img)
{
	uint8_t *p = fwimg_ptr(img, EP, 0x1f);

	fwimg_fix_sum(p + 0x10, 15, 5); /* the _DMI_ part covers the table fields */
	fwimg_fix_sum(p, p[5], 4);
}

/* Offset of structure n (from 0) in the table, walked independently. */
static uint32_t struct_off(const uint8_t *t, unsigned int n)
{
	uint32_t off = 0;

	while (n--) {
		off += t[off + 1];
		while (t[off] || t[off + 1])
			off++;
		off += 2;
	}
	return off;
}

static void test_bad(void)
{
	struct fwimg *img;
	uint8_t *p, *t;

	img = fresh("entry point checksum");
	fwimg_ptr(img, EP, 0x1f)[4] ^= 1;
	CHECK_EQ(smbios_find(&img->mem, &info), FW_ENOENT);

	img = fresh("_DMI_ checksum");
	fwimg_ptr(img, EP, 0x1f)[0x15] ^= 1;
	CHECK_EQ(smbios_find(&img->mem, &info), FW_ENOENT);

	img = fresh("entry point length 0x1e (2.1 erratum)");
	p = fwimg_ptr(img, EP, 0x1f);
	p[5] = 0x1e;
	resum_ep(img);
	CHECK_EQ(smbios_find(&img->mem, &info), FW_OK);
	CHECK_EQ(info.nstructs, 9);

	img = fresh("entry point length 0x40");
	fwimg_ptr(img, EP, 0x1f)[5] = 0x40;
	CHECK_EQ(smbios_find(&img->mem, &info), FW_ENOENT);

	img = fresh("table unreadable");
	img->hole_lo = 0xf5a10 + 300;
	img->hole_hi = 0xf5a10 + 301;
	CHECK_EQ(smbios_find(&img->mem, &info), FW_EINVAL);
	CHECK_STR(info.why, "structure table not readable");

	/* End the table one byte early: the type 32 strings lose their final NUL. */
	img = fresh("no double NUL before the end");
	t = fwimg_ptr(img, 0xf5a10, 388);
	p = fwimg_ptr(img, EP, 0x1f);
	CHECK_EQ(t[struct_off(t, 8)], 127);
	p[0x16] = (uint8_t)(struct_off(t, 8) - 1);
	p[0x17] = (uint8_t)((struct_off(t, 8) - 1) >> 8);
	resum_ep(img);
	CHECK_EQ(smbios_find(&img->mem, &info), FW_OK);
	CHECK_EQ(info.nstructs, 7);
	CHECK(has_problem("double NUL"));
	CHECK_STR(info.sys_product, "Standard PC (i440FX + PIIX, 1996)");

	/* The end-of-table structure's terminator overwritten. */
	img = fresh("last strings unterminated");
	t = fwimg_ptr(img, 0xf5a10, 388);
	CHECK(t[386] == 0 && t[387] == 0);
	t[386] = 'A', t[387] = 'B';
	CHECK_EQ(smbios_find(&img->mem, &info), FW_OK);
	CHECK_EQ(info.nstructs, 8);
	CHECK(has_problem("double NUL"));

	img = fresh("structure length 2");
	t = fwimg_ptr(img, 0xf5a10, 388);
	t[struct_off(t, 1) + 1] = 2;
	CHECK_EQ(smbios_find(&img->mem, &info), FW_OK);
	CHECK_EQ(info.nstructs, 1);
	CHECK(!smbios_has_type(&info, 1));
	CHECK(has_problem("below 4"));

	img = fresh("structure length past the end");
	t = fwimg_ptr(img, 0xf5a10, 388);
	t[struct_off(t, 8) + 1] = 0xff;
	CHECK_EQ(smbios_find(&img->mem, &info), FW_OK);
	CHECK_EQ(info.nstructs, 8);
	CHECK(has_problem("past the table"));

	/* Control bytes in a string; a string index past the set. */
	img = fresh("odd strings");
	t = fwimg_ptr(img, 0xf5a10, 388);
	p = t + struct_off(t, 0);
	p[p[1]] = 0x01;	    /* "SeaBIOS" -> "?eaBIOS" */
	p[p[1] + 2] = 0xe9; /* -> "?e?BIOS" */
	p[5] = 9;	    /* the version: no such string */
	CHECK_EQ(smbios_find(&img->mem, &info), FW_OK);
	CHECK_STR(info.bios_vendor, "?e?BIOS");
	CHECK_STR(info.bios_version, "");
	fwimg_free(img);
}

/* ---- synthetic: the F segment with both entry points ---------------------- */

static uint8_t fseg[0x10000]; /* physical 0xf0000 - 0xfffff */

static void set_le(uint8_t *p, uint64_t v, int n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

static void put_v2(uint32_t pa, uint32_t table, uint16_t len, uint16_t count)
{
	uint8_t *p = fseg + (pa - 0xf0000);

	memset(p, 0, 0x1f);
	memcpy(p, "_SM_", 4);
	p[5] = 0x1f, p[6] = 2, p[7] = 8;
	memcpy(p + 0x10, "_DMI_", 5);
	set_le(p + 0x16, len, 2);
	set_le(p + 0x18, table, 4);
	set_le(p + 0x1c, count, 2);
	fwimg_fix_sum(p + 0x10, 15, 5);
	fwimg_fix_sum(p, 0x1f, 4);
}

static void put_v3(uint32_t pa, uint64_t table, uint32_t max)
{
	uint8_t *p = fseg + (pa - 0xf0000);

	memset(p, 0, 0x18);
	memcpy(p, "_SM3_", 5);
	p[6] = 0x18, p[7] = 3, p[8] = 2;
	set_le(p + 12, max, 4);
	set_le(p + 16, table, 8);
	fwimg_fix_sum(p, 0x18, 5);
}

static void test_synthetic(void)
{
	static const uint8_t table[] =
		"\x00\x12\x00\x00\x01\x02\x00\x00\x03\x00\x00\x00\x00\x00"
		"\x00\x00\x00\x00"
		"A long vendor name that goes on and on past the sixty-three "
		"character limit\0v1\0d\0\0"
		"\x01\x08\x01\x00\x01\x02\x00\x03"
		"Mk\x01r\0Prod\0\0"
		"\x7f\x04\x02\x00\0\0";
	struct fwmem_flat f;
	struct fw_mem m;

	fwmem_flat_init(&m, &f, fseg, 0xf0000, sizeof(fseg));
	memcpy(fseg + 0x1000, table, sizeof(table) - 1);

	harness_set_context("_SM3_ preferred over _SM_");
	put_v2(0xf0000, 0xf1000, sizeof(table) - 1, 3);
	put_v3(0xf0100, 0xf1000, sizeof(table) - 1);
	CHECK_EQ(smbios_find(&m, &info), FW_OK);
	CHECK(info.v3 && info.entry == 0xf0100);
	CHECK_EQ(info.nstructs, 3);
	CHECK_EQ(strlen(info.bios_vendor), 63);
	CHECK(!strncmp(info.bios_vendor, "A long vendor name", 18));
	CHECK_STR(info.bios_version, "v1");
	CHECK_STR(info.bios_date, "d");
	CHECK_STR(info.sys_manufacturer, "Mk?r");
	CHECK_STR(info.sys_product, "Prod");
	CHECK_STR(info.sys_version, "");
	CHECK_STR(info.sys_serial, ""); /* string 3 of 2 */
	CHECK(!info.has_uuid);		/* a 2.0-sized type 1 */

	harness_set_context("_SM3_ with an unreadable table, then _SM_");
	put_v3(0xf0100, 0x100000000ull, 0x100);
	CHECK_EQ(smbios_find(&m, &info), FW_OK);
	CHECK(!info.v3 && info.entry == 0xf0000);
	CHECK(has_problem("using _SM_"));

	harness_set_context("_SM3_ with an absurd maximum size");
	put_v3(0xf0100, 0xf1000, 0x7fffffff);
	CHECK_EQ(smbios_parse(&m, 0xf0100, &info), FW_OK);
	CHECK_EQ(info.nstructs, 3);
	CHECK(has_problem("capped"));

	harness_set_context("_SM_ count shorter than the table");
	put_v2(0xf0000, 0xf1000, sizeof(table) - 1, 2);
	CHECK_EQ(smbios_parse(&m, 0xf0000, &info), FW_OK);
	CHECK_EQ(info.nstructs, 2);

	harness_set_context("no entry point");
	CHECK_EQ(smbios_parse(&m, 0xf0200, &info), FW_EINVAL);
	memset(fseg, 0, sizeof(fseg));
	CHECK_EQ(smbios_find(&m, &info), FW_ENOENT);
}

int main(int argc, char **argv)
{
	dir = fwimg_dir(argc, argv);
	if (CHECK(fwimg_all_present(dir))) {
		test_images();
		test_bad();
	}
	test_synthetic();
	harness_set_context("");
	return harness_done();
}
