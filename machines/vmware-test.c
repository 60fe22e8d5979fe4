// SPDX-License-Identifier: MIT
/*
 * In-kernel tests of the vmware entry (machines/vmware.c), beside it: the
 * backdoor and where the TSC rate came from. Elsewhere each is a SKIP naming
 * the machine (the backdoor port is not touched where nothing said VMware).
 */
#include <kernel/irq.h>
#include <kernel/kernel.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/trap.h>
#include <asm/tsc.h>
#include <machine/ktest.h>
#include <string.h>
#include <kernel/firmware.h>
#include <asm/cpufeature.h>
#include <asm/vmware.h>

KTEST(vmware, backdoor_version)
{
	struct vmware_regs r;

	/* Only on the entry: the port is not touched where nothing said VMware. */
	REQUIRE_ENTRY(t, "vmware");
	vmware_backdoor(VMWARE_CMD_GETVERSION, &r);
	ktest_log(t, "GETVERSION: eax %#x ebx %#x ecx %#x", r.eax, r.ebx, r.ecx);
	KT_EXPECT_EQ(t, r.ebx, VMWARE_BDOOR_MAGIC);
	/* Not a port that floats (all ones): a protocol version came back. */
	KT_EXPECT_MSG(t, r.eax != ~0u, "GETVERSION version %#x: nothing answered", r.eax);
	/* The entry won on evidence that is there: the CPUID signature or the
	 * SMBIOS identity (the backdoor alone, QEMU's vmport on every pc, is
	 * no VMware). */
	KT_EXPECT_MSG(t,
		      cpu_hypervisor_base(VMWARE_SIGNATURE) || vmware_smbios_identity(fw_smbios()),
		      "on the vmware entry without its CPUID signature or SMBIOS identity");
}

KTEST(vmware, tsc_source)
{
	REQUIRE_ENTRY(t, "vmware");
	KT_ASSERT(t, tsc_source != NULL);
	ktest_log(t, "TSC %llu kHz from %s", (unsigned long long)tsc_khz, tsc_source);
	struct vmware_regs r;
	vmware_backdoor(VMWARE_CMD_GETHZ, &r);
	if (!strcmp(tsc_source, "vmware-backdoor")) {
		/* Asked again, the backdoor gives the same rate. */
		uint64_t hz = (uint64_t)r.ebx << 32 | r.eax;
		KT_EXPECT_EQ(t, hz / 1000, tsc_khz);
	} else if (!strcmp(tsc_source, "vmware-cpuid")) {
		KT_EXPECT(t, tsc_khz > 0);
	} else {
		/* Calibrated: only legitimate when GETHZ does not answer. */
		KT_EXPECT_MSG(t, r.ebx == ~0u,
			      "GETHZ answers (ebx %#x) but the TSC was calibrated (%s)", r.ebx,
			      tsc_source);
	}
}
