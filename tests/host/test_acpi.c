// SPDX-License-Identifier: MIT
/*
 * ACPI reader tests: the facts of every captured image (tests/data/fw),
 * then malformed variants of them and of small synthetic tables.
 */
#include <stdlib.h>
#include <firmware/acpi.h>
#include "harness.h"
#include "fwimg.h"

static const char *dir;
static struct acpi_info info; /* large: keep it off the stack */

/* Load an image, find its RSDP and parse; returns the acpi_parse code. */
static int load_parse(struct fwimg *img, const char *name)
{
	struct acpi_rsdp r;
	int err;

	harness_set_context(name);
	if (fwimg_load(img, dir, name)) {
		CHECK(!"image missing");
		return FW_ENOENT;
	}
	err = acpi_find_rsdp(&img->mem, 0, &r);
	if (err) {
		memset(&info, 0, sizeof(info));
		return err;
	}
	return acpi_parse(&img->mem, &r, &info);
}

static bool has_problem(const struct fw_problems *p, const char *tag, const char *what)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->item[i].tag, tag) && strstr(p->item[i].what, what))
			return true;
	return false;
}

static const struct acpi_override * override(unsigned int irq)
{
	unsigned int i;

	for (i = 0; i < info.madt.noverrides; i++)
		if (info.madt.overrides[i].irq == irq)
			return &info.madt.overrides[i];
	return NULL;
}

/* SeaBIOS's MADT on pc and q35: what QEMU's acpi-build writes. */
static void check_seabios_madt(unsigned int ncpus)
{
	const struct acpi_override *o;
	unsigned int i;

	CHECK(info.madt.present);
	CHECK_EQ(info.madt.lapic_addr, 0xfee00000);
	CHECK(info.madt.flags & ACPI_MADT_PCAT_COMPAT);
	CHECK_EQ(info.madt.ncpus, ncpus);
	for (i = 0; i < info.madt.ncpus && i < ncpus; i++) {
		CHECK_EQ(info.madt.cpus[i].apic_id, i);
		CHECK_EQ(info.madt.cpus[i].uid, i);
		CHECK(info.madt.cpus[i].flags & ACPI_CPU_ENABLED);
		CHECK(!info.madt.cpus[i].x2apic);
	}
	CHECK_EQ(info.madt.nioapics, 1);
	CHECK_EQ(info.madt.ioapics[0].id, 0);
	CHECK_EQ(info.madt.ioapics[0].address, 0xfec00000);
	CHECK_EQ(info.madt.ioapics[0].gsi_base, 0);
	CHECK_EQ(info.madt.noverrides, 5);
	o = override(0);
	CHECK(o && o->gsi == 2 && o->flags == 0 && o->bus == 0);
	o = override(9); /* the SCI: level, active high */
	CHECK(o && o->gsi == 9 && ACPI_INTI_TRIGGER(o->flags) == 3 &&
	      ACPI_INTI_POLARITY(o->flags) == 1);
	CHECK_EQ(info.madt.nnmi_sources, 0);
	CHECK_EQ(info.madt.nlapic_nmis, 1);
	CHECK_EQ(info.madt.lapic_nmis[0].uid, ACPI_UID_ALL);
	CHECK_EQ(info.madt.lapic_nmis[0].lint, 1);
}

static void check_seabios_fadt(uint8_t revision)
{
	const struct acpi_fadt *f = &info.fadt;

	CHECK(f->present);
	CHECK_EQ(f->revision, revision);
	CHECK_EQ(f->pm_tmr.space, ACPI_SPACE_IO);
	CHECK_EQ(f->pm_tmr.address, 0x608);
	CHECK_EQ(f->pm_tmr.bit_width, 32);
	CHECK(!(f->flags & ACPI_FADT_TMR_VAL_EXT)); /* QEMU's PIIX4/ICH9 timer is 24 bits */
	CHECK(!(f->flags & ACPI_FADT_HW_REDUCED));
	CHECK_EQ(f->pm1a_cnt.space, ACPI_SPACE_IO);
	CHECK_EQ(f->pm1a_cnt.address, 0x604);
	CHECK_EQ(f->pm1a_evt.address, 0x600);
	CHECK_EQ(f->pm1b_cnt.address, 0);
	CHECK_EQ(f->sci_irq, 9);
	CHECK_EQ(f->smi_cmd, 0xb2);
	CHECK_EQ(f->century, 0x32);
	CHECK(f->dsdt != 0 && f->facs != 0);
	CHECK(info.s5.present);
	CHECK_EQ(info.s5.slp_typ_a, 0);
	CHECK_EQ(info.s5.slp_typ_b, 0);
	CHECK_EQ(info.s5.table, f->dsdt);
	CHECK(info.hpet.present);
	CHECK_EQ(info.hpet.base.address, 0xfed00000);
	CHECK_EQ(info.hpet.base.space, ACPI_SPACE_MEM);
	CHECK_EQ(info.hpet.block_id, 0x8086a201);
}

static void test_qemu_pc(void)
{
	struct fwimg img;
	struct acpi_rsdp r;

	CHECK_EQ(load_parse(&img, "qemu-pc"), FW_OK);
	CHECK_STR(info.why, "ok");
	CHECK_EQ(info.revision, 0);
	CHECK_STR(info.oem_id, "BOCHS ");
	CHECK(!info.xsdt);
	CHECK_STR(info.root.sig, "RSDT");
	CHECK_STR(info.root.oem_table_id, "BXPC    ");
	CHECK_EQ(info.ntables, 7); /* RSDT FACP APIC HPET WAET, DSDT FACS */
	CHECK(acpi_table_find(&info, "WAET", 0));
	CHECK(!acpi_table_find(&info, "WAET", 1));
	CHECK(!acpi_table_find(&info, "MCFG", 0));
	CHECK(acpi_table_find(&info, "DSDT", 0) &&
	      acpi_table_find(&info, "DSDT", 0)->addr == info.fadt.dsdt);
	CHECK(acpi_table_find(&info, "FACS", 0) && acpi_table_find(&info, "FACS", 0)->length == 64);
	CHECK_EQ(info.problems.n, 0);
	check_seabios_madt(4);
	check_seabios_fadt(1);
	CHECK_EQ(info.fadt.length, 116);
	CHECK_EQ(info.fadt.acpi_enable, 0xf1);

	/* The hint: valid (from_hint), wrong (found by search), absent. */
	CHECK_EQ(acpi_find_rsdp(&img.mem, 0xf59d0, &r), FW_OK);
	CHECK(r.from_hint && r.addr == 0xf59d0 && r.rsdt == info.root.addr);
	CHECK_EQ(acpi_find_rsdp(&img.mem, 0xf59e0, &r), FW_OK);
	CHECK(!r.from_hint && r.addr == 0xf59d0);
	CHECK_STR(r.why, "hint invalid, found by search");
	CHECK_EQ(acpi_find_rsdp(&img.mem, 0xfffffffffffffff0ull, &r), FW_OK);
	fwimg_free(&img);
}

static void test_qemu_q35(void)
{
	struct fwimg img;

	CHECK_EQ(load_parse(&img, "qemu-q35"), FW_OK);
	CHECK_STR(info.oem_id, "BOCHS ");
	check_seabios_madt(4);
	check_seabios_fadt(3);
	/* FADT 3 has the X_ blocks: QEMU fills them in, same ports. */
	CHECK_EQ(info.fadt.length, 244);
	CHECK(info.fadt.boot_arch & ACPI_BOOT_8042);
	CHECK(info.fadt.flags & ACPI_FADT_RESET_REG_SUP);
	CHECK_EQ(info.fadt.reset_reg.address, 0xcf9);
	CHECK_EQ(info.fadt.reset_value, 0x0f);
	CHECK(acpi_table_find(&info, "MCFG", 0));
	CHECK(acpi_table_find(&info, "HPET", 0));
	CHECK_EQ(info.problems.n, 0);
	fwimg_free(&img);
}

static void test_qemu_q35_ibm(void)
{
	struct fwimg img;

	CHECK_EQ(load_parse(&img, "qemu-q35-ibm"), FW_OK);
	/* x-oem-id pads with NULs, not spaces. */
	CHECK_STR(info.oem_id, "IBM");
	CHECK_STR(info.root.oem_id, "IBM");
	CHECK_STR(info.root.oem_table_id, "SERVIGIL");
	CHECK_STR(info.madt.oem_id, "IBM");
	CHECK_STR(info.madt.oem_table_id, "SERVIGIL");
	CHECK(fwmem_id_eq(info.madt.oem_id, "IBM   "));
	CHECK(!fwmem_id_eq(info.madt.oem_id, "UNISYS"));
	CHECK_EQ(info.madt.ncpus, 2);
	fwimg_free(&img);
}

static void test_qemu_microvm(void)
{
	struct fwimg img;
	const struct acpi_fadt *f = &info.fadt;

	CHECK_EQ(load_parse(&img, "qemu-microvm"), FW_OK);
	CHECK_EQ(info.revision, 2);
	CHECK(info.xsdt);
	CHECK_STR(info.root.sig, "XSDT");
	CHECK_EQ(info.ntables, 4); /* XSDT FACP APIC DSDT: no FACS, no HPET */
	CHECK(!info.hpet.present);
	CHECK(f->present && f->revision == 5);
	CHECK(f->flags & ACPI_FADT_HW_REDUCED);
	CHECK_EQ(f->pm_tmr.address, 0);
	CHECK_EQ(f->pm1a_cnt.address, 0);
	CHECK_EQ(f->sleep_control.space, ACPI_SPACE_MEM);
	CHECK_EQ(f->sleep_control.address, 0xfea00200);
	CHECK_EQ(f->sleep_status.address, 0xfea00201);
	CHECK_EQ(f->facs, 0);
	CHECK(info.s5.present);
	CHECK_EQ(info.s5.slp_typ_a, 5);
	CHECK_EQ(info.madt.ncpus, 2);
	CHECK_EQ(info.madt.nioapics, 2);
	CHECK_EQ(info.madt.ioapics[0].address, 0xfec00000);
	CHECK_EQ(info.madt.ioapics[0].gsi_base, 0);
	CHECK_EQ(info.madt.ioapics[1].address, 0xfec10000);
	CHECK_EQ(info.madt.ioapics[1].gsi_base, 24);
	CHECK_EQ(info.madt.noverrides, 0);
	CHECK_EQ(info.problems.n, 0);
	fwimg_free(&img);
}

static void test_bochs(void)
{
	struct fwimg img;
	const struct acpi_fadt *f = &info.fadt;

	CHECK_EQ(load_parse(&img, "bochs-i440fx"), FW_OK);
	CHECK_STR(info.oem_id, "BOCHS ");
	CHECK_STR(info.root.oem_table_id, "BXPCRSDT");
	CHECK_STR(info.madt.oem_table_id, "BXPCAPIC");
	CHECK(acpi_table_find(&info, "SSDT", 0));
	CHECK(acpi_table_find(&info, "HPET", 0));
	CHECK_STR(acpi_table_find(&info, "DSDT", 0)->oem_id, "BXPC");
	CHECK_EQ(info.madt.ncpus, 2);
	CHECK_EQ(info.madt.nioapics, 1);
	CHECK_EQ(info.madt.ioapics[0].id, 2); /* Bochs: IO-APIC id = CPU count */
	CHECK_EQ(info.madt.noverrides, 1);
	CHECK(override(0) && override(0)->gsi == 2);
	CHECK_EQ(info.madt.nlapic_nmis, 0);
	CHECK_EQ(f->pm1a_cnt.address, 0xb004);
	CHECK_EQ(f->pm_tmr.address, 0xb008);
	CHECK(info.s5.present && info.s5.slp_typ_a == 0);
	CHECK(info.hpet.present);
	CHECK_EQ(info.problems.n, 0);
	fwimg_free(&img);
}

static void test_no_acpi(void)
{
	static const char *const names[] = {"qemu-isapc", "qemu-pc-noacpi", "qemu-microvm-noacpi",
					    "bochs-i430fx"};
	struct acpi_rsdp r;
	struct fwimg img;
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		harness_set_context(names[i]);
		if (fwimg_load(&img, dir, names[i])) {
			CHECK(!"image missing");
			continue;
		}
		CHECK_EQ(acpi_find_rsdp(&img.mem, 0, &r), FW_ENOENT);
		CHECK(r.why && r.addr == 0);
		fwimg_free(&img);
	}
}

/* ---- malformed variants of the real tables ------------------------------ */

/* A fresh copy of NAME, parsed once so the tables' addresses are known. */
static struct fwimg *fresh(const char *name, const char *what)
{
	static struct fwimg img;
	static char ctx[128];

	fwimg_free(&img);
	load_parse(&img, name);
	snprintf(ctx, sizeof(ctx), "%s, %s", name, what);
	harness_set_context(ctx);
	return &img;
}

static uint8_t *table(struct fwimg *img, const char *sig)
{
	const struct acpi_table *t = acpi_table_find(&info, sig, 0);

	CHECK(t != NULL);
	return t ? fwimg_ptr(img, t->addr, t->length) : NULL;
}

static uint64_t table_addr(const char *sig)
{
	const struct acpi_table *t = acpi_table_find(&info, sig, 0);

	return t ? t->addr : 0;
}

static int reparse(struct fwimg *img)
{
	struct acpi_rsdp r;
	int err = acpi_find_rsdp(&img->mem, 0, &r);

	return err ? err : acpi_parse(&img->mem, &r, &info);
}

/* Re-sum an ACPI table after editing it (the checksum is byte 9). */
static void resum(uint8_t *t)
{
	fwimg_fix_sum(t, fw_le32(t + 4), 9);
}

static void test_bad_checksums(void)
{
	static const char *const sigs[] = {"APIC", "FACP", "HPET", "DSDT", "WAET"};
	struct fwimg *img;
	unsigned int i;
	uint8_t *t;

	img = fresh("qemu-pc", "RSDP checksum");
	fwimg_ptr(img, 0xf59d0, 20)[8] ^= 1;
	CHECK_EQ(reparse(img), FW_ENOENT);

	img = fresh("qemu-pc", "RSDT checksum");
	table(img, "RSDT")[9] ^= 1;
	CHECK_EQ(reparse(img), FW_EINVAL);
	CHECK_STR(info.why, "no usable RSDT or XSDT");
	CHECK(has_problem(&info.problems, "RSDT", "bad checksum"));

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		img = fresh("qemu-pc", sigs[i]);
		t = table(img, sigs[i]);
		if (!t)
			continue;
		t[9] ^= 0x55;
		CHECK_EQ(reparse(img), FW_OK);
		CHECK(has_problem(&info.problems, sigs[i], "bad checksum"));
		CHECK(!acpi_table_find(&info, sigs[i], 0));
		CHECK_EQ(info.madt.present, strcmp(sigs[i], "APIC") != 0);
		CHECK_EQ(info.fadt.present, strcmp(sigs[i], "FACP") != 0);
		CHECK_EQ(info.hpet.present, strcmp(sigs[i], "HPET") != 0);
		/* No FADT, no DSDT; no DSDT (and no SSDT on QEMU pc), no \_S5. */
		CHECK_EQ(info.s5.present, strcmp(sigs[i], "FACP") && strcmp(sigs[i], "DSDT"));
	}

	img = fresh("qemu-microvm", "RSDP extended checksum");
	fwimg_ptr(img, 0xf3490, 36)[32] ^= 1;
	CHECK_EQ(reparse(img), FW_ENOENT);

	img = fresh("qemu-microvm", "XSDT checksum, no RSDT");
	table(img, "XSDT")[9] ^= 1;
	CHECK_EQ(reparse(img), FW_EINVAL);
	CHECK(has_problem(&info.problems, "XSDT", "bad checksum"));
	fwimg_free(img);
}

static void test_bad_lengths(void)
{
	struct fwimg *img;
	uint64_t madt;
	uint8_t *t;

	/* A table whose last bytes are unreadable (a hole in the accessor). */
	img = fresh("qemu-pc", "MADT runs into unreadable memory");
	madt = table_addr("APIC");
	img->hole_lo = madt + 0x80;
	img->hole_hi = madt + 0x81;
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(!info.madt.present);
	CHECK(has_problem(&info.problems, "APIC", "runs past readable memory"));

	/* A stated length past the end of the captured chunk (but under 1 MiB). */
	img = fresh("qemu-pc", "MADT length past the image");
	t = table(img, "APIC");
	t[4] = 0x00, t[5] = 0x00, t[6] = 0x0f, t[7] = 0x00; /* 960 KiB */
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(!info.madt.present && info.fadt.present);
	CHECK(has_problem(&info.problems, "APIC", "runs past readable memory"));

	img = fresh("qemu-pc", "MADT length over 1 MiB");
	t = table(img, "APIC");
	t[4] = 0x01, t[5] = 0x00, t[6] = 0x10, t[7] = 0x00;
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(has_problem(&info.problems, "APIC", "bad length"));

	img = fresh("qemu-pc", "MADT length below the header");
	t = table(img, "APIC");
	t[4] = 20, t[5] = 0;
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(!info.madt.present);
	CHECK(has_problem(&info.problems, "APIC", "bad length"));

	img = fresh("qemu-pc", "RSDT length 0");
	t = table(img, "RSDT");
	memset(t + 4, 0, 4);
	CHECK_EQ(reparse(img), FW_EINVAL);

	/* 54 bytes: four entries and half of one. */
	img = fresh("qemu-pc", "RSDT length not a multiple of 4");
	t = table(img, "RSDT");
	t[4] = 54;
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.ntables, 7);
	CHECK(has_problem(&info.problems, "RSDT", "whole number"));

	img = fresh("qemu-pc", "FADT length 100");
	t = table(img, "FACP");
	t[4] = 100;
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(info.fadt.present && info.fadt.pm_tmr.address == 0x608);
	CHECK_EQ(info.fadt.flags, 0); /* at 112: beyond the stated length */
	CHECK(has_problem(&info.problems, "FADT", "shorter"));
	fwimg_free(img);
}

static void test_bad_madt_entries(void)
{
	struct fwimg *img;
	uint8_t *t;

	/* After the 2 LAPIC entries of a 2-CPU q35: offset 0x3c. */
	img = fresh("qemu-q35-ibm", "MADT entry length 0");
	t = table(img, "APIC");
	CHECK(t[0x3c] == 1 && t[0x3d] == 12); /* the IO-APIC entry */
	t[0x3d] = 0;
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(info.madt.present);
	CHECK_EQ(info.madt.ncpus, 2);
	CHECK_EQ(info.madt.nioapics, 0);
	CHECK(info.problems.n == 1 && info.problems.item[0].offset == 0x3c &&
	      !strcmp(info.problems.item[0].tag, "MADT") &&
	      info.problems.item[0].addr == info.madt.addr);

	img = fresh("qemu-q35-ibm", "MADT entry length 1");
	t = table(img, "APIC");
	t[0x3d] = 1;
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(has_problem(&info.problems, "MADT", "below 2"));

	img = fresh("qemu-q35-ibm", "MADT entry past the end");
	t = table(img, "APIC");
	t[0x3d] = 0xff;
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.madt.ncpus, 2);
	CHECK(has_problem(&info.problems, "MADT", "past the table"));

	img = fresh("qemu-q35-ibm", "MADT IO-APIC entry of 8 bytes");
	t = table(img, "APIC");
	t[0x3d] = 8;
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.madt.nioapics, 0);
	CHECK(has_problem(&info.problems, "MADT", "too short for its type"));

	/* One byte of trailing junk after the last entry. */
	img = fresh("qemu-q35-ibm", "MADT trailing byte");
	t = table(img, "APIC");
	t[4]++;
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.madt.noverrides, 5);
	CHECK_EQ(info.madt.nlapic_nmis, 1);
	CHECK(has_problem(&info.problems, "MADT", "truncated entry"));
	fwimg_free(img);
}

static void set_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16),
	p[3] = (uint8_t)(v >> 24);
}

static void test_bad_pointers(void)
{
	struct fwimg *img;
	uint64_t rsdt, madt;
	uint8_t *t;

	/* RSDT entries: FACP APIC HPET WAET at 36, 40, 44, 48. */
	img = fresh("qemu-pc", "RSDT lists itself");
	rsdt = table_addr("RSDT");
	t = table(img, "RSDT");
	set_le32(t + 48, (uint32_t)rsdt);
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.ntables, 6);
	CHECK(has_problem(&info.problems, "RSDT", "duplicate"));
	CHECK(info.madt.present && info.fadt.present);

	img = fresh("qemu-pc", "RSDT lists the MADT twice");
	madt = table_addr("APIC");
	t = table(img, "RSDT");
	set_le32(t + 48, (uint32_t)madt);
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK_EQ(info.madt.ncpus, 4);
	CHECK(!acpi_table_find(&info, "APIC", 1));

	img = fresh("qemu-pc", "RSDT null and unreadable entries");
	t = table(img, "RSDT");
	set_le32(t + 44, 0);
	set_le32(t + 48, 0xfffffff0);
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(has_problem(&info.problems, "RSDT", "null entry"));
	CHECK(has_problem(&info.problems, "????", "not readable"));
	CHECK(!info.hpet.present);

	img = fresh("qemu-pc", "FADT DSDT pointing at the MADT");
	madt = table_addr("APIC");
	t = table(img, "FACP");
	set_le32(t + 40, (uint32_t)madt + 1);
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(!info.s5.present);
	CHECK(has_problem(&info.problems, "DSDT", ""));

	img = fresh("qemu-pc", "FACS with a bad signature");
	t = fwimg_ptr(img, info.fadt.facs, 64);
	t[0] = 'X';
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(!acpi_table_find(&info, "FACS", 0));
	CHECK(has_problem(&info.problems, "FACS", "unusable"));

	/* Xen 4.17: an XSDT with garbage in its signature, everything else right. */
	img = fresh("qemu-microvm", "XSDT with a bad signature");
	t = table(img, "XSDT");
	memcpy(t, "\x53\xff\x00\xf0", 4); /* what lies at address 0 under SeaBIOS */
	resum(t);
	CHECK_EQ(reparse(img), FW_OK);
	CHECK(info.xsdt && info.madt.present && info.fadt.present);
	CHECK(has_problem(&info.problems, "XSDT", "accepted"));

	img = fresh("qemu-microvm", "XSDT with a bad signature and a bad entry");
	t = table(img, "XSDT");
	memcpy(t, "JUNK", 4);
	set_le32(t + 36, 0x12345678);
	resum(t);
	CHECK_EQ(reparse(img), FW_EINVAL);
	CHECK(has_problem(&info.problems, "XSDT", "bad signature"));
	fwimg_free(img);
}

static void test_acpi_bad(void)
{
	test_bad_checksums();
	test_bad_lengths();
	test_bad_madt_entries();
	test_bad_pointers();
}

int main(int argc, char **argv)
{
	dir = fwimg_dir(argc, argv);
	if (!CHECK(fwimg_all_present(dir)))
		return harness_done();
	test_qemu_pc();
	test_qemu_q35();
	test_qemu_q35_ibm();
	test_qemu_microvm();
	test_bochs();
	test_no_acpi();
	test_acpi_bad();
	harness_set_context("");
	return harness_done();
}
