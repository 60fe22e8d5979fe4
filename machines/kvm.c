// SPDX-License-Identifier: MIT
/*
 * kvm: a guest of KVM, found by "KVMKVMKVM" in the hypervisor CPUID range.
 * The platform underneath is QEMU's PC, so topology and devices come from
 * ACPI (or the MP table) as on pc-acpi and the emulated LAPIC, IO-APIC and
 * HPET are driven by the native code; on top, each paravirtual feature whose
 * CPUID bit is set replaces its native counterpart:
 *   kvmclock	clocksource and the TSC frequency (no calibration loop)
 *   PV EOI	most EOIs become a memory write instead of an APIC exit
 *   PV IPI	one hypercall instead of an ICR write per destination
 *		(CONFIG_KVM_PV_SEND_IPI, off by default: see kvm_send_ipi_all)
 *   steal time	registered per CPU, read by the tests (machines/kvm-test.c)
 * x2APIC is chosen by the native code whenever CPUID offers it.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <kernel/firmware.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/kvm_para.h>

static void kvm_probe(struct probe_result *r)
{
	uint32_t base = kvm_cpuid_base(), f = kvm_features();
	static const struct {
		unsigned bit;
		const char *name;
	} used[] = {
		{KVM_FEATURE_CLOCKSOURCE2, "kvmclock"}, {KVM_FEATURE_CLOCKSOURCE_STABLE, "stable"},
		{KVM_FEATURE_PV_EOI, "pv-eoi"},		{KVM_FEATURE_PV_SEND_IPI, "pv-ipi"},
		{KVM_FEATURE_STEAL_TIME, "steal-time"},
	};

	if (!base) {
		r->refusal = cpu_has(X86_FEATURE_HYPERVISOR)
				     ? "no KVMKVMKVM signature in CPUID 0x40000000-0x4000ff00"
				     : "CPUID says no hypervisor";
		return;
	}
	r->score = SCORE_HYPERVISOR;
	probe_note(r, "CPUID %#x = KVMKVMKVM, features %#x:", base, f);
	for (unsigned i = 0; i < ARRAY_SIZE(used); i++)
		if (f & (1u << used[i].bit))
			probe_note(r, " %s", used[i].name);
	if (lapic_x2apic_capable())
		probe_note(r, " x2apic");
}

static void kvm_setup(void)
{
	pc_topology_from_firmware();
#ifdef CONFIG_KVM_PV_SEND_IPI
	if (kvm_has(KVM_FEATURE_PV_SEND_IPI))
		kvm_hypercall_prime();
#endif
}

static void kvm_pv_init_cpu(void)
{
	kvm_steal_time_init_cpu();
	kvm_pv_eoi_init_cpu();
}

/* The boot CPU: native_irq_init sets up its APIC itself (not through
 * irq_init_cpu); kvmclock is already on from clocksource_init. */
static void kvm_irq_init(void)
{
	native_irq_init();
	kvm_pv_init_cpu();
}

static void kvm_irq_init_cpu(void)
{
	native_irq_init_cpu();
	kvmclock_init_cpu();
	kvm_pv_init_cpu();
}

/* Off by default (machines/Kconfig, KVM_PV_SEND_IPI): this machine's
 * kvm_pvm rewrites the hypercall instruction in guest memory on first use,
 * which faults on read-only kernel text and resets the guest when the text
 * is still writable; nothing in CPUID tells it from a KVM where it works. */
#ifdef CONFIG_KVM_PV_SEND_IPI
static void kvm_send_ipi_all(unsigned vector)
{
	if (!kvm_send_ipi_allbutself(vector))
		native_send_ipi_all(vector);
}
#endif

static void kvm_clocksource_init(void)
{
	native_clocksource_init();
	kvmclock_init_cpu();
	if (kvmclock_clocksource())
		clocksource_register(kvmclock_clocksource());
	else
		printk("kvm: no kvmclock (CPUID feature bit %u clear): native clocks\n",
		       KVM_FEATURE_CLOCKSOURCE2);
}

static uint64_t kvm_tsc_khz(const char **source)
{
	const volatile struct pvclock_vcpu_time_info *r = kvmclock_record(0);
	uint64_t khz = r ? pvclock_tsc_khz(r->tsc_to_system_mul, r->tsc_shift) : 0;

	if (!khz)
		return native_tsc_khz(source);
	*source = "kvmclock";
	return khz;
}

static int64_t kvm_wallclock(void)
{
	int64_t t = kvmclock_wallclock();

	return t >= 0 ? t : native_wallclock();
}

static const struct machine_ops kvm_ops = {
	.setup = kvm_setup,
	.irq =
		{
			.init = kvm_irq_init,
			.init_cpu = kvm_irq_init_cpu,
			.eoi = kvm_irq_eoi,
		},
#ifdef CONFIG_KVM_PV_SEND_IPI
	.smp =
		{
			.send_ipi_all = kvm_send_ipi_all,
		},
#endif
	.time =
		{
			.clocksource_init = kvm_clocksource_init,
			.tsc_khz = kvm_tsc_khz,
			.wallclock = kvm_wallclock,
		},
};

static const struct machine kvm = {
	.name = "kvm",
	.description = "KVM guest: kvmclock, PV EOI, PV IPI, steal time",
	.probe = kvm_probe,
	.ops = &kvm_ops,
};
MACHINE_REGISTER(kvm, MACHINE_BAND_HYPERVISOR);
