// SPDX-License-Identifier: MIT
/*
 * The Multiple APIC Description Table (ACPI 6.5, 5.2.12): CPUs, IO-APICs,
 * ISA interrupt overrides and NMI wiring. Entries are walked by their own
 * length; the first malformed one (length below 2, past the table's end,
 * too short for its type) ends the walk, keeping what came before it.
 * Unknown types are skipped by length: newer specs keep adding them.
 */
#include "acpi_internal.h"

/* The 36-byte header, Local Interrupt Controller Address (32 bits) and Flags
 * (bit 0 PCAT_COMPAT: 8259s are present as well): entries start at 44. */
#define MADT_ENTRIES 44 /* header, local APIC address, flags */

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_NMI_SOURCE = 3,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

/*
 * The length each known type needs (5.2.12.2 onwards): Processor Local APIC
 * 8 (UID, APIC id, flags: bit 0 Enabled, bit 1 Online Capable), I/O APIC 12
 * (id, address, GSI base), Interrupt Source Override 10 (bus 0 = ISA, source
 * IRQ, GSI, MPS INTI flags), NMI Source 8, Local APIC NMI 6 (UID, flags,
 * LINT#), Local APIC Address Override 12 (a 64-bit address), Processor
 * Local x2APIC 16 (32-bit id, flags, UID), Local x2APIC NMI 12.
 */
static unsigned int min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:
	case MADT_NMI_SOURCE:
		return 8;
	case MADT_IOAPIC:
	case MADT_LAPIC_ADDR:
	case MADT_X2APIC_NMI:
		return 12;
	case MADT_OVERRIDE:
		return 10;
	case MADT_LAPIC_NMI:
		return 6;
	case MADT_X2APIC:
		return 16;
	default:
		return 2;
	}
}

/*
 * Firmware may list a CPU twice (a type 0 and a type 9 entry for the same
 * id): keep the first. The array is checked for room first so a huge table
 * of CPUs costs no more than ACPI_MAX_CPUS comparisons per entry.
 */
static void add_cpu(struct acpi_madt *madt, uint32_t apic_id, uint32_t uid, uint32_t flags,
		    bool x2apic)
{
	unsigned int i;

	if (madt->ncpus == ACPI_MAX_CPUS) {
		madt->cpus_dropped++;
		return;
	}
	for (i = 0; i < madt->ncpus; i++) {
		if (madt->cpus[i].apic_id == apic_id) {
			madt->cpus_duplicate++;
			return;
		}
	}
	madt->cpus[madt->ncpus++] = (struct acpi_cpu){apic_id, uid, flags, x2apic};
}

static void add_entry(struct acpi_madt *madt, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(madt, e[3], e[2], fw_le32(e + 4), false);
		break;
	case MADT_X2APIC:
		add_cpu(madt, fw_le32(e + 4), fw_le32(e + 12), fw_le32(e + 8), true);
		break;
	case MADT_IOAPIC:
		if (madt->nioapics == ACPI_MAX_IOAPICS)
			madt->ioapics_dropped++;
		else
			madt->ioapics[madt->nioapics++] =
				(struct acpi_ioapic){e[2], fw_le32(e + 4), fw_le32(e + 8)};
		break;
	case MADT_OVERRIDE:
		if (madt->noverrides == ACPI_MAX_OVERRIDES)
			madt->overrides_dropped++;
		else
			madt->overrides[madt->noverrides++] =
				(struct acpi_override){e[2], e[3], fw_le32(e + 4), fw_le16(e + 8)};
		break;
	case MADT_NMI_SOURCE:
		if (madt->nnmi_sources == ACPI_MAX_NMIS)
			madt->nmi_sources_dropped++;
		else
			madt->nmi_sources[madt->nnmi_sources++] =
				(struct acpi_nmi_source){fw_le32(e + 4), fw_le16(e + 2)};
		break;
	case MADT_LAPIC_NMI:
	case MADT_X2APIC_NMI:
		if (madt->nlapic_nmis == ACPI_MAX_NMIS) {
			madt->lapic_nmis_dropped++;
		} else if (e[0] == MADT_LAPIC_NMI) {
			/* 0xff in the 8-bit UID means all processors. */
			madt->lapic_nmis[madt->nlapic_nmis++] = (struct acpi_lapic_nmi){
				e[2] == 0xff ? ACPI_UID_ALL : e[2], fw_le16(e + 3), e[5]};
		} else {
			madt->lapic_nmis[madt->nlapic_nmis++] =
				(struct acpi_lapic_nmi){fw_le32(e + 4), fw_le16(e + 2), e[8]};
		}
		break;
	case MADT_LAPIC_ADDR:
		madt->lapic_addr = fw_le64(e + 4);
		break;
	}
}

void acpi_parse_madt(struct acpi_info *out, const uint8_t *t, uint64_t pa, uint32_t len)
{
	struct acpi_madt *madt = &out->madt;
	uint32_t off;

	if (len < MADT_ENTRIES) {
		acpi_note(out, "MADT", "too short", pa, len);
		return;
	}
	madt->present = true;
	madt->addr = pa;
	fwmem_copy_id(madt->oem_id, t + 10, 6);
	fwmem_copy_id(madt->oem_table_id, t + 16, 8);
	madt->lapic_addr = fw_le32(t + 36);
	madt->flags = fw_le32(t + 40);
	for (off = MADT_ENTRIES; off < len; off += t[off + 1]) {
		if (len - off < 2) {
			acpi_note(out, "MADT", "truncated entry", pa, off);
			break;
		}
		if (t[off + 1] < 2) {
			acpi_note(out, "MADT", "entry length below 2", pa, off);
			break;
		}
		if (t[off + 1] > len - off) {
			acpi_note(out, "MADT", "entry runs past the table", pa, off);
			break;
		}
		if (t[off + 1] < min_len(t[off])) {
			acpi_note(out, "MADT", "entry too short for its type", pa, off);
			break;
		}
		add_entry(madt, t + off);
	}
}
