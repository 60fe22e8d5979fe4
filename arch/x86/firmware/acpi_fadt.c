// SPDX-License-Identifier: MIT
/*
 * The Fixed ACPI Description Table (ACPI 6.5, 5.2.9). Its length tells its
 * layout: 116 bytes in ACPI 1.0 (Bochs, QEMU pc), 244 from ACPI 2.0 with
 * the 64-bit X_ fields (QEMU q35), 268 and more from ACPI 5.0 with the
 * sleep registers of hardware-reduced machines (microvm). A field is read
 * only when the table's length covers it.
 */
#include "acpi_internal.h"

/*
 * The offsets this file reads (ACPI 6.5, 5.2.9, table "FADT Format"):
 *     36  FIRMWARE_CTRL (FACS, 32-bit)    109  IAPC_BOOT_ARCH (2; ACPI 2.0+)
 *     40  DSDT (32-bit)                   112  Flags (4)
 *     46  SCI_INT (2)                     116  RESET_REG (GAS, 12; ACPI 2.0+)
 *     48  SMI_CMD (4)                     128  RESET_VALUE
 *     52  ACPI_ENABLE, 53 ACPI_DISABLE    131  FADT Minor Version (ACPI 5.1+)
 *  56-76  PM1a/b_EVT_BLK, PM1a/b_CNT_BLK, 132  X_FIRMWARE_CTRL (8)
 *         PM2_CNT_BLK, PM_TMR_BLK (4)     140  X_DSDT (8)
 *  88-91  PM1_EVT_LEN, PM1_CNT_LEN,   148-208  X_ versions of the blocks at
 *         PM2_CNT_LEN, PM_TMR_LEN (1)          56-76, one 12-byte GAS each
 *    108  CENTURY (RTC CMOS index)    244/256  SLEEP_CONTROL/STATUS_REG (5.0+)
 * Bytes 0..35 are the common header (5.2.6); t[8] is its revision byte.
 */
#define FADT_V1_LEN 116

/* Firmware writes the length its own revision defines; a newer field past
 * it is absent, not zero, and reading it would read past the table. */
#define HAS(off, n) ((uint32_t)(off) + (n) <= len)

/*
 * A register block: its X_ generic address when present and nonzero
 * (5.2.9: the X_ field takes precedence), else the 32-bit port field, an
 * I/O port whose width comes from the matching _LEN byte.
 *
 * A Generic Address Structure (5.2.3.2) is 12 bytes: address space id,
 * register bit width, bit offset, access size, 64-bit address. A zero
 * X_ address is how an ACPI 2.0+ table says "use the 32-bit one" (or "none").
 * The _LEN bytes count the whole block: PM1_EVT_LEN covers the status and
 * the enable register, each half of it.
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
	/* The header revision is 1 for ACPI 1.0 and has been bumped with the
	 * layout since; the length, not the revision, decides what is read,
	 * because firmware has shipped revisions that disagree with it. */
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
	/* Writing ACPI_ENABLE to SMI_CMD hands the fixed hardware from SMM to
	 * the OS (SCI_EN set); SMI_CMD 0 means there is no SMM to ask, as on
	 * hardware-reduced platforms. */
	if (HAS(52, 2)) {
		f->acpi_enable = t[52];
		f->acpi_disable = t[53];
	}
	fadt_block(&f->pm1a_evt, t, len, 56, 88, 148);
	fadt_block(&f->pm1b_evt, t, len, 60, 88, 160);
	fadt_block(&f->pm1a_cnt, t, len, 64, 89, 172);
	fadt_block(&f->pm1b_cnt, t, len, 68, 89, 184);
	fadt_block(&f->pm_tmr, t, len, 76, 91, 208);
	/* CENTURY: the RTC CMOS index of the century byte, 0 if none. */
	if (HAS(108, 1))
		f->century = t[108];
	/* Reserved (zero) in ACPI 1.0, so reading it there is harmless. */
	if (HAS(109, 2))
		f->boot_arch = fw_le16(t + 109);
	/* Flags: e.g. bit 10 RESET_REG_SUP, bit 20 HW_REDUCED_ACPI (no PM1 or
	 * PM timer blocks; sleep goes through SLEEP_CONTROL_REG instead). */
	if (HAS(112, 4))
		f->flags = fw_le32(t + 112);
	if (HAS(116, 12))
		acpi_read_gas(&f->reset_reg, t + 116);
	if (HAS(128, 1))
		f->reset_value = t[128];
	if (HAS(131, 1))
		f->minor_revision = t[131];
	/* 5.2.9: a nonzero X_FIRMWARE_CTRL / X_DSDT is to be used instead of the
	 * 32-bit field; zero means the 32-bit one stands. */
	if (HAS(132, 8) && fw_le64(t + 132))
		f->facs = fw_le64(t + 132);
	if (HAS(140, 8) && fw_le64(t + 140))
		f->dsdt = fw_le64(t + 140);
	/* Hardware-reduced machines (microvm) have no PM1 control block: S5 is
	 * entered by writing SLP_TYP and SLP_EN to the sleep control register. */
	if (HAS(244, 12))
		acpi_read_gas(&f->sleep_control, t + 244);
	if (HAS(256, 12))
		acpi_read_gas(&f->sleep_status, t + 256);
}
