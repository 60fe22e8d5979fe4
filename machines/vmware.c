// SPDX-License-Identifier: MIT
/*
 * vmware: a VMware guest, found the way VMware's own tools find it: the
 * "VMwareVMware" CPUID signature where the hypervisor gives one, otherwise
 * SMBIOS naming VMware and then the backdoor answering GETVERSION. The
 * backdoor port is never touched unless SMBIOS or CPUID said VMware first.
 *
 * QEMU's vmport emulates the backdoor (on by default on pc/q35/isapc) and
 * -smbios can give the VMware identity; QEMU has no option for the CPUID
 * signature, so there the SMBIOS path is the one exercised.
 *
 * What it changes over pc-acpi: the TSC (and APIC bus) frequency come from
 * hypervisor leaf 0x40000010 or the backdoor's GETHZ instead of calibration.
 * Everything else is the emulated PC, driven natively.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <kernel/firmware.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <asm/cpufeature.h>
#include <asm/paravirt.h>
#include <asm/vmware.h>
#include <string.h>

/* The SMBIOS identity outranks a KVM or TCG signature: QEMU shows it only
 * when asked to look like VMware (vmport + -smbios), and that is the
 * machine the user wants to be on. The CPUID signature is surer still. */
#define SCORE_VMWARE_DMI   (SCORE_HYPERVISOR + 1)
#define SCORE_VMWARE_CPUID (SCORE_HYPERVISOR + 2)

static void vmware_probe(struct probe_result *r)
{
	uint32_t base = cpu_hypervisor_base(VMWARE_SIGNATURE);
	const struct smbios_info *s = fw_smbios();
	struct vmware_regs v;

	if (base) {
		r->score = SCORE_VMWARE_CPUID;
		probe_note(r, "CPUID %#x = VMwareVMware", base);
		return;
	}
	if (!vmware_smbios_identity(s)) {
		r->refusal = "no VMwareVMware CPUID signature and SMBIOS does not name VMware";
		return;
	}
	vmware_backdoor(VMWARE_CMD_GETVERSION, &v);
	if (v.ebx != VMWARE_BDOOR_MAGIC) {
		r->refusal = "SMBIOS names VMware but the backdoor (port 0x5658) does not answer";
		return;
	}
	r->score = SCORE_VMWARE_DMI;
	probe_note(r, "SMBIOS '%s' '%s', backdoor GETVERSION %u type %u", s->sys_manufacturer,
		   s->sys_product, v.eax, v.ecx);
	if (boot_cpu.hv_signature[0])
		probe_note(r, " (CPUID says '%s')", boot_cpu.hv_signature);
}

static void vmware_setup(void)
{
	pc_topology_from_firmware();
	/* The hypervisor this entry drives is VMware's interface, whatever
	 * implements it underneath (CPUID may say KVM or TCG: QEMU's vmport). */
	facts.hypervisor = "vmware";
}

/* Hypervisor leaf 0x40000010 in whichever range is first (VMware's own, or
 * KVM's with vmware-cpuid-freq=on). */
static uint64_t timing_leaf(uint32_t *apic_khz)
{
	struct cpuid_regs r;

	if (!cpu_has(X86_FEATURE_HYPERVISOR) ||
	    boot_cpu.hv_max < boot_cpu.hv_base + VMWARE_LEAF_TIMING)
		return 0;
	cpuid(boot_cpu.hv_base + VMWARE_LEAF_TIMING, 0, &r);
	*apic_khz = r.ebx;
	return r.eax;
}

static uint64_t vmware_tsc_khz(const char **source)
{
	struct vmware_regs v;
	uint32_t apic_khz = 0;
	uint64_t khz = timing_leaf(&apic_khz);

	if (khz) {
		printk("vmware: CPUID %#x: TSC %llu kHz, APIC bus %u kHz\n",
		       boot_cpu.hv_base + VMWARE_LEAF_TIMING, (unsigned long long)khz, apic_khz);
		*source = "vmware-cpuid";
		return khz;
	}
	vmware_backdoor(VMWARE_CMD_GETHZ, &v);
	if (v.ebx != ~0u) {
		uint64_t hz = (uint64_t)v.ebx << 32 | v.eax;
		printk("vmware: backdoor GETHZ: TSC %llu Hz, APIC bus %u Hz\n",
		       (unsigned long long)hz, v.ecx);
		if (hz >= 1000) {
			*source = "vmware-backdoor";
			return hz / 1000;
		}
	}
	printk("vmware: no leaf %#x and backdoor GETHZ did not answer (EBX %#x): "
	       "calibrating the TSC\n",
	       boot_cpu.hv_base + VMWARE_LEAF_TIMING, v.ebx);
	return native_tsc_khz(source);
}

static const struct machine_ops vmware_ops = {
	.setup = vmware_setup,
	.time =
		{
			.tsc_khz = vmware_tsc_khz,
		},
};

static const struct machine vmware = {
	.name = "vmware",
	.description = "VMware guest: PC devices, TSC rate from the hypervisor",
	.probe = vmware_probe,
	.ops = &vmware_ops,
};
MACHINE_REGISTER(vmware, MACHINE_BAND_HYPERVISOR);
