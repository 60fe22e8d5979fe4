// SPDX-License-Identifier: MIT
/*
 * The Fixed ACPI Description Table (ACPI 6.5, 5.2.9). Its length tells its
 * layout: 116 bytes in ACPI 1.0 (Bochs, QEMU pc), 244 from ACPI 2.0 with
 * the 64-bit X_ fields (QEMU q35), 268 and more from ACPI 5.0 with the
 * sleep registers of hardware-reduced machines (microvm). A field is read
 * only when the table's length covers it.
 */
#include "acpi_internal.h"

#define FADT_V1_LEN 116

#define HAS(off, n) ((uint32_t)(off) + (n) <= len)

/*
 * A register block: its X_ generic address when present and nonzero
 * (5.2.9: the X_ field takes precedence), else the 32-bit port field, an
 * I/O port whose width comes from the matching _LEN byte.
 */
static void fadt_block(struct acpi_gas *g, const uint8_t *t, uint32_t len, uint32_t port_off,
		       uint32_t len_off, uint32_t x_off)
{
	memset(g, 0, sizeof(*g));
	if (HAS(x_off, 12)) {
		acpi_read_gas(g, t + x_off);
		if (g->address)
			return;
		memset(g, 0, sizeof(*g));
	}
	if (HAS(port_off, 4) && fw_le32(t + port_off)) {
		g->space = ACPI_SPACE_IO;
		g->bit_width = HAS(len_off, 1) ? (uint8_t)(t[len_off] * 8) : 0;
		g->address = fw_le32(t + port_off);
	}
}

void acpi_parse_fadt(struct acpi_info *out, const uint8_t *t, uint64_t pa, uint32_t len)
{
	struct acpi_fadt *f = &out->fadt;

	f->present = true;
	f->addr = pa;
	f->length = len;
	f->revision = t[8];
	if (len < FADT_V1_LEN)
		acpi_note(out, "FADT", "shorter than ACPI 1.0's", pa, len);
	if (HAS(36, 4))
		f->facs = fw_le32(t + 36);
	if (HAS(40, 4))
		f->dsdt = fw_le32(t + 40);
	if (HAS(46, 2))
		f->sci_irq = fw_le16(t + 46);
	if (HAS(48, 4))
		f->smi_cmd = fw_le32(t + 48);
	if (HAS(52, 2)) {
		f->acpi_enable = t[52];
		f->acpi_disable = t[53];
	}
	fadt_block(&f->pm1a_evt, t, len, 56, 88, 148);
	fadt_block(&f->pm1b_evt, t, len, 60, 88, 160);
	fadt_block(&f->pm1a_cnt, t, len, 64, 89, 172);
	fadt_block(&f->pm1b_cnt, t, len, 68, 89, 184);
	fadt_block(&f->pm_tmr, t, len, 76, 91, 208);
	if (HAS(108, 1))
		f->century = t[108];
	/* Reserved (zero) in ACPI 1.0, so reading it there is harmless. */
	if (HAS(109, 2))
		f->boot_arch = fw_le16(t + 109);
	if (HAS(112, 4))
		f->flags = fw_le32(t + 112);
	if (HAS(116, 12))
		acpi_read_gas(&f->reset_reg, t + 116);
	if (HAS(128, 1))
		f->reset_value = t[128];
	if (HAS(131, 1))
		f->minor_revision = t[131];
	if (HAS(132, 8) && fw_le64(t + 132))
		f->facs = fw_le64(t + 132);
	if (HAS(140, 8) && fw_le64(t + 140))
		f->dsdt = fw_le64(t + 140);
	if (HAS(244, 12))
		acpi_read_gas(&f->sleep_control, t + 244);
	if (HAS(256, 12))
		acpi_read_gas(&f->sleep_status, t + 256);
}
