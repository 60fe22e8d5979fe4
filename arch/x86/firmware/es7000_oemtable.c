// SPDX-License-Identifier: MIT
/*
 * The ES7000 OEM table (format in include/firmware/es7000.h): every field is
 * checked before it is believed, because a missing or bad table must mean
 * "not an ES7000" rather than a clustered APIC set up from garbage.
 */
#include <firmware/es7000.h>

static int refuse(struct es7000_oem *out, const char *why)
{
	out->why = why;
	return FW_EINVAL;
}

static bool reserved_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

int es7000_oem_parse(const void *buf, size_t len, struct es7000_oem *out)
{
	const uint8_t *t = buf;

	memset(out, 0, sizeof(*out));
	if (!t || len < 36)
		return refuse(out, "shorter than an ACPI header");
	if (memcmp(t, ES7000_OEM_SIG, 4))
		return refuse(out, "signature is not OEM1");
	uint32_t tlen = fw_le32(t + 4);
	if (tlen > len)
		return refuse(out, "length runs past the readable bytes");
	if (tlen < ES7000_OEM_MIN_LEN)
		return refuse(out, "length below 52: fields missing");
	if (fw_sum8(t, tlen))
		return refuse(out, "checksum does not sum to 0");
	if (t[8] != ES7000_OEM_REVISION)
		return refuse(out, "header revision is not 1");
	fwmem_copy_id(out->oem_id, t + 10, 6);
	fwmem_copy_id(out->oem_table_id, t + 16, 8);
	if (!fwmem_id_eq(out->oem_id, "UNISYS"))
		return refuse(out, "table OEM id is not UNISYS");

	char platform[9];
	fwmem_copy_id(platform, t + 36, 8);
	if (!fwmem_id_eq(platform, "ES7000"))
		return refuse(out, "platform field is not ES7000");
	out->version = fw_le16(t + 44);
	if (out->version != ES7000_OEM_VERSION)
		return refuse(out, "format version is not 1");
	out->partitions = t[46];
	out->clusters = t[48];
	if (t[47] != ES7000_CPUS_PER_CLUSTER)
		return refuse(out, "CPUs per cluster is not 4");
	if (!out->clusters || out->clusters > ES7000_MAX_CLUSTERS)
		return refuse(out, "cluster count outside 1..15");
	if (!out->partitions || out->partitions > out->clusters)
		return refuse(out, "partition count outside 1..clusters");
	if (!reserved_zero(t + 49, 3))
		return refuse(out, "reserved bytes are not 0");
	out->why = "ok";
	return FW_OK;
}
