// SPDX-License-Identifier: MIT
/*
 * MP table reader tests: the captured images (SeaBIOS, qboot, Bochs), their
 * malformed variants, and synthetic tables for the search order and limits.
 */
#include <firmware/mptable.h>
#include "harness.h"
#include "fwimg.h"

static const char *dir;
static struct mp_info info;
static struct mp_floating fp;

static int load_find_parse(struct fwimg *img, const char *name)
{
	int err;

	harness_set_context(name);
	if (fwimg_load(img, dir, name)) {
		CHECK(!"image missing");
		return FW_ENOENT;
	}
	err = mptable_find(&img->mem, &fp);
	return err ? err : mptable_parse(&img->mem, &fp, &info);
}

static bool has_problem(const char *what)
{
	unsigned int i;

	for (i = 0; i < info.problems.n; i++)
		if (strstr(info.problems.item[i].what, what))
			return true;
	return false;
}

static const struct mp_irq *isa_irq(unsigned int irq)
{
	const struct mp_bus *bus;
	unsigned int i;

	for (i = 0; i < info.nirqs; i++) {
		bus = mptable_bus(&info, info.irqs[i].src_bus);
		if (bus && !strcmp(bus->type, "ISA   ") && info.irqs[i].src_irq == irq)
			return &info.irqs[i];
	}
	return NULL;
}

/* SeaBIOS lists the first CPU of each socket, PCI bus 0 and ISA bus 1. */
static void check_seabios(unsigned int ncpus, bool pci)
{
	unsigned int i;

	CHECK_EQ(fp.spec_rev, 4);
	CHECK_EQ(fp.default_config, 0);
	CHECK_EQ(info.spec_rev, 4);
	CHECK_STR(info.oem_id, "BOCHSCPU");
	CHECK_STR(info.product_id, "0.1         ");
	CHECK_EQ(info.lapic_addr, 0xfee00000);
	CHECK_EQ(info.ncpus, ncpus);
	for (i = 0; i < info.ncpus; i++) {
		CHECK_EQ(info.cpus[i].apic_id, i);
		CHECK_EQ(info.cpus[i].flags, i ? MP_CPU_ENABLED : MP_CPU_ENABLED | MP_CPU_BSP);
	}
	CHECK_EQ(info.nbuses, pci ? 2 : 1);
	CHECK(mptable_bus(&info, pci ? 1 : 0) &&
	      !strcmp(mptable_bus(&info, pci ? 1 : 0)->type, "ISA   "));
	CHECK_EQ(info.nioapics, 1);
	CHECK_EQ(info.ioapics[0].address, 0xfec00000);
	CHECK(info.ioapics[0].flags & MP_IOAPIC_ENABLED);
	CHECK(isa_irq(0) && isa_irq(0)->dst_pin == 2 && isa_irq(0)->type == MP_INT);
	CHECK(isa_irq(1) && isa_irq(1)->dst_pin == 1);
	CHECK(!isa_irq(2));
	CHECK_EQ(info.nlints, 2);
	CHECK(info.lints[0].type == MP_EXTINT && info.lints[0].dst_pin == 0);
	CHECK(info.lints[1].type == MP_NMI && info.lints[1].dst_id == MP_DEST_ALL &&
	      info.lints[1].dst_pin == 1);
	CHECK_EQ(info.problems.n, 0);
}

static void test_images(void)
{
	static const char *const qboot[] = {"qemu-microvm", "qemu-microvm-noacpi"};
	static const char *const bochs[] = {"bochs-i440fx", "bochs-i430fx"};
	struct fwimg img;
	unsigned int i;

	CHECK_EQ(load_find_parse(&img, "qemu-pc"), FW_OK);
	CHECK_EQ(fp.addr, 0xf5ba0);
	CHECK_EQ(fp.config, 0xf5bb0);
	check_seabios(1, true); /* -smp 4 is one socket: one CPU listed */
	CHECK_EQ(info.nirqs, 12);
	fwimg_free(&img);

	CHECK_EQ(load_find_parse(&img, "qemu-q35"), FW_OK);
	check_seabios(1, true);
	fwimg_free(&img);

	CHECK_EQ(load_find_parse(&img, "qemu-pc-noacpi"), FW_OK);
	check_seabios(4, true); /* sockets=4 */
	fwimg_free(&img);

	/* A 486 has no local APIC, yet the table lists an IO-APIC. */
	CHECK_EQ(load_find_parse(&img, "qemu-isapc"), FW_OK);
	CHECK_EQ(info.ncpus, 1);
	CHECK_EQ(info.cpus[0].flags, MP_CPU_BSP); /* not marked enabled */
	CHECK_EQ(info.cpus[0].apic_version, 0);
	CHECK_EQ(info.nioapics, 1);
	CHECK_EQ(info.ioapics[0].address, 0xfec00000);
	CHECK(isa_irq(0) && isa_irq(0)->dst_pin == 2);
	fwimg_free(&img);

	/* qboot: no BDA, the table at 639 KiB, an entry count of 0. */
	for (i = 0; i < 2; i++) {
		CHECK_EQ(load_find_parse(&img, qboot[i]), FW_OK);
		CHECK_EQ(fp.addr, 0x9fc00);
		CHECK_EQ(info.entry_count, 0);
		CHECK_STR(info.oem_id, "QBOOT   ");
		CHECK_EQ(info.ncpus, 2);
		CHECK_EQ(info.cpus[1].apic_id, 1);
		CHECK_EQ(info.nioapics, 1);
		CHECK_EQ(info.ioapics[0].id, 3);
		CHECK_EQ(info.nirqs, 15);
		CHECK(isa_irq(0) && isa_irq(0)->dst_pin == 2 && isa_irq(0)->dst_id == 3);
		CHECK(has_problem("entry count"));
		fwimg_free(&img);
	}

	for (i = 0; i < 2; i++) {
		CHECK_EQ(load_find_parse(&img, bochs[i]), FW_OK);
		CHECK_EQ(fp.addr, 0xf9e80);
		CHECK_EQ(info.ncpus, 2);
		CHECK_EQ(info.cpus[0].flags, MP_CPU_ENABLED | MP_CPU_BSP);
		CHECK_EQ(info.nbuses, 1);
		CHECK_STR(info.buses[0].type, "ISA   ");
		CHECK_EQ(info.ioapics[0].id, 2);
		CHECK(isa_irq(0) && isa_irq(0)->dst_pin == 2);
		CHECK_EQ(info.nlints, 0);
		CHECK_EQ(info.problems.n, 0);
		fwimg_free(&img);
	}
}

/* ---- malformed variants of the qemu-pc table ----------------------------- */

static struct fwimg *fresh(const char *what)
{
	static struct fwimg img;

	fwimg_free(&img);
	load_find_parse(&img, "qemu-pc");
	harness_set_context(what);
	return &img;
}

static int reparse(struct fwimg *img)
{
	int err = mptable_find(&img->mem, &fp);

	return err ? err : mptable_parse(&img->mem, &fp, &info);
}

static void resum_fp(struct fwimg *img)
{
	fwimg_fix_sum(fwimg_ptr(img, 0xf5ba0, 16), 16, 10);
}

static void resum_pcmp(uint8_t *t)
{
	fwimg_fix_sum(t, fw_le16(t + 4), 7);
}

static void test_bad(void)
{
	struct fwimg *img;
	uint8_t *f, *t;

	img = fresh("floating pointer checksum");
	fwimg_ptr(img, 0xf5ba0, 16)[10] ^= 1;
	CHECK_EQ(reparse(img), FW_ENOENT);
	CHECK_STR(fp.why, "no MP floating pointer");

	img = fresh("floating pointer length 0");
	fwimg_ptr(img, 0xf5ba0, 16)[8] = 0;
	resum_fp(img);
	CHECK_EQ(reparse(img), FW_ENOENT);

	img = fresh("default configuration 6");
	f = fwimg_ptr(img, 0xf5ba0, 16);
	memset(f + 4, 0, 4);
	f[11] = 6;
	resum_fp(img);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.default_config, 6);
	CHECK_EQ(info.ncpus, 0);

	img = fresh("no table, no default");
	memset(fwimg_ptr(img, 0xf5ba0, 16) + 4, 0, 4);
	resum_fp(img);
	CHECK_EQ(reparse(img), FW_ENOENT);

	img = fresh("PCMP signature");
	fwimg_ptr(img, 0xf5bb0, 44)[0] = 'X';
	CHECK_EQ(reparse(img), FW_EINVAL);
	CHECK_STR(info.why, "PCMP: bad signature");

	img = fresh("PCMP checksum");
	fwimg_ptr(img, 0xf5bb0, 44)[7] ^= 1;
	CHECK_EQ(reparse(img), FW_EINVAL);
	CHECK_STR(info.why, "PCMP: bad checksum");

	img = fresh("PCMP length 40");
	t = fwimg_ptr(img, 0xf5bb0, 44);
	t[4] = 40, t[5] = 0;
	CHECK_EQ(reparse(img), FW_EINVAL);
	CHECK_STR(info.why, "PCMP: bad length");

	img = fresh("PCMP length past readable memory");
	t = fwimg_ptr(img, 0xf5bb0, 44);
	t[4] = 0xff, t[5] = 0xff;
	CHECK_EQ(reparse(img), FW_EINVAL);
	CHECK_STR(info.why, "PCMP: runs past readable memory");

	img = fresh("PCMP behind a hole");
	img->hole_lo = 0xf5bb0 + 100;
	img->hole_hi = 0xf5bb0 + 101;
	CHECK_EQ(reparse(img), FW_EINVAL);

	/* The IO-APIC entry (after CPU 20 bytes, 2 buses 16) becomes type 7. */
	img = fresh("unknown entry type");
	t = fwimg_ptr(img, 0xf5bb0, 200);
	CHECK_EQ(t[80], 2);
	t[80] = 7;
	resum_pcmp(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(info.ncpus == 1 && info.nbuses == 2 && info.nioapics == 0 && info.nirqs == 0);
	CHECK(info.problems.n >= 1 && info.problems.item[0].offset == 80);
	CHECK(has_problem("unknown entry type"));

	img = fresh("length cuts a bus entry");
	t = fwimg_ptr(img, 0xf5bb0, 200);
	t[4] = 44 + 20 + 4;
	resum_pcmp(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(info.ncpus == 1 && info.nbuses == 0);
	CHECK(has_problem("runs past"));

	img = fresh("header only");
	t = fwimg_ptr(img, 0xf5bb0, 200);
	t[4] = 44;
	resum_pcmp(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.ncpus, 0);
	CHECK(has_problem("entry count"));

	/* Unreadable BDA: the F segment is still searched. */
	img = fresh("no BDA");
	img->hole_lo = 0x400;
	img->hole_hi = 0x500;
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(fp.addr, 0xf5ba0);
	fwimg_free(img);
}

/* ---- synthetic: the search order and the array limits -------------------- */

static uint8_t low[0x100000]; /* physical 0 - 1 MiB */

static void set_le(uint8_t *p, uint64_t v, int n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

static void put_fp(uint32_t pa, uint32_t config)
{
	uint8_t *p = low + pa;

	memset(p, 0, 16);
	memcpy(p, "_MP_", 4);
	set_le(p + 4, config, 4);
	p[8] = 1;
	p[9] = 4;
	fwimg_fix_sum(p, 16, 10);
}

static void test_synthetic(void)
{
	struct fwmem_flat lf;
	struct fw_mem lm;
	uint8_t *t = low + 0x10000;
	uint32_t off = 44, i;

	fwmem_flat_init(&lm, &lf, low, 0, sizeof(low));

	harness_set_context("search order");
	put_fp(0xf0000, 0x10000);
	put_fp(0x95c00, 0x20000); /* last KiB of 600 KiB */
	put_fp(0x9f000, 0x30000); /* in a 1 KiB EBDA at 0x9f000 */
	put_fp(0x9fc00, 0x40000); /* 639 KiB */
	CHECK_EQ(mptable_find(&lm, &fp), FW_OK);
	CHECK_EQ(fp.addr, 0x9fc00); /* no BDA: 639 KiB before the F segment */
	set_le(low + 0x413, 600, 2);
	CHECK_EQ(mptable_find(&lm, &fp), FW_OK);
	CHECK_EQ(fp.addr, 0x95c00);
	set_le(low + 0x40e, 0x9f00, 2);
	CHECK_EQ(mptable_find(&lm, &fp), FW_OK);
	CHECK_EQ(fp.addr, 0x9f000);
	set_le(low + 0x413, 6000, 2); /* absurd: 639 KiB again */
	set_le(low + 0x40e, 0x0040, 2);
	CHECK_EQ(mptable_find(&lm, &fp), FW_OK);
	CHECK_EQ(fp.addr, 0x9fc00);
	memset(low + 0x9fc00, 0, 16);
	CHECK_EQ(mptable_find(&lm, &fp), FW_OK);
	CHECK_EQ(fp.addr, 0xf0000);

	/* A 64 KiB table: 300 CPUs, 40 buses, 20 IO-APICs, 100 + 20 interrupts. */
	harness_set_context("limits");
	memcpy(t, "PCMP", 4);
	t[6] = 4;
	for (i = 0; i < 300; i++, off += 20)
		t[off] = 0, t[off + 1] = (uint8_t)i, t[off + 3] = MP_CPU_ENABLED;
	for (i = 0; i < 40; i++, off += 8)
		t[off] = 1, t[off + 1] = (uint8_t)i, memcpy(t + off + 2, "ISA   ", 6);
	for (i = 0; i < 20; i++, off += 8)
		t[off] = 2, t[off + 1] = (uint8_t)i,
		set_le(t + off + 4, 0xfec00000 + i * 0x1000, 4);
	for (i = 0; i < 120; i++, off += 8)
		t[off] = i < 100 ? 3 : 4, t[off + 5] = (uint8_t)i;
	set_le(t + 4, off, 2);
	set_le(t + 34, 300 + 40 + 20 + 120, 2);
	fwimg_fix_sum(t, off, 7);
	CHECK_EQ(mptable_parse(&lm, &fp, &info), FW_OK);
	CHECK(info.ncpus == MP_MAX_CPUS && info.cpus_dropped == 44);
	CHECK(info.nbuses == MP_MAX_BUSES && info.buses_dropped == 8);
	CHECK(info.nioapics == MP_MAX_IOAPICS && info.ioapics_dropped == 4);
	CHECK(info.nirqs == MP_MAX_IRQS && info.irqs_dropped == 36);
	CHECK(info.nlints == MP_MAX_LINTS && info.lints_dropped == 4);
	CHECK_EQ(info.problems.n, 0);
}

int main(int argc, char **argv)
{
	dir = fwimg_dir(argc, argv);
	if (CHECK(fwimg_all_present(dir))) {
		test_images();
		test_bad();
	}
	test_synthetic();
	harness_set_context("");
	return harness_done();
}
