/* SPDX-License-Identifier: MIT */
/*
 * SMBIOS (DMTF DSP0134 3.6): the 2.1 ("_SM_" + "_DMI_") and 3.0 ("_SM3_")
 * entry points, the structure table walk, and the BIOS (type 0) and system
 * (type 1) strings that identify a machine or a hypervisor. Pure functions
 * over fw_mem.
 */
#ifndef FIRMWARE_SMBIOS_H
#define FIRMWARE_SMBIOS_H

#include <firmware/fwmem.h>

#define SMBIOS_STR_MAX	     64 /* 63 characters and a NUL */
#define SMBIOS_TABLE_MAX_LEN (64u << 10)

struct smbios_info {
	uint64_t entry; /* the entry point */
	bool v3;	/* "_SM3_", else "_SM_" */
	uint8_t major, minor, docrev;
	uint64_t table;
	uint32_t table_len;    /* 2.1: exact; 3.0: maximum size, capped */
	uint16_t stated_count; /* 2.1 only: structures the entry point announces */
	unsigned int nstructs; /* structures walked */
	uint8_t types[32];     /* bitmap of the structure types seen */
	/* Strings: truncated to 63 characters, non-printable bytes as '?'. */
	char bios_vendor[SMBIOS_STR_MAX];
	char bios_version[SMBIOS_STR_MAX];
	char bios_date[SMBIOS_STR_MAX];
	char sys_manufacturer[SMBIOS_STR_MAX];
	char sys_product[SMBIOS_STR_MAX];
	char sys_version[SMBIOS_STR_MAX];
	char sys_serial[SMBIOS_STR_MAX];
	bool has_uuid;
	uint8_t sys_uuid[16]; /* as stored (first three fields little-endian) */
	struct fw_problems problems;
	const char *why; /* "ok", or why the reader failed */
};

/*
 * Search 0xF0000-0xFFFFF on 16-byte boundaries for entry points; prefer a
 * valid "_SM3_" (its table may lie above 4 GiB), else "_SM_".
 */
int smbios_find(const struct fw_mem *m, struct smbios_info *out);

/* Read the entry point at entry (e.g. one an EFI system table names). */
int smbios_parse(const struct fw_mem *m, uint64_t entry, struct smbios_info *out);

static inline bool smbios_has_type(const struct smbios_info *info, uint8_t type)
{
	return info->types[type / 8] & (1u << (type % 8));
}

#endif
