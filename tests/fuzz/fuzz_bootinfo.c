// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the boot-information readers: the Multiboot v1 info
 * block and the PVH hvm_start_info. The input is physical memory from BASE;
 * both readers start at BASE, so every pointer they follow (command line,
 * loader name, memory map, modules) must be checked against the image.
 */
#include <stdlib.h>
#include <firmware/bootinfo.h>

#define BASE 0x10000u

static void check(const struct boot_info *bi)
{
	size_t n = strnlen(bi->cmdline, sizeof(bi->cmdline));

	if (n == sizeof(bi->cmdline) || bi->n_mmap > BOOT_MMAP_MAX || bi->n_mods > BOOT_MODS_MAX ||
	    strnlen(bi->loader, sizeof(bi->loader)) == sizeof(bi->loader))
		abort();
	/* A command line cut at the buffer's end keeps whole words only: it
	 * never ends inside the word the cut fell in (checked by the host test
	 * on exact strings; here: nothing past a cut is a half quote). */
	if (bi->cmdline_truncated && n && bi->cmdline[n - 1] == ' ')
		abort();
	for (unsigned i = 0; i < bi->n_mmap; i++)
		if (bi->mmap[i].len && bi->mmap[i].base + bi->mmap[i].len < bi->mmap[i].base)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	struct fwmem_flat flat;
	struct fw_mem m;

	fwmem_flat_init(&m, &flat, data, BASE, size);
	multiboot_parse(&m, BASE, &bi);
	check(&bi);
	pvh_parse(&m, BASE, &bi);
	check(&bi);
	return 0;
}
