// SPDX-License-Identifier: MIT
/*
 * ACPI reader tests on small synthetic tables, for what no emulator here
 * produces: pointer loops, absurd counts, Xen's XSDT, x2APIC and NMI
 * entries, overflowing arrays, the AML encodings of \_S5, the EBDA search.
 */
#include <firmware/acpi.h>
#include "harness.h"

#define BASE 0x100000u

static uint8_t mem[0x40000]; /* physical [BASE, BASE + sizeof(mem)) */
static size_t used;
static struct fwmem_flat flat;
static struct fw_mem fm;
static struct acpi_info info;

static void reset(void)
{
	memset(mem, 0, sizeof(mem));
	used = 0;
	fwmem_flat_init(&fm, &flat, mem, BASE, sizeof(mem));
}

static uint8_t *at(uint64_t pa)
{
	return mem + (pa - BASE);
}

static void set_le(uint8_t *p, uint64_t v, int n)
{
	while (n--) {
		*p++ = (uint8_t)v;
		v >>= 8;
	}
}

static void fix_sum(uint8_t *p, size_t len, size_t off)
{
	p[off] = 0;
	p[off] = (uint8_t)(0x100 - fw_sum8(p, len));
}

/* A table with a standard header around body, 16-byte aligned. */
static uint64_t sdt(const char *sig, const void *body, size_t n)
{
	uint8_t *t = mem + used;
	uint64_t pa = BASE + used;

	memcpy(t, sig, 4);
	set_le(t + 4, 36 + n, 4);
	t[8] = 1;
	memcpy(t + 10, "TEST  SYNTHTBL", 14);
	if (n)
		memcpy(t + 36, body, n);
	fix_sum(t, 36 + n, 9);
	used += (36 + n + 15) & ~(size_t)15;
	return pa;
}

static uint64_t root(const char *sig, const uint64_t *entries, size_t n)
{
	uint8_t body[8 * 512];
	size_t es = sig[0] == 'X' ? 8 : 4, i;

	for (i = 0; i < n; i++)
		set_le(body + i * es, entries[i], (int)es);
	return sdt(sig, body, n * es);
}

static uint64_t rsdp(uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *p = mem + used;
	uint64_t pa = BASE + used;

	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "TEST  ", 6);
	p[15] = rev;
	set_le(p + 16, rsdt, 4);
	set_le(p + 20, 36, 4);
	set_le(p + 24, xsdt, 8);
	fix_sum(p, 20, 8);
	fix_sum(p, 36, 32);
	used += 48;
	return pa;
}

static int parse_at(uint64_t rsdp_pa)
{
	struct acpi_rsdp r;
	int err = acpi_find_rsdp(&fm, rsdp_pa, &r);

	CHECK(!err && r.from_hint);
	return err ? err : acpi_parse(&fm, &r, &info);
}

static bool has_problem(const char *tag, const char *what)
{
	unsigned int i;

	for (i = 0; i < info.problems.n; i++)
		if (!strcmp(info.problems.item[i].tag, tag) &&
		    strstr(info.problems.item[i].what, what))
			return true;
	return false;
}

/* MADT body builders. */
static size_t lapic(uint8_t *b, uint8_t uid, uint8_t id, uint32_t flags)
{
	b[0] = 0, b[1] = 8, b[2] = uid, b[3] = id;
	set_le(b + 4, flags, 4);
	return 8;
}

static size_t x2apic(uint8_t *b, uint32_t id, uint32_t uid, uint32_t flags)
{
	memset(b, 0, 16);
	b[0] = 9, b[1] = 16;
	set_le(b + 4, id, 4);
	set_le(b + 8, flags, 4);
	set_le(b + 12, uid, 4);
	return 16;
}

static size_t ioapic(uint8_t *b, uint8_t id, uint32_t addr, uint32_t gsi)
{
	b[0] = 1, b[1] = 12, b[2] = id, b[3] = 0;
	set_le(b + 4, addr, 4);
	set_le(b + 8, gsi, 4);
	return 12;
}

static size_t iso(uint8_t *b, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	b[0] = 2, b[1] = 10, b[2] = 0, b[3] = irq;
	set_le(b + 4, gsi, 4);
	set_le(b + 8, flags, 2);
	return 10;
}

static size_t madt_hdr(uint8_t *b)
{
	set_le(b, 0xfee00000, 4);
	set_le(b + 4, 1, 4);
	return 8;
}

/* What Xen 4.17 hands a PVH dom0 (EMULATORS.md), garbage XSDT signature included. */
static void test_xen_dom0(void)
{
	static const uint8_t isa[] = {0, 5, 9, 10, 11};
	uint8_t b[512];
	size_t n, i;
	uint64_t madt, xsdt, r;

	harness_set_context("Xen dom0 tables");
	reset();
	n = madt_hdr(b);
	n += x2apic(b + n, 0, 0, 1);
	n += x2apic(b + n, 2, 1, 1);
	n += ioapic(b + n, 0, 0xfec00000, 0);
	for (i = 0; i < sizeof(isa); i++)
		n += iso(b + n, isa[i], isa[i] ? isa[i] : 2, isa[i] ? 0xd : 0);
	madt = sdt("APIC", b, n);
	xsdt = root("XSDT", &madt, 1);
	memcpy(at(xsdt), "\x53\xff\x00\xf0", 4);
	fix_sum(at(xsdt), 44, 9);
	r = rsdp(2, 0, xsdt);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK(info.xsdt);
	CHECK_STR(info.root.sig, "XSDT");
	CHECK(has_problem("XSDT", "accepted"));
	CHECK_EQ(info.madt.ncpus, 2);
	CHECK(info.madt.cpus[1].x2apic && info.madt.cpus[1].apic_id == 2 &&
	      info.madt.cpus[1].uid == 1);
	CHECK_EQ(info.madt.noverrides, 5);
	CHECK_EQ(info.madt.overrides[0].gsi, 2);
}

static void test_madt_entries(void)
{
	static uint8_t b[8 + 300 * 8 + 64];
	uint64_t madt, r;
	size_t n, i;

	harness_set_context("MADT with every entry type");
	reset();
	n = madt_hdr(b);
	n += lapic(b + n, 0, 0, 1);
	n += lapic(b + n, 1, 1, 2);  /* online capable, not enabled */
	n += x2apic(b + n, 1, 7, 1); /* same CPU again: dropped as a duplicate */
	n += x2apic(b + n, 300, 300, 1);
	b[n] = 3, b[n + 1] = 8, set_le(b + n + 2, 0xd, 2), set_le(b + n + 4, 22, 4), n += 8;
	b[n] = 4, b[n + 1] = 6, b[n + 2] = 1, set_le(b + n + 3, 5, 2), b[n + 5] = 0, n += 6;
	memset(b + n, 0, 12), b[n] = 10, b[n + 1] = 12, set_le(b + n + 4, 300, 4), b[n + 8] = 1;
	n += 12;
	memset(b + n, 0, 12), b[n] = 5, b[n + 1] = 12, set_le(b + n + 4, 0x1fee00000ull, 8);
	n += 12;
	memset(b + n, 0, 20), b[n] = 0x7f, b[n + 1] = 20, n += 20; /* unknown: skipped */
	n += ioapic(b + n, 9, 0xfec01000, 24);
	madt = sdt("APIC", b, n);
	r = rsdp(0, (uint32_t)root("RSDT", &madt, 1), 0);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK_EQ(info.problems.n, 0);
	CHECK_EQ(info.madt.lapic_addr, 0x1fee00000ull);
	CHECK_EQ(info.madt.ncpus, 3);
	CHECK_EQ(info.madt.cpus_duplicate, 1);
	CHECK_EQ(info.madt.cpus[1].flags, ACPI_CPU_ONLINE_CAPABLE);
	CHECK(info.madt.cpus[2].x2apic && info.madt.cpus[2].apic_id == 300);
	CHECK_EQ(info.madt.nnmi_sources, 1);
	CHECK_EQ(info.madt.nmi_sources[0].gsi, 22);
	CHECK_EQ(info.madt.nlapic_nmis, 2);
	CHECK(info.madt.lapic_nmis[0].uid == 1 && info.madt.lapic_nmis[0].flags == 5 &&
	      info.madt.lapic_nmis[0].lint == 0);
	CHECK(info.madt.lapic_nmis[1].uid == 300 && info.madt.lapic_nmis[1].lint == 1);
	CHECK_EQ(info.madt.nioapics, 1);
	CHECK_EQ(info.madt.ioapics[0].gsi_base, 24);

	harness_set_context("MADT with too many of everything");
	reset();
	n = madt_hdr(b);
	for (i = 0; i < 300; i++)
		n += lapic(b + n, (uint8_t)i, (uint8_t)i, 1); /* ids wrap at 256: 44 duplicates */
	madt = sdt("APIC", b, n);
	r = rsdp(0, (uint32_t)root("RSDT", &madt, 1), 0);
	CHECK_EQ(parse_at(r), FW_OK);
#if ACPI_MAX_CPUS == 256
	CHECK_EQ(info.madt.ncpus, ACPI_MAX_CPUS); /* full before the duplicates come */
	CHECK_EQ(info.madt.cpus_dropped, 44);
#else
	CHECK_EQ(info.madt.ncpus, 256); /* room for all: the 44 wrapped ids are duplicates */
	CHECK_EQ(info.madt.cpus_duplicate, 44);
#endif
	reset();
	n = madt_hdr(b);
	for (i = 0; i < 20; i++)
		n += ioapic(b + n, (uint8_t)i, 0xfec00000 + (uint32_t)i * 0x1000, (uint32_t)i * 24);
	for (i = 0; i < 40; i++)
		n += iso(b + n, (uint8_t)i, (uint32_t)i, 0);
	madt = sdt("APIC", b, n);
	r = rsdp(0, (uint32_t)root("RSDT", &madt, 1), 0);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK_EQ(info.madt.nioapics, ACPI_MAX_IOAPICS);
	CHECK_EQ(info.madt.ioapics_dropped, 4);
	CHECK_EQ(info.madt.noverrides, ACPI_MAX_OVERRIDES);
	CHECK_EQ(info.madt.overrides_dropped, 8);
}

/*
 * More CPUs than the kernel keeps, as x2APIC entries (type 9) with distinct ids, as
 * QEMU's q35 lists them past 255: the first ACPI_MAX_CPUS are kept, the rest counted.
 * ACPI_MAX_CPUS is CONFIG_NR_CPUS (test_acpi_synth1024 builds this with 1024).
 */
static void test_madt_cpu_limit(void)
{
	static uint8_t b[8 + 1100 * 16];
	uint64_t madt, r;
	size_t n, i;

	harness_set_context("MADT with 1100 x2APIC CPUs");
	reset();
	n = madt_hdr(b);
	for (i = 0; i < 1100; i++)
		n += x2apic(b + n, (uint32_t)i, (uint32_t)i, 1);
	madt = sdt("APIC", b, n);
	r = rsdp(2, 0, root("XSDT", &madt, 1));
	CHECK_EQ(parse_at(r), FW_OK);
#ifdef CONFIG_NR_CPUS
	CHECK_EQ(ACPI_MAX_CPUS, CONFIG_NR_CPUS);
#endif
	CHECK_EQ(info.madt.ncpus, ACPI_MAX_CPUS);
	CHECK_EQ(info.madt.cpus_dropped, 1100 - ACPI_MAX_CPUS);
	CHECK_EQ(info.madt.cpus_duplicate, 0);
	CHECK(info.madt.cpus[ACPI_MAX_CPUS - 1].x2apic &&
	      info.madt.cpus[ACPI_MAX_CPUS - 1].apic_id == ACPI_MAX_CPUS - 1);
}

static void test_roots(void)
{
	uint64_t e[300], madt, rsdt, xsdt, r;
	uint8_t b[64];
	size_t i;

	harness_set_context("RSDT with 300 entries");
	reset();
	madt = sdt("APIC", b, madt_hdr(b));
	for (i = 0; i < 300; i++)
		e[i] = madt;
	r = rsdp(0, (uint32_t)root("RSDT", e, 300), 0);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK_EQ(info.ntables, 2);
	CHECK(has_problem("RSDT", "too many entries"));
	CHECK(has_problem("RSDT", "duplicate entry"));
	CHECK(info.problems.n == 8 && info.problems.dropped == 256 - 8);

	/* An XSDT and an RSDT listing each other: neither is followed as a root. */
	harness_set_context("XSDT and RSDT listing each other");
	reset();
	madt = sdt("APIC", b, madt_hdr(b));
	rsdt = BASE + used;
	e[0] = BASE + used + 48; /* where the XSDT will be */
	e[1] = madt;
	rsdt = root("RSDT", e, 2);
	e[0] = rsdt;
	xsdt = root("XSDT", e, 2);
	CHECK_EQ(xsdt, rsdt + 48);
	r = rsdp(2, (uint32_t)rsdt, xsdt);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK(info.xsdt && info.madt.present);
	CHECK_EQ(info.ntables, 3);
	CHECK(acpi_table_find(&info, "RSDT", 0));

	harness_set_context("bad XSDT, good RSDT");
	at(xsdt)[9] ^= 1;
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK(!info.xsdt && info.madt.present);
	CHECK_STR(info.root.sig, "RSDT");
	CHECK(has_problem("XSDT", "bad checksum"));
	CHECK(has_problem("RSDT", "instead of the XSDT"));

	harness_set_context("empty RSDT");
	reset();
	r = rsdp(0, (uint32_t)root("RSDT", e, 0), 0);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK_EQ(info.ntables, 1);
	CHECK(!info.madt.present && !info.fadt.present);

	harness_set_context("RSDP revision 2 with a short length");
	reset();
	r = rsdp(2, 0, 0);
	set_le(at(r) + 20, 20, 4);
	fix_sum(at(r), 36, 32);
	{
		struct acpi_rsdp rp;

		CHECK_EQ(acpi_find_rsdp(&fm, r, &rp), FW_ENOENT);
	}
}

static void test_fadt(void)
{
	uint8_t b[276 - 36];
	uint64_t fadt, r;

	harness_set_context("FADT 6 with X_ blocks");
	reset();
	memset(b, 0, sizeof(b));
	set_le(b + 76 - 36, 0x608, 4); /* PM_TMR_BLK */
	b[91 - 36] = 4;
	set_le(b + 64 - 36, 0x604, 4); /* PM1a_CNT_BLK, overridden by an X_ of 0 address */
	b[89 - 36] = 2;
	b[208 - 36] = ACPI_SPACE_MEM, b[209 - 36] = 32; /* X_PM_TMR_BLK in memory */
	set_le(b + 212 - 36, 0xfed000f0, 8);
	b[172 - 36] = ACPI_SPACE_IO, b[173 - 36] = 16; /* X_PM1a_CNT_BLK, address 0 */
	set_le(b + 112 - 36, ACPI_FADT_TMR_VAL_EXT, 4);
	set_le(b + 109 - 36, ACPI_BOOT_NO_VGA | ACPI_BOOT_NO_CMOS_RTC, 2);
	set_le(b + 40 - 36, 0x1234, 4);	      /* DSDT */
	set_le(b + 140 - 36, 0x100001234, 8); /* X_DSDT wins */
	fadt = sdt("FACP", b, sizeof(b));
	r = rsdp(0, (uint32_t)root("RSDT", &fadt, 1), 0);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK(info.fadt.present && info.fadt.length == 276);
	CHECK_EQ(info.fadt.pm_tmr.space, ACPI_SPACE_MEM);
	CHECK_EQ(info.fadt.pm_tmr.address, 0xfed000f0);
	CHECK_EQ(info.fadt.pm1a_cnt.space, ACPI_SPACE_IO);
	CHECK_EQ(info.fadt.pm1a_cnt.address, 0x604);
	CHECK_EQ(info.fadt.pm1a_cnt.bit_width, 16);
	CHECK(info.fadt.flags & ACPI_FADT_TMR_VAL_EXT);
	CHECK_EQ(info.fadt.boot_arch, ACPI_BOOT_NO_VGA | ACPI_BOOT_NO_CMOS_RTC);
	CHECK_EQ(info.fadt.dsdt, 0x100001234ull);
	CHECK(has_problem("DSDT", "not readable"));
}

static void test_s5_tables(void)
{
	static const char pkg[] = "\x08_S5_\x12\x06\x02\x0a\x03\x0a\x04";
	uint8_t fadt[116 - 36];
	uint64_t e[3], r;

	harness_set_context("\\_S5 in an SSDT");
	reset();
	memset(fadt, 0, sizeof(fadt));
	e[1] = sdt("DSDT", "\x10\x05\x5c\x00", 4); /* Scope(\) {} */
	set_le(fadt + 40 - 36, e[1], 4);
	e[0] = sdt("FACP", fadt, sizeof(fadt));
	e[2] = sdt("SSDT", pkg, sizeof(pkg) - 1);
	r = rsdp(0, (uint32_t)root("RSDT", e, 3), 0);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK(info.s5.present && info.s5.slp_typ_a == 3 && info.s5.slp_typ_b == 4);
	CHECK_EQ(info.s5.table, e[2]);

	/* A DSDT listed in the RSDT as well as in the FADT is still searched. */
	harness_set_context("\\_S5 in a DSDT the RSDT lists");
	reset();
	e[1] = sdt("DSDT", pkg, sizeof(pkg) - 1);
	set_le(fadt + 40 - 36, e[1], 4);
	e[0] = sdt("FACP", fadt, sizeof(fadt));
	r = rsdp(0, (uint32_t)root("RSDT", e, 2), 0);
	CHECK_EQ(parse_at(r), FW_OK);
	CHECK_EQ(info.ntables, 3);
	CHECK(info.s5.present && info.s5.table == e[1]);
}

struct s5_case {
	const char *name;
	const char *aml;
	size_t len;
	int err;
	uint8_t a, b;
};

#define AML(s) s, sizeof(s) - 1

static void test_s5(void)
{
	static const struct s5_case cases[] = {
		{"QEMU pc", AML("\x08_S5_\x12\x06\x04\x00\x00\x00\x00"), FW_OK, 0, 0},
		{"qboot", AML("\x10\x10\x5c\x00\x08_S5_\x12\x07\x04\x0a\x05\x00\x00\x00"), FW_OK, 5,
		 0},
		{"root prefix", AML("\x08\\_S5_\x12\x07\x02\x0a\x07\x0b\x06\x00"), FW_OK, 7, 6},
		{"one, ones", AML("\x08_S5_\x12\x04\x02\x01\xff"), FW_OK, 1, 7},
		{"dword and qword",
		 AML("\x08_S5_\x12\x10\x02\x0c\x03\x00\x00\x00\x0e\x04\x00\x00\x00"
		     "\x00\x00\x00\x00"),
		 FW_OK, 3, 4},
		{"2-byte PkgLength", AML("\x08_S5_\x12\x47\x00\x02\x0a\x05\x0a\x06"), FW_OK, 5, 6},
		{"one packed element", AML("\x08_S5_\x12\x05\x01\x0b\x05\x06"), FW_OK, 5, 6},
		{"method call, then a package",
		 AML("\x14\x09_S5_\x00\xa4\x00\x08_S5_\x12\x05\x02\x0a\x03\x00"), FW_OK, 3, 0},
		{"no NameOp", AML("\x07_S5_\x12\x06\x04\x00\x00\x00\x00"), FW_ENOENT, 0, 0},
		{"not a package", AML("\x08_S5_\x0a\x05"), FW_ENOENT, 0, 0},
		{"zero elements", AML("\x08_S5_\x12\x02\x00"), FW_ENOENT, 0, 0},
		{"name element", AML("\x08_S5_\x12\x06\x02SLPA"), FW_ENOENT, 0, 0},
		{"PkgLength past the end", AML("\x08_S5_\x12\x3f\x02\x00\x00"), FW_ENOENT, 0, 0},
		{"PkgLength below its header", AML("\x08_S5_\x12\x01\x02\x00\x00"), FW_ENOENT, 0,
		 0},
		{"cut in a ByteConst", AML("\x08_S5_\x12\x04\x02\x00\x0a"), FW_ENOENT, 0, 0},
		{"cut in the PkgLength", AML("\x08_S5_\x12\xc0\x01"), FW_ENOENT, 0, 0},
		{"cut after the name", AML("\x08_S5_"), FW_ENOENT, 0, 0},
		{"cut in the name", AML("\x08_S5"), FW_ENOENT, 0, 0},
		{"empty", "", 0, FW_ENOENT, 0, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct s5_case *c = &cases[i];
		uint8_t a = 0xee, b = 0xee;
		int err;

		harness_set_context(c->name);
		err = acpi_find_s5(c->aml, c->len, &a, &b);
		CHECK_EQ(err, c->err);
		if (!c->err) {
			CHECK_EQ(a, c->a);
			CHECK_EQ(b, c->b);
		}
	}
}

/* The first offset where acpi_s5_at holds, trying every offset: what
 * acpi_find_s5's skipping scan must agree with. */
static int s5_every_offset(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
	for (size_t i = 0; i <= len; i++)
		if (!acpi_s5_at(aml, len, i, a, b))
			return (int)i;
	return -1;
}

/*
 * Random AML-like bytes, heavy in the name's own characters, NameOp, the
 * root prefix and package bytes, with real and broken \_S5 packages put in
 * at every alignment: the skip must never step over the first that holds.
 */
static void test_s5_scan_skips(void)
{
	static const uint8_t alphabet[] = {'_',	 'S',  '5',  0x08, 0x5c, 0x12, 0x0a,
					   0x02, 0x00, 0x01, 0x04, 'A',	 0xff, 0x0b};
#define PIECE(s)                                                                                   \
	{                                                                                          \
		s, sizeof(s) - 1                                                                   \
	}
	static const struct {
		const char *b;
		size_t n;
	} pieces[] = {
		PIECE("\x08_S5_\x12\x06\x02\x0a\x05\x0a\x06"), /* real */
		PIECE("\x08\\_S5_\x12\x04\x02\x01\x00"),       /* real, root prefix */
		PIECE("\x08_S5_\x0a\x05"),		       /* not a package */
		PIECE("\x07_S5_\x12\x06\x02\x0a\x05\x0a\x06"), /* no NameOp */
		PIECE("_S5__S5_S5_5_S"),		       /* near misses */
	};
#undef PIECE
	uint8_t buf[96];
	uint32_t seed = 12345;
	unsigned found = 0;

	harness_set_context("s5 scan against every offset");
	for (int round = 0; round < 20000; round++) {
		size_t len = 1 + (seed = seed * 1103515245u + 12345u) % sizeof(buf);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % sizeof(alphabet)];
		}
		for (int k = 0; k < 2; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t p = (seed >> 16) % 5, at = (seed >> 8) % len;
			if (at + pieces[p].n <= len)
				memcpy(buf + at, pieces[p].b, pieces[p].n);
		}
		uint8_t a1 = 0xee, b1 = 0xee, a2 = 0xee, b2 = 0xee;
		int want = s5_every_offset(buf, len, &a2, &b2);
		int got = acpi_find_s5(buf, len, &a1, &b1);
		int expect = want >= 0 ? FW_OK : FW_ENOENT;
		CHECK_EQ(got, expect);
		if (want >= 0 && !got) {
			CHECK_EQ(a1, a2);
			CHECK_EQ(b1, b2);
			found++;
		}
	}
	CHECK(found > 1000); /* the real pieces landed often enough to mean something */
}

/* The EBDA search needs physical 0: a 1 MiB flat image of low memory. */
static void test_ebda(void)
{
	static uint8_t low[0x100000];
	struct fwmem_flat lf;
	struct fw_mem lm;
	struct acpi_rsdp r;
	uint8_t *p = low + 0x9fc40;

	harness_set_context("RSDP in the EBDA");
	fwmem_flat_init(&lm, &lf, low, 0, sizeof(low));
	memcpy(p, "RSD PTR ", 8);
	set_le(p + 16, 0x1234560, 4);
	fix_sum(p, 20, 8);
	CHECK_EQ(acpi_find_rsdp(&lm, 0, &r), FW_ENOENT); /* no EBDA pointer yet */
	set_le(low + 0x40e, 0x9fc0, 2);
	CHECK_EQ(acpi_find_rsdp(&lm, 0, &r), FW_OK);
	CHECK_EQ(r.addr, 0x9fc40);
	CHECK_EQ(r.rsdt, 0x1234560);
	CHECK_STR(r.why, "ok");
	set_le(low + 0x40e, 0x0100, 2); /* an EBDA at 4 KiB is no EBDA */
	CHECK_EQ(acpi_find_rsdp(&lm, 0, &r), FW_ENOENT);
	CHECK_EQ(acpi_parse(&lm, &r, &info), FW_EINVAL); /* an empty RSDP */
}

/* A flat accessor that maps at most 16 bytes at a time: fwmem_find16 then
 * takes its step-by-step path, which the whole-range path must agree with. */
static const void *map_small(void *ctx, uint64_t pa, size_t len)
{
	return len > 16 ? NULL : fwmem_flat_map(ctx, pa, len);
}

static void test_find16(void)
{
	static const char *const sigs[] = {"RSD PTR ", "_MP_", "_SM3_", "_SM"};
	static uint8_t buf[512];
	uint32_t seed = 99;
	unsigned hits = 0;

	harness_set_context("fwmem_find16, whole range against step by step");
	for (int round = 0; round < 20000; round++) {
		seed = seed * 1103515245u + 12345u;
		const char *sig = sigs[(seed >> 16) % 4];
		size_t len = strlen(sig), size = 1 + (seed >> 4) % sizeof(buf);
		for (size_t i = 0; i < size; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (uint8_t)sig[(seed >> 16) % len] ^ ((seed >> 8) % 8 == 0);
		}
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % size;
			if (at + len <= size)
				memcpy(buf + at, sig, len);
		}
		seed = seed * 1103515245u + 12345u;
		uint64_t base = 0x1000, pa = base + (seed >> 8) % 40, end = base + size;
		struct fwmem_flat f;
		struct fw_mem whole, small;
		fwmem_flat_init(&whole, &f, buf, base, size);
		small = whole;
		small.map = map_small;
		uint64_t a = fwmem_find16(&whole, pa, end, sig, len);
		uint64_t b = fwmem_find16(&small, pa, end, sig, len);
		CHECK_EQ(a, b);
		hits += a < end;
	}
	CHECK(hits > 5000);
}

/* fw_sum8 adds a word at a time: against the byte-by-byte sum, for every
 * length up to past two folds (128 words each) and every alignment. */
static void test_sum8(void)
{
	static uint8_t buf[2 * 128 * 8 + 64];
	uint32_t seed = 7;

	harness_set_context("fw_sum8 against a byte loop");
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (seed >> 16) % 3 ? (uint8_t)(seed >> 8) : 0xff;
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; off + len <= sizeof(buf); len++) {
			uint8_t want = 0;
			for (size_t i = 0; i < len; i++)
				want = (uint8_t)(want + buf[off + i]);
			CHECK_EQ(fw_sum8(buf + off, len), want);
		}
}

static void test_fwmem(void)
{
	static const uint8_t buf[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	struct fwmem_flat f;
	struct fw_mem m;
	struct fw_problems p;
	char id[7];
	unsigned int i;

	harness_set_context("fwmem");
	fwmem_flat_init(&m, &f, buf, 0x1000, sizeof(buf));
	CHECK(fwmem_map(&m, 0x1000, 16) == buf);
	CHECK(fwmem_map(&m, 0x100f, 1) == buf + 15);
	CHECK(!fwmem_map(&m, 0x100f, 2));
	CHECK(!fwmem_map(&m, 0xfff, 2));
	CHECK(!fwmem_map(&m, 0x1001, SIZE_MAX));
	CHECK(!fwmem_map(&m, UINT64_MAX, 2));
	CHECK_EQ(fw_le16(buf + 1), 0x0302);
	CHECK_EQ(fw_le32(buf + 1), 0x05040302);
	CHECK_EQ(fw_le64(buf), 0x0807060504030201ull);
	fwmem_copy_id(id, "AB\x01\x80 \0x", 6);
	CHECK_STR(id, "AB?? ");
	CHECK(fwmem_id_eq("BOCHS ", "BOCHS"));
	CHECK(fwmem_id_eq("IBM", "IBM   "));
	CHECK(!fwmem_id_eq("IBMX", "IBM"));
	CHECK(!fwmem_id_eq("", "IBM"));
	memset(&p, 0, sizeof(p));
	for (i = 0; i < 10; i++)
		fwmem_note(&p, "TOOLONG", "x", i, i);
	CHECK(p.n == FW_PROBLEMS_MAX && p.dropped == 2);
	CHECK_STR(p.item[7].tag, "TOOL");
	CHECK_EQ(p.item[7].addr, 7);
}

int main(void)
{
	test_sum8();
	test_find16();
	test_xen_dom0();
	test_madt_entries();
	test_madt_cpu_limit();
	test_roots();
	test_fadt();
	test_s5();
	test_s5_scan_skips();
	test_s5_tables();
	test_ebda();
	test_fwmem();
	harness_set_context("");
	return harness_done();
}
