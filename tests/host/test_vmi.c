// SPDX-License-Identifier: MIT
/*
 * The VMI ROM validator (arch/x86/firmware/vmi_rom.c): a synthetic ROM laid
 * out as include/vmi.h says, damaged one field at a time; the scan over a
 * fake option-ROM area; and the real ROMs of make vmi-rom (build/<arch>/),
 * which must validate for their own arch and be refused for the other, as
 * must the broken variants scripts/mkrom.py writes.
 */
#include <firmware/vmi.h>
#include <stdio.h>
#include <stdlib.h>
#include "harness.h"

#define ROM_SIZE 1024

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void fix_sum(uint8_t *rom, size_t size)
{
	rom[size - 1] = 0;
	rom[size - 1] = (uint8_t)(0x100 - fw_sum8(rom, size));
}

/* A valid ROM: header at 0x20, entries after the version string. */
static void make_rom(uint8_t *rom, uint8_t arch)
{
	uint8_t *h = rom + VMI_HEADER_OFFSET;
	uint16_t hlen = VMI_HEADER_FIXED + 4 * VMI_NR_ENTRIES;
	uint16_t vers = VMI_HEADER_OFFSET + hlen;

	memset(rom, 0, ROM_SIZE);
	rom[0] = 0x55;
	rom[1] = 0xaa;
	rom[2] = ROM_SIZE / VMI_ROM_BLOCK;
	rom[3] = 0xcb;
	put32(h, VMI_SIGNATURE);
	put16(h + 4, VMI_API_MAJOR);
	put16(h + 6, VMI_API_MINOR);
	h[8] = arch;
	h[9] = VMI_FLAVOUR_NATIVE;
	put16(h + 10, hlen);
	put16(h + 12, VMI_NR_ENTRIES);
	put16(h + 14, vers);
	put32(h + 20, 128);
	put32(h + 24, ROM_SIZE);
	memcpy(rom + vers, "vmi-test 1.0", 13);
	for (unsigned i = 0; i < VMI_NR_ENTRIES; i++)
		put32(h + VMI_HEADER_FIXED + 4 * i, 0x200 + 4 * i);
	fix_sum(rom, ROM_SIZE);
}

static const char *check(const uint8_t *rom, size_t len, uint8_t arch, int want)
{
	static struct vmi_rom out;

	out.addr = 0xc0000;
	CHECK_EQ(vmi_rom_check(rom, len, arch, &out), want);
	return out.why;
}

static void test_synthetic(void)
{
	uint8_t rom[ROM_SIZE], bad[ROM_SIZE];
	struct vmi_rom out = {.addr = 0xc8000};

	harness_set_context("synthetic");
	make_rom(rom, VMI_ARCH_X86_64);
	CHECK_EQ(vmi_rom_check(rom, sizeof(rom), VMI_ARCH_X86_64, &out), FW_OK);
	CHECK_EQ(out.addr, 0xc8000);
	CHECK_EQ(out.size, ROM_SIZE);
	CHECK_EQ(out.api_major, 1);
	CHECK_EQ(out.nr_entries, VMI_NR_ENTRIES);
	CHECK_EQ(out.entry[VMI_E_SCHED_CLOCK], 0x200 + 4 * VMI_E_SCHED_CLOCK);
	CHECK(!strcmp(out.version, "vmi-test 1.0"));
	CHECK(!strcmp(check(rom, sizeof(rom), VMI_ARCH_I386, FW_EINVAL),
		      "ROM built for the other arch"));
	/* Shorter than the ROM: what is readable does not hold it. */
	CHECK(!strcmp(check(rom, 512, VMI_ARCH_X86_64, FW_EINVAL),
		      "ROM runs past the option-ROM area"));

	memcpy(bad, rom, sizeof(rom));
	bad[100] ^= 1;
	CHECK(!strcmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL), "bad checksum"));

	memcpy(bad, rom, sizeof(rom));
	put16(bad + VMI_HEADER_OFFSET + 4, 2);
	fix_sum(bad, sizeof(bad));
	CHECK(!strcmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL),
		      "API major version is not 1"));

	/* A newer minor with more entries is accepted; the extra ones ignored. */
	memcpy(bad, rom, sizeof(rom));
	put16(bad + VMI_HEADER_OFFSET + 6, 7);
	fix_sum(bad, sizeof(bad));
	CHECK(!strcmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_OK), "ok"));

	memcpy(bad, rom, sizeof(rom));
	bad[2] = 1; /* claims 512: disagrees with image_size, and the sum is off */
	CHECK(!strncmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL), "ROM truncated", 13));

	memcpy(bad, rom, sizeof(rom));
	put32(bad + VMI_HEADER_OFFSET + VMI_HEADER_FIXED + 4 * VMI_E_APIC_EOI, ROM_SIZE + 16);
	fix_sum(bad, sizeof(bad));
	CHECK(!strcmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL),
		      "an entry point lies outside the ROM's code"));

	memcpy(bad, rom, sizeof(rom));
	put32(bad + VMI_HEADER_OFFSET + VMI_HEADER_FIXED, 0);
	fix_sum(bad, sizeof(bad));
	CHECK(!strcmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL), "no init entry"));

	memcpy(bad, rom, sizeof(rom));
	put16(bad + VMI_HEADER_OFFSET + 10, 8);
	fix_sum(bad, sizeof(bad));
	CHECK(!strncmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL), "header length", 13));

	memcpy(bad, rom, sizeof(rom));
	put16(bad + VMI_HEADER_OFFSET + 14, ROM_SIZE + 2);
	fix_sum(bad, sizeof(bad));
	CHECK(!strcmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL),
		      "version string outside the ROM"));

	memcpy(bad, rom, sizeof(rom));
	put32(bad + VMI_HEADER_OFFSET + 20, 8192);
	fix_sum(bad, sizeof(bad));
	CHECK(!strcmp(check(bad, sizeof(bad), VMI_ARCH_X86_64, FW_EINVAL),
		      "per-CPU data size over 4 KiB"));

	/* Another option ROM (no VMI signature) is not refused, just skipped. */
	memcpy(bad, rom, sizeof(rom));
	bad[VMI_HEADER_OFFSET] = 'X';
	CHECK_EQ(vmi_rom_check(bad, sizeof(bad), VMI_ARCH_X86_64, &out), FW_ENOENT);
}

/* The option-ROM area with an unrelated 2 KiB ROM at 0xc0000, a refused ROM
 * at 0xc8000 and, depending on good, a valid one at 0xd0000. */
static void test_scan(void)
{
	static uint8_t area[VMI_SCAN_END - VMI_SCAN_START];
	uint8_t rom[ROM_SIZE];
	struct fw_mem m;
	struct fwmem_flat f;
	struct vmi_rom out;

	harness_set_context("scan");
	memset(area, 0, sizeof(area));
	area[0] = 0x55;
	area[1] = 0xaa;
	area[2] = 4;
	make_rom(rom, VMI_ARCH_I386);
	memcpy(area + 0x8000, rom, sizeof(rom));
	fwmem_flat_init(&m, &f, area, VMI_SCAN_START, sizeof(area));
	CHECK_EQ(vmi_rom_scan(&m, VMI_ARCH_X86_64, &out), FW_EINVAL);
	CHECK_EQ(out.addr, 0xc8000);
	CHECK(!strcmp(out.why, "ROM built for the other arch"));

	make_rom(rom, VMI_ARCH_X86_64);
	memcpy(area + 0x10000, rom, sizeof(rom));
	CHECK_EQ(vmi_rom_scan(&m, VMI_ARCH_X86_64, &out), FW_OK);
	CHECK_EQ(out.addr, 0xd0000);

	/* A ROM in the last 2 KiB whose size runs past 0xdffff. */
	memset(area, 0, sizeof(area));
	make_rom(rom, VMI_ARCH_X86_64);
	rom[2] = 8; /* 4 KiB from the last 2 KiB step */
	memcpy(area + sizeof(area) - VMI_SCAN_STEP, rom, sizeof(rom));
	CHECK_EQ(vmi_rom_scan(&m, VMI_ARCH_X86_64, &out), FW_EINVAL);
	CHECK(!strcmp(out.why, "ROM runs past the option-ROM area"));

	memset(area, 0, sizeof(area));
	CHECK_EQ(vmi_rom_scan(&m, VMI_ARCH_X86_64, &out), FW_ENOENT);
}

static size_t load(const char *path, uint8_t *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

/* The ROMs make vmi-rom built (make host-tests builds them first): an absent
 * one is a failure, not a skip. */
static void test_built(const char *arch_dir, uint8_t arch)
{
	static const struct {
		const char *file, *why;
	} roms[] = {
		{"vmi.rom", "ok"},
		{"vmi-kvm.rom", "ok"},
		{"vmi-badsum.rom", "bad checksum"},
		{"vmi-major2.rom", "API major version is not 1"},
		{"vmi-truncated.rom",
		 "ROM truncated: size byte disagrees with the header's image size"},
	};
	static uint8_t buf[128 * 1024];
	char path[256];

	for (size_t i = 0; i < sizeof(roms) / sizeof(roms[0]); i++) {
		snprintf(path, sizeof(path), "build/%s/%s", arch_dir, roms[i].file);
		/* Zeros past the file: what a loader shows after a short image. */
		memset(buf, 0, sizeof(buf));
		size_t n = load(path, buf, sizeof(buf));
		harness_set_context(path);
		if (!CHECK(n > 0)) {
			printf("\t%s not built (make ARCH=%s vmi-rom)\n", path, arch_dir);
			continue;
		}
		struct vmi_rom out = {.addr = 0xc0000};
		int rc = vmi_rom_check(buf, sizeof(buf), arch, &out);
		CHECK_EQ(rc, strcmp(roms[i].why, "ok") ? FW_EINVAL : FW_OK);
		CHECK(!strcmp(out.why, roms[i].why));
		if (rc == FW_OK) {
			CHECK_EQ(out.arch, arch);
			CHECK_EQ(out.nr_entries, VMI_NR_ENTRIES);
			for (unsigned e = 0; e < VMI_NR_ENTRIES; e++)
				CHECK(out.entry[e] != 0);
			CHECK(!strncmp(out.version, "vmi-", 4));
			uint8_t other = arch == VMI_ARCH_I386 ? VMI_ARCH_X86_64 : VMI_ARCH_I386;
			CHECK_EQ(vmi_rom_check(buf, sizeof(buf), other, &out), FW_EINVAL);
		}
	}
}

int main(void)
{
	test_synthetic();
	test_scan();
	test_built("i386", VMI_ARCH_I386);
	test_built("x86_64", VMI_ARCH_X86_64);
	return harness_done();
}
