/* SPDX-License-Identifier: MIT */
/*
 * ACPI table reader: RSDP, RSDT/XSDT, MADT, FADT, HPET and the \_S5 sleep
 * type from the DSDT. Pure functions over fw_mem: nothing is printed,
 * allocated or written outside the caller's out struct. Section numbers are
 * those of the ACPI 6.5 specification.
 */
#ifndef FIRMWARE_ACPI_H
#define FIRMWARE_ACPI_H

#include <firmware/fwmem.h>

#define ACPI_MAX_TABLES	   32
#define ACPI_MAX_IOAPICS   16
#define ACPI_MAX_OVERRIDES 32
#define ACPI_MAX_NMIS	   16
/* No table we read is anywhere near this; a larger length is corruption. */
#define ACPI_TABLE_MAX_LEN (1u << 20)
/* The kernel's CPU limit (a host test or fuzzer built without a kernel
 * configuration keeps 256): the MADT names more (x2APIC entries, type 9). */
#ifdef CONFIG_NR_CPUS
#define ACPI_MAX_CPUS CONFIG_NR_CPUS
#else
#define ACPI_MAX_CPUS 256
#endif

/* Root System Description Pointer (5.2.5). */
struct acpi_rsdp {
	uint64_t addr;	  /* where it was found */
	uint8_t revision; /* 0: ACPI 1.0, RSDT only; >= 2: xsdt may be set */
	char oem_id[7];
	uint32_t rsdt;
	uint64_t xsdt;	 /* 0 when revision < 2 */
	bool from_hint;	 /* the caller's hint was valid */
	const char *why; /* on failure, or a note ("hint invalid, found by search") */
};

/* Generic Address Structure (5.2.3.2); address 0 means the register is absent. */
#define ACPI_SPACE_MEM 0
#define ACPI_SPACE_IO  1

struct acpi_gas {
	uint8_t space;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
};

/* One table found through the RSDT/XSDT (or the FADT, for DSDT and FACS). */
struct acpi_table {
	char sig[5]; /* non-printable bytes shown as '?' */
	uint8_t revision;
	uint64_t addr;
	uint32_t length;
	char oem_id[7];	      /* as stored: QEMU pads with spaces or NULs */
	char oem_table_id[9]; /* compare with fwmem_id_eq() */
};

/* MADT (5.2.12) */
#define ACPI_MADT_PCAT_COMPAT	(1u << 0) /* dual 8259s present */
#define ACPI_CPU_ENABLED	(1u << 0)
#define ACPI_CPU_ONLINE_CAPABLE (1u << 1)
/* MPS INTI flags (table 5.26), as in overrides and NMI entries */
#define ACPI_INTI_POLARITY(f) ((f)&3)	       /* 0 bus default, 1 high, 3 low */
#define ACPI_INTI_TRIGGER(f)  (((f) >> 2) & 3) /* 0 bus default, 1 edge, 3 level */
#define ACPI_UID_ALL	      0xffffffffu      /* local APIC NMI for every CPU */

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t uid; /* ACPI processor UID */
	uint32_t flags;
	bool x2apic; /* from a type 9 entry */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct acpi_override {
	uint8_t bus; /* always 0 (ISA) */
	uint8_t irq;
	uint32_t gsi;
	uint16_t flags;
};

struct acpi_nmi_source {
	uint32_t gsi;
	uint16_t flags;
};

struct acpi_lapic_nmi {
	uint32_t uid; /* ACPI_UID_ALL for "all" (0xff in a type 4 entry) */
	uint16_t flags;
	uint8_t lint;
};

struct acpi_madt {
	bool present;
	uint64_t addr;
	char oem_id[7]; /* IBM Summit ("IBM", "SERVIGIL"/"EXA"), Unisys ("UNISYS") */
	char oem_table_id[9];
	uint64_t lapic_addr; /* type 5 override applied */
	uint32_t flags;
	unsigned int ncpus, cpus_dropped, cpus_duplicate;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned int nioapics, ioapics_dropped;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int noverrides, overrides_dropped;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	unsigned int nnmi_sources, nmi_sources_dropped;
	struct acpi_nmi_source nmi_sources[ACPI_MAX_NMIS];
	unsigned int nlapic_nmis, lapic_nmis_dropped;
	struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_NMIS];
};

/* FADT (5.2.9) */
#define ACPI_FADT_TMR_VAL_EXT	(1u << 8) /* PM timer is 32 bits, not 24 */
#define ACPI_FADT_RESET_REG_SUP (1u << 10)
#define ACPI_FADT_HW_REDUCED	(1u << 20)
/* FORCE_APIC_PHYSICAL_DESTINATION_MODE (from FADT revision 2): logical
 * x2APIC/xAPIC destinations do not work on this platform. */
#define ACPI_FADT_FORCE_APIC_PHYS (1u << 19)
/* IA-PC boot architecture flags (table 5.11) */
#define ACPI_BOOT_LEGACY_DEVICES (1u << 0)
#define ACPI_BOOT_8042		 (1u << 1)
#define ACPI_BOOT_NO_VGA	 (1u << 2)
#define ACPI_BOOT_NO_MSI	 (1u << 3)
#define ACPI_BOOT_NO_CMOS_RTC	 (1u << 5)

struct acpi_fadt {
	bool present;
	uint64_t addr;
	uint32_t length;
	uint8_t revision, minor_revision;
	uint32_t flags;
	uint16_t boot_arch; /* IAPC_BOOT_ARCH */
	uint16_t sci_irq;
	uint32_t smi_cmd; /* 0: no SMI command port (ACPI always enabled) */
	uint8_t acpi_enable, acpi_disable;
	/*
	 * Each block from its X_ generic address when that is present and
	 * nonzero, else from the 32-bit I/O port field (as space I/O, width
	 * 8 * its _LEN field); address 0 when neither is set.
	 */
	struct acpi_gas pm1a_evt, pm1b_evt, pm1a_cnt, pm1b_cnt, pm_tmr;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	/* Hardware-reduced ACPI sleep registers (FADT 5+), for power-off. */
	struct acpi_gas sleep_control, sleep_status;
	uint64_t dsdt;	 /* X_DSDT when nonzero */
	uint64_t facs;	 /* X_FIRMWARE_CTRL when nonzero */
	uint8_t century; /* CMOS index of the century, 0 if none */
};

/* HPET description table (IA-PC HPET specification 1.0a, 3.2.4) */
struct acpi_hpet {
	bool present;
	uint32_t block_id; /* event timer block id: vendor, counters, ... */
	struct acpi_gas base;
	uint8_t number;
	uint16_t min_tick;
	uint8_t page_protection;
};

/* \_S5 (7.4.2): the SLP_TYPa/b values that put the machine in soft-off. */
struct acpi_s5 {
	bool present;
	uint8_t slp_typ_a, slp_typ_b; /* 3-bit values for PM1x_CNT.SLP_TYP */
	uint64_t table;		      /* the DSDT or SSDT it came from */
};

struct acpi_info {
	uint8_t revision;	/* the RSDP's */
	char oem_id[7];		/* the RSDP's */
	struct acpi_table root; /* the RSDT or XSDT that was used */
	bool xsdt;		/* root is the XSDT */
	unsigned int ntables, tables_dropped;
	struct acpi_table tables[ACPI_MAX_TABLES]; /* root first, then entries, DSDT, FACS */
	struct acpi_madt madt;
	struct acpi_fadt fadt;
	struct acpi_hpet hpet;
	struct acpi_s5 s5;
	struct fw_problems problems;
	const char *why; /* "ok", or why acpi_parse failed */
};

/*
 * Find the RSDP: at hint when it is nonzero and valid (Multiboot, PVH),
 * else in the first KiB of the EBDA, else in 0xE0000-0xFFFFF (5.2.5.1).
 */
int acpi_find_rsdp(const struct fw_mem *m, uint64_t hint, struct acpi_rsdp *out);

/*
 * Walk the XSDT (when the RSDP has one and it is usable) or the RSDT, and
 * read the MADT, FADT, DSDT (\_S5), FACS and HPET. Returns FW_OK when a root
 * table was usable, even if some tables were not (see out->problems).
 */
int acpi_parse(const struct fw_mem *m, const struct acpi_rsdp *rsdp, struct acpi_info *out);

/* The n-th (from 0) table with signature sig, or NULL. */
const struct acpi_table *acpi_table_find(const struct acpi_info *info, const char *sig,
					 unsigned int n);

/* acpi_aml.c: find Name(\_S5, Package(){a, b, ...}) in AML (a DSDT or SSDT):
 * the first offset where acpi_s5_at holds. */
int acpi_find_s5(const void *aml, size_t len, uint8_t *slp_typ_a, uint8_t *slp_typ_b);
/* Whether that name and package start at offset i of the AML (the name's
 * first byte, after NameOp or NameOp and the root prefix): FW_OK or FW_ENOENT. */
int acpi_s5_at(const void *aml, size_t len, size_t i, uint8_t *slp_typ_a, uint8_t *slp_typ_b);

#endif
