// SPDX-License-Identifier: MIT
/*
 * The ES7000 OEM table validator: the committed table QEMU is given
 * (tests/data/es7000/oem.bin) and its bad variant, and synthetic damage to
 * each field the validator checks, including what QEMU's -acpitable cannot
 * deliver (it recomputes checksums).
 */
#include <firmware/es7000.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"

static size_t load(const char *path, uint8_t *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		printf("cannot open %s\n", path);
		return 0;
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static void fix_sum(uint8_t *t, size_t len)
{
	t[9] = 0;
	t[9] = (uint8_t)(0x100 - fw_sum8(t, len));
}

static uint8_t good[64];
static size_t good_len;

/* good with one byte changed (checksum fixed unless keep_sum), parsed. */
static int damaged(unsigned off, uint8_t val, bool keep_sum, struct es7000_oem *o)
{
	uint8_t t[64];

	memcpy(t, good, sizeof(t));
	t[off] = val;
	if (!keep_sum)
		fix_sum(t, good_len);
	return es7000_oem_parse(t, good_len, o);
}

static void expect_refused(unsigned off, uint8_t val, bool keep_sum, const char *why)
{
	struct es7000_oem o;

	harness_set_context(why);
	CHECK_EQ(damaged(off, val, keep_sum, &o), FW_EINVAL);
	CHECK_STR(o.why, why);
	harness_set_context("");
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/data/es7000";
	char path[512];
	struct es7000_oem o;
	uint8_t bad[64];
	size_t bad_len;

	snprintf(path, sizeof(path), "%s/oem.bin", dir);
	good_len = load(path, good, sizeof(good));
	CHECK_EQ(good_len, 52);
	CHECK_EQ(es7000_oem_parse(good, good_len, &o), FW_OK);
	CHECK_STR(o.why, "ok");
	CHECK_STR(o.oem_id, "UNISYS");
	CHECK_STR(o.oem_table_id, "ES7000  ");
	CHECK_EQ(o.version, 1);
	CHECK_EQ(o.clusters, 4);
	CHECK_EQ(o.partitions, 1);

	/* The committed bad variant: what the matrix's refusal test boots. */
	snprintf(path, sizeof(path), "%s/oem-bad.bin", dir);
	bad_len = load(path, bad, sizeof(bad));
	CHECK_EQ(bad_len, 52);
	CHECK_EQ(es7000_oem_parse(bad, bad_len, &o), FW_EINVAL);
	CHECK_STR(o.why, "format version is not 1");

	/* Checksum, length, truncation. */
	expect_refused(20, 0x55, true, "checksum does not sum to 0");
	CHECK_EQ(es7000_oem_parse(good, good_len - 1, &o), FW_EINVAL);
	CHECK_STR(o.why, "length runs past the readable bytes");
	CHECK_EQ(es7000_oem_parse(good, 35, &o), FW_EINVAL);
	CHECK_STR(o.why, "shorter than an ACPI header");
	CHECK_EQ(es7000_oem_parse(NULL, 0, &o), FW_EINVAL);
	expect_refused(4, 48, false, "length below 52: fields missing");
	expect_refused(4, 36, false, "length below 52: fields missing");

	/* Identity and revisions. */
	expect_refused(3, '2', false, "signature is not OEM1");
	expect_refused(8, 2, false, "header revision is not 1");
	expect_refused(10, 'X', false, "table OEM id is not UNISYS");
	expect_refused(36, 'X', false, "platform field is not ES7000");
	expect_refused(44, 2, false, "format version is not 1");
	expect_refused(45, 1, false, "format version is not 1");

	/* Field sanity. */
	expect_refused(47, 8, false, "CPUs per cluster is not 4");
	expect_refused(48, 0, false, "cluster count outside 1..15");
	expect_refused(48, 16, false, "cluster count outside 1..15");
	expect_refused(46, 0, false, "partition count outside 1..clusters");
	expect_refused(46, 5, false, "partition count outside 1..clusters");
	expect_refused(50, 1, false, "reserved bytes are not 0");
	CHECK_EQ(damaged(48, 15, false, &o), FW_OK);
	CHECK_EQ(o.clusters, 15);
	CHECK_EQ(damaged(46, 4, false, &o), FW_OK);

	/* A longer table (a later version appending fields) is accepted. */
	uint8_t longer[64];
	memset(longer, 0, sizeof(longer));
	memcpy(longer, good, good_len);
	longer[4] = 60;
	fix_sum(longer, 60);
	CHECK_EQ(es7000_oem_parse(longer, sizeof(longer), &o), FW_OK);
	/* Space padding of the platform field is the same id. */
	CHECK_EQ(damaged(42, ' ', false, &o), FW_OK);
	return harness_done();
}
