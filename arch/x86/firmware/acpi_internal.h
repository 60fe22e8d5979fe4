/* SPDX-License-Identifier: MIT */
/* Shared by acpi.c, acpi_madt.c and acpi_aml.c only. */
#ifndef ACPI_INTERNAL_H
#define ACPI_INTERNAL_H

#include <firmware/acpi.h>

#define ACPI_HDR_LEN 36 /* the System Description Table Header (5.2.6) */

static inline void acpi_note(struct acpi_info *out, const char *tag, const char *what, uint64_t pa,
			     uint32_t offset)
{
	fwmem_note(&out->problems, tag, what, pa, offset);
}

static inline void acpi_read_gas(struct acpi_gas *g, const uint8_t *p)
{
	g->space = p[0];
	g->bit_width = p[1];
	g->bit_offset = p[2];
	g->access_size = p[3];
	g->address = fw_le64(p + 4);
}

/*
 * Map the table at pa and check it: header readable, a length between the
 * header size and ACPI_TABLE_MAX_LEN, the whole length readable, checksum.
 * Returns the table and its length, or NULL with a reason.
 */

/* t is a checked table of len bytes at pa. */
void acpi_parse_madt(struct acpi_info *out, const uint8_t *t, uint64_t pa, uint32_t len);
void acpi_parse_fadt(struct acpi_info *out, const uint8_t *t, uint64_t pa, uint32_t len);
void acpi_s5_from(struct acpi_info *out, const uint8_t *t, uint64_t pa, uint32_t len);

#endif
