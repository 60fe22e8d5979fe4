/* SPDX-License-Identifier: MIT */
/*
 * The firmware readers run once, on demand, over physical memory; machine
 * probes share the results. NULL means "not found or unusable"; the reason
 * is logged once by fw_log_problems().
 */
#ifndef KERNEL_FIRMWARE_H
#define KERNEL_FIRMWARE_H

#include <firmware/acpi.h>
#include <firmware/mptable.h>
#include <firmware/smbios.h>

const struct acpi_info *fw_acpi(void);
const struct mp_info *fw_mptable(void);
const struct smbios_info *fw_smbios(void);
/* MP feature byte 2 bit 7: an IMCR exists and the BIOS left PIC mode on. */
bool fw_mptable_imcr(void);
/*
 * Why device registers firmware places at [pa, pa + len) cannot be there:
 * page 0, the kernel image, RAM in the boot memory map, or not below 4 GiB;
 * NULL when none of these holds. Checked before anything is mapped or written.
 */
const char *fw_mmio_refusal(uint64_t pa, uint64_t len);
/* Print what each reader found and every problem it noted. */
void fw_log(void);

#endif
