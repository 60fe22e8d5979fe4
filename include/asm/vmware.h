/* SPDX-License-Identifier: MIT */
/*
 * The VMware backdoor: an `in` from I/O port 0x5658 with EAX = the magic and
 * ECX = a command, which the hypervisor traps and answers in the registers.
 * On anything that is not VMware (or QEMU's vmport) it is an ordinary port
 * read of an unknown port: only issue it on a machine that already said
 * VMware (SMBIOS, CPUID).
 */
#ifndef ASM_VMWARE_H
#define ASM_VMWARE_H

#include <kernel/compiler.h>
#include <firmware/smbios.h>
#include <string.h>

#define VMWARE_SIGNATURE      "VMwareVMware"
#define VMWARE_BDOOR_MAGIC    0x564d5868u /* "VMXh" */
#define VMWARE_BDOOR_PORT     0x5658
#define VMWARE_CMD_GETVERSION 10 /* EBX = magic if present, EAX = version */
#define VMWARE_CMD_GETHZ                                                                           \
	45 /* EBX:EAX = TSC Hz, ECX = APIC bus Hz;
					 * EBX = ~0 when the rate is unknown */
/* Hypervisor leaf base+0x10 (VMware, and KVM with vmware-cpuid-freq):
 * EAX = TSC kHz, EBX = APIC bus kHz. */
#define VMWARE_LEAF_TIMING 0x10

struct vmware_regs {
	uint32_t eax, ebx, ecx, edx, esi, edi;
};

static inline void vmware_backdoor(uint32_t cmd, struct vmware_regs *r)
{
	__asm__ __volatile__("inl (%%dx), %%eax"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx), "=S"(r->esi),
			       "=D"(r->edi)
			     : "a"(VMWARE_BDOOR_MAGIC), "b"(~0u), "c"(cmd),
			       "d"((uint32_t)VMWARE_BDOOR_PORT), "S"(0u), "D"(0u)
			     : "memory");
}

/* SMBIOS names VMware (system manufacturer, product, or a "VMware-" serial):
 * the identity VMware's tools look for when CPUID gives no signature. */
static inline bool vmware_smbios_identity(const struct smbios_info *s)
{
	return s &&
	       (!strncmp(s->sys_manufacturer, "VMware", 6) ||
		!strncmp(s->sys_product, "VMware", 6) || !strncmp(s->sys_serial, "VMware-", 7));
}

#endif
