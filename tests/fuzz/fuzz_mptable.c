// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the MP table reader. The input is physical memory
 * from 0xF0000 (the BIOS segment the floating pointer search covers; the
 * BDA and EBDA are unreadable here, as on qboot). Seeds: mkseeds.py.
 */
#include <stdlib.h>
#include <firmware/mptable.h>

#define BASE 0xf0000u

static void run(const uint8_t *data, size_t size)
{
	static struct mp_info info;
	struct fwmem_flat flat;
	struct fw_mem m;
	struct mp_floating fp;
	unsigned int i;

	fwmem_flat_init(&m, &flat, data, BASE, size);
	if (mptable_find(&m, &fp))
		return;
	if (fp.addr < BASE || fp.addr - BASE + 16 > size)
		abort();
	mptable_parse(&m, &fp, &info);
	if (info.ncpus > MP_MAX_CPUS || info.nbuses > MP_MAX_BUSES ||
	    info.nioapics > MP_MAX_IOAPICS || info.nirqs > MP_MAX_IRQS ||
	    info.nlints > MP_MAX_LINTS || info.problems.n > FW_PROBLEMS_MAX || !info.why ||
	    strlen(info.oem_id) > 8 || strlen(info.product_id) > 12)
		abort();
	for (i = 0; i < info.nbuses; i++)
		if (strlen(info.buses[i].type) > 6 ||
		    mptable_bus(&info, info.buses[i].id)->id != info.buses[i].id)
			abort();
}

static void resum(uint8_t *p, size_t len, size_t off)
{
	p[off] = 0;
	p[off] = (uint8_t)(0x100 - fw_sum8(p, len));
}

/* Repair the checksums of a floating pointer at BASE and the table it names. */
static void fix_sums(uint8_t *img, size_t size)
{
	uint32_t cfg, len;

	if (size < 16 || memcmp(img, "_MP_", 4) || !img[8] || img[8] * 16u > size)
		return;
	cfg = fw_le32(img + 4);
	if (cfg >= BASE && cfg - BASE + 44 <= size) {
		len = fw_le16(img + (cfg - BASE) + 4);
		if (len >= 8 && cfg - BASE + len <= size)
			resum(img + (cfg - BASE), len, 7);
	}
	resum(img, img[8] * 16u, 10);
}

/* Every input runs as it is and with its checksums repaired. */
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
