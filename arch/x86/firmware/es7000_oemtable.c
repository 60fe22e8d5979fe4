// SPDX-License-Identifier: MIT
/*
 * The ES7000 OEM table (format in include/firmware/es7000.h): every field is
 * checked before it is believed, because a missing or bad table must mean
 * "not an ES7000" rather than a clustered APIC set up from garbage.
 *
 * Only the envelope is borrowed from the real machines: Linux's es7000 code
 * (arch/i386/mach-es7000, later arch/x86/kernel/apic/es7000_32.c) looked for
 * an ACPI table signed "OEM1" with OEM id "UNISYS", whose body was just a
 * 32-bit address and size of the Unisys OEM table proper (a list of typed
 * entries: MIP registers, partition info, shared memory, PSAI). That
 * table is not public; the body this file reads is this kernel's own.
 */
#include <firmware/es7000.h>

static int refuse(struct es7000_oem *out, const char *why)
{
	out->why = why;
	return FW_EINVAL;
}

/* Reserved bytes must be 0 so a later version can give them a meaning that
 * an older kernel then refuses instead of misreading. */
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
	/* The ACPI header (5.2.6) first: 4-byte signature, 32-bit length at 4,
	 * revision at 8, checksum at 9, OEM id at 10 (6), OEM table id at 16
	 * (8). The length is checked against what may be read before anything
	 * past the header is touched, and the checksum over that length. */
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

	/* The body (offsets 36..51, layout in es7000.h). The id fields may be
	 * padded with NULs or spaces: fwmem_copy_id and fwmem_id_eq take both. */
	char platform[9];
	fwmem_copy_id(platform, t + 36, 8);
	if (!fwmem_id_eq(platform, "ES7000"))
		return refuse(out, "platform field is not ES7000");
	out->version = fw_le16(t + 44);
	if (out->version != ES7000_OEM_VERSION)
		return refuse(out, "format version is not 1");
	out->partitions = t[46];
	out->clusters = t[48];
	/* Clustered xAPIC logical mode: a logical APIC id is a 4-bit cluster
	 * and a 4-bit one-hot CPU mask, so 4 CPUs per cluster is fixed by the
	 * hardware and cluster 15 is the broadcast id (Intel SDM vol. 3,
	 * "Logical Destination Mode"). Anything else cannot be addressed. */
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
