// SPDX-License-Identifier: MIT
#include <kernel/firmware.h>
#include <kernel/physmem.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <string.h>

static struct {
	bool done;
	int err;
	struct acpi_rsdp rsdp;
	struct acpi_info info;
} acpi;

static struct {
	bool done;
	int err;
	struct mp_floating fp;
	struct mp_info info;
} mp;

static struct {
	bool done;
	int err;
	struct smbios_info info;
} smbios;

const char *fw_mmio_refusal(uint64_t pa, uint64_t len)
{
	extern char _kernel_start[], _kernel_end[];
	const struct boot_info *bi = &boot_info_parsed;
	uint64_t end = pa + len;

	if (!len || end < pa || end > 0x100000000ull)
		return "not below 4 GiB";
	if (pa < 0x1000)
		return "in page 0 (the real-mode interrupt vectors)";
	if (pa < (uintptr_t)_kernel_end && end > (uintptr_t)_kernel_start)
		return "inside the kernel image";
	for (unsigned i = 0; i < bi->n_mmap; i++) {
		const struct boot_mem_region *r = &bi->mmap[i];
		bool ram = r->type == MEM_USABLE || r->type == MEM_ACPI || r->type == MEM_NVS;
		if (ram && pa < r->base + r->len && end > r->base)
			return "in RAM (the memory map)";
	}
	return NULL;
}

const struct acpi_info *fw_acpi(void)
{
	if (!acpi.done) {
		acpi.done = true;
		acpi.err = acpi_find_rsdp(&physmem, boot_info_parsed.rsdp, &acpi.rsdp);
		if (!acpi.err)
			acpi.err = acpi_parse(&physmem, &acpi.rsdp, &acpi.info);
	}
	return acpi.err ? NULL : &acpi.info;
}

const struct mp_info *fw_mptable(void)
{
	if (!mp.done) {
		mp.done = true;
		mp.err = mptable_find(&physmem, &mp.fp);
		if (!mp.err)
			mp.err = mptable_parse(&physmem, &mp.fp, &mp.info);
	}
	return mp.err ? NULL : &mp.info;
}

bool fw_mptable_imcr(void)
{
	return fw_mptable() && (mp.fp.features[1] & 0x80);
}

const struct smbios_info *fw_smbios(void)
{
	if (!smbios.done) {
		smbios.done = true;
		smbios.err = smbios_find(&physmem, &smbios.info);
	}
	return smbios.err ? NULL : &smbios.info;
}

static void problems(const char *who, const struct fw_problems *p)
{
	for (unsigned i = 0; i < p->n; i++)
		printk(KERN_WARN "%s: %s: %s at %#llx+%#x\n", who, p->item[i].tag, p->item[i].what,
		       (unsigned long long)p->item[i].addr, p->item[i].offset);
	if (p->dropped)
		printk(KERN_WARN "%s: %u more problems\n", who, p->dropped);
}

void fw_log(void)
{
	const struct acpi_info *a = fw_acpi();
	const struct mp_info *m = fw_mptable();
	const struct smbios_info *s = fw_smbios();

	if (a) {
		printk("acpi: RSDP at %#llx rev %u OEM '%s', %s with %u tables:",
		       (unsigned long long)acpi.rsdp.addr, a->revision, a->oem_id,
		       a->xsdt ? "XSDT" : "RSDT", a->ntables);
		for (unsigned i = 0; i < a->ntables; i++)
			printk(" %s", a->tables[i].sig);
		printk("\n");
		problems("acpi", &a->problems);
	} else {
		/* The RSDP reader says "ok" when only the tables behind it failed. */
		const char *why = acpi.err && acpi.rsdp.why && strcmp(acpi.rsdp.why, "ok")
					  ? acpi.rsdp.why
					  : acpi.info.why;
		printk("acpi: none (%s)\n", why ? why : "?");
		problems("acpi", &acpi.info.problems);
	}
	if (m) {
		printk("mptable: at %#llx spec 1.%u OEM '%s' product '%s': %u CPUs, %u IO-APICs, "
		       "%u interrupt entries\n",
		       (unsigned long long)m->addr, m->spec_rev, m->oem_id, m->product_id, m->ncpus,
		       m->nioapics, m->nirqs);
		problems("mptable", &m->problems);
	} else {
		const char *why = mp.fp.why && strcmp(mp.fp.why, "ok") ? mp.fp.why : mp.info.why;
		printk("mptable: none (%s)\n", why ? why : "?");
	}
	if (s)
		printk("smbios: %u.%u, BIOS '%s' '%s', system '%s' '%s'\n", s->major, s->minor,
		       s->bios_vendor, s->bios_version, s->sys_manufacturer, s->sys_product);
	else
		printk("smbios: none (%s)\n", smbios.info.why ? smbios.info.why : "?");
}
