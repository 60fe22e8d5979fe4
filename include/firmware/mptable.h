/* SPDX-License-Identifier: MIT */
/*
 * Intel MultiProcessor Specification 1.4 tables: the floating pointer
 * structure and the MP configuration table ("PCMP"). Pure functions over
 * fw_mem. Section numbers are those of the MP spec 1.4 (May 1997).
 */
#ifndef FIRMWARE_MPTABLE_H
#define FIRMWARE_MPTABLE_H

#include <firmware/fwmem.h>

/* The format's own limit: a processor entry's local APIC id is 8 bits. */
#define MP_MAX_CPUS    256
#define MP_MAX_BUSES   32
#define MP_MAX_IOAPICS 16
#define MP_MAX_IRQS    64   /* I/O interrupt assignment entries */
#define MP_MAX_LINTS   16   /* local interrupt assignment entries */
#define MP_DEST_ALL    0xff /* destination IO-APIC id / LAPIC id: all of them */

/* MP floating pointer structure (4.1). */
#define MP_FEATURE2_IMCRP (1u << 7) /* IMCR present: PIC mode, else virtual wire */

struct mp_floating {
	uint64_t addr;		/* where it was found */
	uint32_t config;	/* physical address of the PCMP table, 0 if none */
	uint8_t length;		/* in 16-byte units */
	uint8_t spec_rev;	/* 1: MP 1.1, 4: MP 1.4 */
	uint8_t features[5];	/* MP feature information bytes 1-5 */
	uint8_t default_config; /* feature byte 1: 0 = a table is present, else 5.x type */
	const char *why;
};

/* Entries (4.3). */
#define MP_CPU_ENABLED (1u << 0)
#define MP_CPU_BSP     (1u << 1)

struct mp_cpu {
	uint8_t apic_id;
	uint8_t apic_version;
	uint8_t flags;
	uint32_t signature; /* CPUID family/model/stepping */
	uint32_t features;  /* CPUID.1:EDX */
};

struct mp_bus {
	uint8_t id;
	char type[7]; /* "ISA   ", "PCI   ", "EISA  ", ...: space padded */
};

#define MP_IOAPIC_ENABLED (1u << 0)

struct mp_ioapic {
	uint8_t id;
	uint8_t version;
	uint8_t flags;
	uint32_t address;
};

/* Interrupt types (table 4-9) and flags (table 4-10). */
#define MP_INT		   0
#define MP_NMI		   1
#define MP_SMI		   2
#define MP_EXTINT	   3
#define MP_IRQ_POLARITY(f) ((f)&3)	    /* 0 bus default, 1 high, 3 low */
#define MP_IRQ_TRIGGER(f)  (((f) >> 2) & 3) /* 0 bus default, 1 edge, 3 level */

/* An I/O (type 3) or local (type 4) interrupt assignment. */
struct mp_irq {
	uint8_t type; /* MP_INT, MP_NMI, MP_SMI, MP_EXTINT */
	uint16_t flags;
	uint8_t src_bus;
	uint8_t src_irq; /* ISA: the IRQ; PCI: device << 2 | INTx# */
	uint8_t dst_id;	 /* IO-APIC id (type 3) or LAPIC id (type 4); MP_DEST_ALL */
	uint8_t dst_pin; /* IO-APIC pin (type 3) or LINTIN# (type 4) */
};

struct mp_info {
	uint8_t default_config; /* nonzero: no table, a default configuration (5) */
	uint64_t addr;		/* of the PCMP table */
	uint16_t length;	/* base table length */
	uint16_t entry_count;	/* as stated: qboot says 0, use the walk */
	uint8_t spec_rev;
	char oem_id[9];	     /* "IBM ENSW" on IBM Summit */
	char product_id[13]; /* "VIGIL SMP", "EXA", "RUTHLESS SMP" on Summit */
	uint32_t lapic_addr;
	unsigned int ncpus, cpus_dropped;
	struct mp_cpu cpus[MP_MAX_CPUS];
	unsigned int nbuses, buses_dropped;
	struct mp_bus buses[MP_MAX_BUSES];
	unsigned int nioapics, ioapics_dropped;
	struct mp_ioapic ioapics[MP_MAX_IOAPICS];
	unsigned int nirqs, irqs_dropped;
	struct mp_irq irqs[MP_MAX_IRQS];
	unsigned int nlints, lints_dropped;
	struct mp_irq lints[MP_MAX_LINTS];
	struct fw_problems problems;
	const char *why; /* "ok", or why mptable_parse failed */
};

/*
 * Search for "_MP_" (4: first KiB of the EBDA, the last KiB of base memory
 * per the BDA, or 639-640 KiB when that is absent or absurd, then
 * 0xF0000-0xFFFFF) with a valid checksum.
 */
int mptable_find(const struct fw_mem *m, struct mp_floating *out);

/*
 * Read the configuration table fp points to. Entries are walked by the
 * base table length, not the entry count; an unknown entry type ends the
 * walk (its length is unknown). A default configuration is reported in
 * out->default_config with FW_OK and no entries.
 */
int mptable_parse(const struct fw_mem *m, const struct mp_floating *fp, struct mp_info *out);

/* The bus with this id, or NULL. */
const struct mp_bus *mptable_bus(const struct mp_info *info, uint8_t id);

#endif
