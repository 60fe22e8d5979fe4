/* SPDX-License-Identifier: MIT */
/*
 * The ES7000 OEM table: this kernel's own minimal format for the firmware
 * identity a Unisys ES7000 entry requires next to the ACPI OEM id "UNISYS"
 * (docs/machines.md, "es7000"). It is not a Unisys format: the real
 * machines' tables are not public, so this one says only what the entry
 * needs to trust the identity and size the clustered APIC addressing.
 *
 *   offset  size  field
 *        0    36  ACPI table header (ACPI 6.5, 5.2.6): signature "OEM1",
 *                 length, revision 1, checksum (all bytes sum to 0),
 *                 OEM id "UNISYS", OEM table id, ...
 *       36     8  platform: "ES7000" padded with NULs or spaces
 *       44     2  format version, little-endian: 1
 *       46     1  partitions: 1..clusters
 *       47     1  CPUs per cluster: 4 (xAPIC logical cluster model)
 *       48     1  clusters: 1..15 (cluster 15 is the broadcast id)
 *       49     3  reserved, 0
 *
 * The length is at least 52; bytes after the fields are ignored (a later
 * version may append). Pure function over bytes: host-tested.
 */
#ifndef FIRMWARE_ES7000_H
#define FIRMWARE_ES7000_H

#include <firmware/fwmem.h>

#define ES7000_OEM_SIG		"OEM1"
#define ES7000_OEM_REVISION	1 /* of the ACPI header */
#define ES7000_OEM_VERSION	1 /* of the body */
#define ES7000_OEM_MIN_LEN	52
#define ES7000_CPUS_PER_CLUSTER 4
#define ES7000_MAX_CLUSTERS	15

struct es7000_oem {
	char oem_id[7];
	char oem_table_id[9];
	uint16_t version;
	uint8_t partitions;
	uint8_t clusters;
	const char *why; /* "ok", or why the table was refused */
};

/*
 * Validate the table in buf[0..len) (len is what may be read, the table's
 * own length must fit in it). FW_OK and *out filled, or FW_EINVAL with
 * out->why set.
 */
int es7000_oem_parse(const void *buf, size_t len, struct es7000_oem *out);

#endif
