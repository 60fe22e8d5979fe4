// SPDX-License-Identifier: MIT
/* kernel/mm/memmap.c and arch/x86/firmware/bootinfo.c on the host. */
#include "harness.h"
#include <kernel/memmap.h>
#include <asm/boot.h>
#include <stdlib.h>

static void test_add_merge_remove(void)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0x3000, 0x5000);
	memmap_add(&m, 0x1000, 0x2000);
	memmap_add(&m, 0x2000, 0x3000); /* touches both: one range */
	CHECK_EQ(m.n, 1);
	CHECK_EQ(m.r[0].start, 0x1000);
	CHECK_EQ(m.r[0].end, 0x5000);
	memmap_remove(&m, 0x2000, 0x3000); /* split */
	CHECK_EQ(m.n, 2);
	CHECK_EQ(m.r[0].end, 0x2000);
	CHECK_EQ(m.r[1].start, 0x3000);
	memmap_remove(&m, 0, 0x10000);
	CHECK_EQ(m.n, 0);
	memmap_add(&m, 5, 5); /* empty: ignored */
	CHECK_EQ(m.n, 0);
	for (unsigned i = 0; i < MEMMAP_MAX + 10; i++)
		memmap_add(&m, i * 0x2000ull, i * 0x2000ull + 0x1000);
	CHECK_EQ(m.n, MEMMAP_MAX);
	CHECK_EQ(m.dropped, 10);
	CHECK_EQ(memmap_total(&m), MEMMAP_MAX * 0x1000ull);
}

static void test_from_boot(void)
{
	struct boot_info bi = {0};
	struct memmap m;

	/* QEMU pc's e820 shape, plus an overlapping reserved hole and junk. */
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){0, 0x9fc00, MEM_USABLE};
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){0x9fc00, 0x400, MEM_RESERVED};
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){0xf0000, 0x10000, MEM_RESERVED};
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){0x100000, 0x7ee0000, MEM_USABLE};
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){0x200800, 0x100, MEM_NVS};
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){0x7fe0000, 0x20000, MEM_RESERVED};
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){0x100000000ull, 0x1000000, MEM_USABLE};
	bi.mmap[bi.n_mmap++] = (struct boot_mem_region){~0ull - 10, 100, MEM_USABLE};
	memmap_from_boot(&m, &bi, 0x100000000ull);
	CHECK_EQ(m.n, 3);
	CHECK_EQ(m.r[0].start, 0);
	CHECK_EQ(m.r[0].end, 0x9f000); /* 0x9fc00 rounded down */
	CHECK_EQ(m.r[1].start, 0x100000);
	CHECK_EQ(m.r[1].end, 0x200000); /* NVS page cut out */
	CHECK_EQ(m.r[2].start, 0x201000);
	CHECK_EQ(m.r[2].end, 0x7fe0000);
}

/* A fake physical memory for the boot-info readers. */
static uint8_t mem[0x20000];
static struct fwmem_flat flat = {mem, 0, sizeof(mem)};
static const struct fw_mem fm = {fwmem_flat_map, &flat};

static void put32(uint32_t at, uint32_t v)
{
	memcpy(mem + at, &v, 4);
}
static void put64(uint32_t at, uint64_t v)
{
	memcpy(mem + at, &v, 8);
}

static void test_multiboot(void)
{
	struct boot_info bi;

	memset(mem, 0, sizeof(mem));
	put32(0x1000, (1u << 2) | (1u << 6) | (1u << 9) | 1u); /* cmdline, mmap, loader, mem */
	put32(0x1004, 639);
	put32(0x1008, 1024);
	put32(0x1010, 0x2000);
	strcpy((char *)mem + 0x2000, "/boot/kernel.elf  machine=pc-acpi nosmp");
	put32(0x1040, 0x2100);
	strcpy((char *)mem + 0x2100, "GRUB 2.06");
	put32(0x102c, 3 * 24);
	put32(0x1030, 0x3000);
	for (int i = 0; i < 3; i++) {
		put32(0x3000 + i * 24, 20);
		put64(0x3004 + i * 24, i * 0x100000ull);
		put64(0x300c + i * 24, i == 1 ? 0 : 0x1000);
		put32(0x3014 + i * 24, MEM_USABLE);
	}
	CHECK_EQ(multiboot_parse(&fm, 0x1000, &bi), 0);
	CHECK_STR(bi.cmdline, "machine=pc-acpi nosmp"); /* a path first: dropped */
	CHECK_STR(bi.loader, "GRUB 2.06");
	/* GRUB 2 passes the arguments alone: every word is an option. */
	strcpy((char *)mem + 0x2000, "nosmp ktest=off");
	CHECK_EQ(multiboot_parse(&fm, 0x1000, &bi), 0);
	CHECK_STR(bi.cmdline, "nosmp ktest=off");
	/* QEMU puts its -kernel argument first, path or not. */
	strcpy((char *)mem + 0x2100, "qemu");
	strcpy((char *)mem + 0x2000, "kernel.elf nosmp");
	CHECK_EQ(multiboot_parse(&fm, 0x1000, &bi), 0);
	CHECK_STR(bi.cmdline, "nosmp");
	strcpy((char *)mem + 0x2100, "GRUB 2.06");
	strcpy((char *)mem + 0x2000, "/boot/kernel.elf  machine=pc-acpi nosmp");
	CHECK_EQ(bi.n_mmap, 2); /* the zero-length entry is dropped */
	CHECK_STR(bi.mmap_source, "multiboot-mmap");
	CHECK_EQ(bi.entry, BOOT_ENTRY_MULTIBOOT);

	/* An mmap entry whose size field runs past the map: stop, keep what was read. */
	put32(0x3000 + 24, 200);
	CHECK_EQ(multiboot_parse(&fm, 0x1000, &bi), 0);
	CHECK_EQ(bi.n_mmap, 1);

	/* No mmap: mem_lower/mem_upper. */
	put32(0x1000, 1u);
	CHECK_EQ(multiboot_parse(&fm, 0x1000, &bi), 0);
	CHECK_STR(bi.mmap_source, "multiboot-lower-upper");
	CHECK_EQ(bi.mmap[1].len, 1024 * 1024);

	/* Nothing at all, and an info pointer outside memory. */
	put32(0x1000, 0);
	CHECK(multiboot_parse(&fm, 0x1000, &bi) < 0);
	CHECK(bi.why != NULL);
	CHECK(multiboot_parse(&fm, sizeof(mem) - 4, &bi) < 0);

	/* A command line that runs to the end of memory without a NUL. */
	put32(0x1000, (1u << 2) | 1u);
	put32(0x1010, sizeof(mem) - 8);
	memset(mem + sizeof(mem) - 8, 'a', 8);
	CHECK_EQ(multiboot_parse(&fm, 0x1000, &bi), 0);
	CHECK_EQ(strlen(bi.cmdline), 8); /* the 8 readable bytes, NUL-terminated */
}

static void test_pvh(void)
{
	struct boot_info bi;

	memset(mem, 0, sizeof(mem));
	put32(0x1000, HVM_START_MAGIC);
	put32(0x1004, 1);
	put64(0x1018, 0x2000);
	strcpy((char *)mem + 0x2000, "ktest=core");
	put64(0x1020, 0xf5a40); /* rsdp */
	put64(0x1028, 0x3000);	/* memmap */
	put32(0x1030, 2);
	put64(0x3000, 0);
	put64(0x3008, 0x9fc00);
	put32(0x3010, MEM_USABLE);
	put64(0x3018, 0x100000);
	put64(0x3020, 0x7000000);
	put32(0x3028, MEM_USABLE);
	CHECK_EQ(pvh_parse(&fm, 0x1000, &bi), 0);
	CHECK_STR(bi.cmdline, "ktest=core"); /* PVH: no image name to strip */
	CHECK_EQ(bi.rsdp, 0xf5a40);
	CHECK_EQ(bi.n_mmap, 2);
	CHECK_EQ(bi.mmap[1].len, 0x7000000);
	CHECK_EQ(bi.entry, BOOT_ENTRY_PVH);

	/* Version 0 (Xen dom0): no memory map, not an error. */
	put32(0x1004, 0);
	CHECK_EQ(pvh_parse(&fm, 0x1000, &bi), 0);
	CHECK_EQ(bi.n_mmap, 0);
	/* A memory map that runs off the end of memory: keep what was read. */
	put32(0x1004, 1);
	put64(0x1028, sizeof(mem) - 24);
	put32(0x1030, 1000000);
	put64(sizeof(mem) - 16, 0x1000); /* that last entry: 4 KiB at 0 */
	CHECK_EQ(pvh_parse(&fm, 0x1000, &bi), 0);
	CHECK_EQ(bi.n_mmap, 1);
	put32(0x1000, 0x12345678);
	CHECK(pvh_parse(&fm, 0x1000, &bi) < 0);
	CHECK_STR(bi.why, "hvm_start_info: bad magic");
}

/* Over 511 bytes: cut back to the last whole word, never inside one. */
static void test_cmdline_cut(void)
{
	struct boot_info bi;
	char line[700];

	memset(mem, 0, sizeof(mem));
	put32(0x1000, HVM_START_MAGIC);
	put64(0x1018, 0x2000);
	memset(line, 0, sizeof(line));
	memset(line, 'x', 501);
	strcpy(line + 501, " maxcpus=12"); /* the cut (511 bytes) falls after "maxcpus=1" */
	strcpy((char *)mem + 0x2000, line);
	CHECK_EQ(pvh_parse(&fm, 0x1000, &bi), 0);
	CHECK(bi.cmdline_truncated);
	CHECK_EQ(strlen(bi.cmdline), 501);
	CHECK(!strstr(bi.cmdline, "maxcpus"));
	/* Spaces inside quotes are not word boundaries; runs of spaces go too. */
	memset(line, 0, sizeof(line));
	memset(line, 'y', 400);
	strcpy(line + 400, "   ktest=\"a b c\"   ");
	memset(line + strlen(line), 'z', 200);
	strcpy((char *)mem + 0x2000, line);
	CHECK_EQ(pvh_parse(&fm, 0x1000, &bi), 0);
	CHECK_EQ(strlen(bi.cmdline), 416);
	CHECK(bi.cmdline[415] == '"');
	/* One word longer than the buffer: nothing of it is kept. */
	memset(line, 'w', 600);
	line[600] = '\0';
	strcpy((char *)mem + 0x2000, line);
	CHECK_EQ(pvh_parse(&fm, 0x1000, &bi), 0);
	CHECK_STR(bi.cmdline, "");
	/* Short lines are untouched. */
	strcpy((char *)mem + 0x2000, "a b ");
	CHECK_EQ(pvh_parse(&fm, 0x1000, &bi), 0);
	CHECK(!bi.cmdline_truncated);
	CHECK_STR(bi.cmdline, "a b ");
}

/* A version 0 hvm_start_info is 40 bytes: one ending at the last readable
 * byte parses (it was read as 48 bytes before, and refused). */
static void test_pvh_v0_at_end(void)
{
	struct boot_info bi;
	uint64_t at = sizeof(mem) - 40;

	memset(mem, 0, sizeof(mem));
	put32(at, HVM_START_MAGIC);
	put32(at + 4, 0);
	put64(at + 32, 0xf5a40);
	CHECK_EQ(pvh_parse(&fm, at, &bi), 0);
	CHECK_EQ(bi.rsdp, 0xf5a40);
	CHECK(pvh_parse(&fm, at + 8, &bi) < 0); /* 8 bytes short: not readable */
}

/* Xen PV start_info: the memory map derived from Xen's boot layout. */
static void test_xen_pv(void)
{
	struct boot_info bi;
	const uint64_t si = 0x1000, kernel_end = 0x200000, pages = 0x8000;

	memset(mem, 0, sizeof(mem));
	memcpy(mem + si, "xen-3.0-x86_64", 14);
	put64(si + 32, pages);	   /* nr_pages: 128 MiB */
	put64(si + 104, 0x200000); /* mfn_list: 0x40000 bytes of p2m */
	put64(si + 88, 0x241000);  /* pt_base */
	put64(si + 96, 4);	   /* nr_pt_frames */
	strcpy((char *)mem + si + 128, "ktest=xen_pv");
	CHECK_EQ(xen_pv_parse(&fm, si, kernel_end, &bi), 0);
	CHECK_STR(bi.cmdline, "ktest=xen_pv");
	CHECK_EQ(bi.n_mmap, 3);
	CHECK_EQ(bi.mmap[1].base, kernel_end);
	CHECK_EQ(bi.mmap[1].len, 0x46000); /* p2m, tables, boot stack */
	CHECK_EQ(bi.mmap[1].type, MEM_RESERVED);
	CHECK_EQ(bi.mmap[2].base, 0x246000);
	CHECK_EQ(bi.mmap[2].len, (pages << 12) - 0x246000);
	/* nr_pages whose p2m size wraps 64 bits to the same 0x40000 bytes:
	 * refused, not a reserved range shrunk to the wrapped size. */
	put64(si + 32, (1ull << 61) + pages);
	CHECK(xen_pv_parse(&fm, si, kernel_end, &bi) < 0);
	CHECK(bi.why != NULL);
	memcpy(mem + si, "xen-3.0-x86_32p", 15);
	CHECK(xen_pv_parse(&fm, si, kernel_end, &bi) < 0);
}

int main(void)
{
	test_add_merge_remove();
	test_from_boot();
	test_multiboot();
	test_pvh();
	test_cmdline_cut();
	test_pvh_v0_at_end();
	test_xen_pv();
	return harness_done();
}
