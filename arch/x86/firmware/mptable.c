// SPDX-License-Identifier: MIT
/*
 * MP spec 1.4 tables through fw_mem. The base table is walked by its stated
 * length (at most 64 KiB, a 16-bit field) in steps fixed by each entry's
 * type, so the walk always ends. The extended table (MP 1.4, 4.4) and the
 * OEM table are not read: nothing we drive needs them.
 */
#include <firmware/mptable.h>

/*
 * 4.1 MP Floating Pointer Structure (FP_LEN): "_MP_", PHYSICAL ADDRESS
 * POINTER of the configuration table at 4, LENGTH in 16-byte units at 8,
 * SPEC_REV at 9 (1 = 1.1, 4 = 1.4), CHECKSUM at 10, MP FEATURE INFORMATION
 * bytes 1-5 at 11-15 (byte 1: a default configuration number, 0 = a table is
 * present; byte 2 bit 7: IMCR present, PIC mode).
 * 4.2 MP Configuration Table Header (PCMP_HDR): "PCMP", BASE TABLE LENGTH
 * (16 bits) at 4, SPEC_REV at 6, CHECKSUM at 7, OEM ID at 8, PRODUCT ID at
 * 16, ENTRY COUNT at 34, ADDRESS OF LOCAL APIC at 36, extended table length
 * at 40: 44 bytes.
 * Processor entries (4.3.1) are 20 bytes; bus (4.3.2), I/O APIC (4.3.3), I/O
 * interrupt assignment (4.3.4) and local interrupt assignment (4.3.5)
 * entries 8 each.
 */
#define FP_LEN	   16
#define PCMP_HDR   44
#define CPU_ENTRY  20
#define BASE_ENTRY 8 /* every other base entry type */

enum mp_entry {
	MP_ENTRY_CPU = 0,
	MP_ENTRY_BUS = 1,
	MP_ENTRY_IOAPIC = 2,
	MP_ENTRY_IOINT = 3,
	MP_ENTRY_LINT = 4,
};

static bool fp_check(const struct fw_mem *m, uint64_t pa, struct mp_floating *out)
{
	const uint8_t *p = fwmem_map(m, pa, FP_LEN);
	size_t len;

	if (!p || memcmp(p, "_MP_", 4) || !p[8])
		return false;
	len = (size_t)p[8] * FP_LEN; /* 4.1: the checksum covers all of it */
	p = fwmem_map(m, pa, len);
	if (!p || fw_sum8(p, len))
		return false;
	out->addr = pa;
	out->config = fw_le32(p + 4);
	out->length = p[8];
	out->spec_rev = p[9];
	memcpy(out->features, p + 11, sizeof(out->features));
	out->default_config = p[11];
	return true;
}

static bool fp_scan(const struct fw_mem *m, uint64_t start, uint64_t end, struct mp_floating *out)
{
	uint64_t pa;

	for (pa = start; pa + FP_LEN <= end; pa += FP_LEN) {
		pa = fwmem_find16(m, pa, end, "_MP_", 4);
		if (pa + FP_LEN > end)
			break;
		if (fp_check(m, pa, out))
			return true;
	}
	return false;
}

/*
 * The top KiB of base memory (4: "the last 1K of system base memory"),
 * from the BDA's KiB count. qboot (microvm) writes no BDA yet puts its
 * table at 639 KiB, which is also the default for an absurd count.
 */
static uint64_t base_mem_top(const struct fw_mem *m)
{
	const uint8_t *p = fwmem_map(m, 0x413, 2);
	unsigned int kib = p ? fw_le16(p) : 0;

	if (kib < 256 || kib > 640)
		kib = 640;
	return (uint64_t)kib * 1024;
}

int mptable_find(const struct fw_mem *m, struct mp_floating *out)
{
	uint64_t ebda = fwmem_ebda(m);
	uint64_t top = base_mem_top(m);

	memset(out, 0, sizeof(*out));
	if ((ebda && fp_scan(m, ebda, ebda + 1024, out)) || fp_scan(m, top - 1024, top, out) ||
	    fp_scan(m, 0xf0000, 0x100000, out)) {
		out->why = "ok";
		return FW_OK;
	}
	memset(out, 0, sizeof(*out));
	out->why = "no MP floating pointer";
	return FW_ENOENT;
}

/* 4.3.4 and 4.3.5 share a layout: INTERRUPT TYPE (0 INT, 1 NMI, 2 SMI,
 * 3 ExtINT), the 16-bit flags (bits 1:0 polarity, 3:2 trigger; 00 = the
 * bus's default), SOURCE BUS ID, SOURCE BUS IRQ (for PCI: device << 2 |
 * INTx pin), then the destination I/O APIC id and INTINn pin, or for a
 * local interrupt the local APIC id (0xFF: all) and LINTn. */
static void add_irq(struct mp_irq *arr, unsigned int *n, unsigned int max, unsigned int *dropped,
		    const uint8_t *e)
{
	if (*n == max) {
		(*dropped)++;
		return;
	}
	arr[(*n)++] = (struct mp_irq){e[1], fw_le16(e + 2), e[4], e[5], e[6], e[7]};
}

static void add_entry(struct mp_info *out, const uint8_t *e)
{
	switch (e[0]) {
	/* 4.3.1: type, LOCAL APIC ID, LOCAL APIC VERSION, CPU FLAGS (bit 0
	 * EN: usable, bit 1 BP: the boot processor), CPU SIGNATURE at 4,
	 * FEATURE FLAGS (CPUID.1:EDX) at 8. */
	case MP_ENTRY_CPU:
		if (out->ncpus == MP_MAX_CPUS)
			out->cpus_dropped++;
		else
			out->cpus[out->ncpus++] =
				(struct mp_cpu){e[1], e[2], e[3], fw_le32(e + 4), fw_le32(e + 8)};
		break;
	/* 4.3.2: BUS ID, then BUS TYPE STRING, six space-padded characters
	 * ("ISA   ", "PCI   ", "EISA  "): what an interrupt entry's source
	 * bus number means, and its default polarity and trigger. */
	case MP_ENTRY_BUS:
		if (out->nbuses == MP_MAX_BUSES) {
			out->buses_dropped++;
		} else {
			out->buses[out->nbuses].id = e[1];
			fwmem_copy_id(out->buses[out->nbuses++].type, e + 2, 6);
		}
		break;
	/* 4.3.3: I/O APIC ID, VERSION, FLAGS (bit 0 EN), its MMIO address. */
	case MP_ENTRY_IOAPIC:
		if (out->nioapics == MP_MAX_IOAPICS)
			out->ioapics_dropped++;
		else
			out->ioapics[out->nioapics++] =
				(struct mp_ioapic){e[1], e[2], e[3], fw_le32(e + 4)};
		break;
	case MP_ENTRY_IOINT:
		add_irq(out->irqs, &out->nirqs, MP_MAX_IRQS, &out->irqs_dropped, e);
		break;
	case MP_ENTRY_LINT:
		add_irq(out->lints, &out->nlints, MP_MAX_LINTS, &out->lints_dropped, e);
		break;
	}
}

static int fail(struct mp_info *out, int err, const char *why)
{
	out->why = why;
	return err;
}

int mptable_parse(const struct fw_mem *m, const struct mp_floating *fp, struct mp_info *out)
{
	const uint8_t *t;
	uint32_t off, size, n = 0;

	memset(out, 0, sizeof(*out));
	out->default_config = fp->default_config;
	if (fp->default_config)
		return fail(out, FW_OK, "default configuration, no table");
	if (!fp->config)
		return fail(out, FW_ENOENT, "no configuration table");
	t = fwmem_map(m, fp->config, PCMP_HDR);
	if (!t)
		return fail(out, FW_EINVAL, "PCMP: not readable");
	if (memcmp(t, "PCMP", 4))
		return fail(out, FW_EINVAL, "PCMP: bad signature");
	out->addr = fp->config;
	out->length = fw_le16(t + 4);
	if (out->length < PCMP_HDR)
		return fail(out, FW_EINVAL, "PCMP: bad length");
	t = fwmem_map(m, fp->config, out->length);
	if (!t)
		return fail(out, FW_EINVAL, "PCMP: runs past readable memory");
	if (fw_sum8(t, out->length))
		return fail(out, FW_EINVAL, "PCMP: bad checksum");
	out->spec_rev = t[6];
	fwmem_copy_id(out->oem_id, t + 8, 8);
	fwmem_copy_id(out->product_id, t + 16, 12);
	out->entry_count = fw_le16(t + 34);
	out->lapic_addr = fw_le32(t + 36);
	for (off = PCMP_HDR; off < out->length; off += size) {
		size = t[off] == MP_ENTRY_CPU ? CPU_ENTRY : BASE_ENTRY;
		if (t[off] > MP_ENTRY_LINT) {
			fwmem_note(&out->problems, "PCMP", "unknown entry type, walk stopped",
				   fp->config, off);
			break;
		}
		if (size > out->length - off) {
			fwmem_note(&out->problems, "PCMP", "entry runs past the table", fp->config,
				   off);
			break;
		}
		add_entry(out, t + off);
		n++;
	}
	/* qboot states 0 entries: the length is what the walk trusts. */
	if (n != out->entry_count)
		fwmem_note(&out->problems, "PCMP", "entry count disagrees with length", fp->config,
			   34);
	out->why = "ok";
	return FW_OK;
}

const struct mp_bus *mptable_bus(const struct mp_info *info, uint8_t id)
{
	unsigned int i;

	for (i = 0; i < info->nbuses; i++)
		if (info->buses[i].id == id)
			return &info->buses[i];
	return NULL;
}
