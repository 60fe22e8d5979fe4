// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the SMBIOS reader. The input is physical memory
 * from 0xF0000, where the entry point search runs; the entry point at
 * 0xF0000 is also parsed directly. Seeds: mkseeds.py.
 */
#include <stdlib.h>
#include <firmware/smbios.h>

#define BASE 0xf0000u

static void check(const struct smbios_info *info)
{
	const char *const strs[] = {info->bios_vendor,	    info->bios_version, info->bios_date,
				    info->sys_manufacturer, info->sys_product,	info->sys_version,
				    info->sys_serial};
	unsigned int i;
	const char *s;

	if (!info->why || info->problems.n > FW_PROBLEMS_MAX ||
	    info->table_len > SMBIOS_TABLE_MAX_LEN)
		abort();
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		if (strnlen(strs[i], SMBIOS_STR_MAX) >= SMBIOS_STR_MAX)
			abort();
		for (s = strs[i]; *s; s++)
			if (*s < 0x20 || *s >= 0x7f)
				abort();
	}
}

static void run(const uint8_t *data, size_t size)
{
	static struct smbios_info info;
	struct fwmem_flat flat;
	struct fw_mem m;

	fwmem_flat_init(&m, &flat, data, BASE, size);
	smbios_find(&m, &info);
	check(&info);
	smbios_parse(&m, BASE, &info);
	check(&info);
}

static void resum(uint8_t *p, size_t len, size_t off)
{
	p[off] = 0;
	p[off] = (uint8_t)(0x100 - fw_sum8(p, len));
}

/* Repair the checksums of an entry point at BASE. */
static void fix_sums(uint8_t *img, size_t size)
{
	if (size >= 0x20 && !memcmp(img, "_SM3_", 5) && img[6] <= size) {
		resum(img, img[6], 5);
	} else if (size >= 0x20 && !memcmp(img, "_SM_", 4) && img[5] <= size) {
		resum(img + 0x10, 15, 5);
		resum(img, img[5], 4);
	}
}

/* Every input runs as it is and with its entry point checksums repaired. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);

	run(data, size);
	memcpy(copy, data, size);
	fix_sums(copy, size);
	run(copy, size);
	free(copy);
	return 0;
}
