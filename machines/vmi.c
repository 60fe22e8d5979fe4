// SPDX-License-Identifier: MIT
/*
 * vmi: a hypervisor ROM with a fixed binary interface (docs/vmi.md). The
 * kernel carries no code for the hypervisor: it finds an option ROM with a
 * VMI header in 0xC0000-0xDFFFF, checks it (arch/x86/firmware/vmi_rom.c),
 * maps it executable, calls its INIT on each CPU and binds the pvops the ROM
 * offers to its entry points; the patcher then turns every site of those ops
 * into a direct call into the ROM. A refused ROM (bad checksum, other API
 * major, truncated, other arch) scores 0 with the reason, and the normal PC
 * entry wins.
 *
 * The platform under the ROM is the emulated PC: topology and devices from
 * the ACPI MADT as on pc-acpi, or, without a MADT or a local APIC (isapc),
 * the 8259 + PIT model of pc-legacy on one CPU.
 */
#include <machine/native.h>
#include <machine/probe.h>
#include <kernel/firmware.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/physmem.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <kernel/topology.h>
#include <kernel/kernel.h>
#include <asm/apic.h>
#include <asm/paging.h>
#include <asm/paravirt.h>
#include <asm/trap.h>
#include <firmware/vmi.h>
#include <pvops.h>
#include <vmi.h>
#include <string.h>

#ifdef CONFIG_X86_64
#define VMI_CCONV
#else
#define VMI_CCONV __attribute__((regparm(3)))
#endif
typedef VMI_CCONV uint32_t (*vmi_init_fn)(void *data, uint32_t size, const void *boot_data);
typedef VMI_CCONV uint32_t (*vmi_tsc_khz_fn)(void);

/* What each of the ROM's entries implements: PV_<NAME> + 1, or 0 for an
 * entry that is no pvop (INIT, TSC_KHZ). From VMI_PV_OPS in <vmi.h>. */
#define VMI_PV(NAME) [VMI_E_##NAME] = PV_##NAME + 1,
static const uint8_t vmi_to_pv[VMI_NR_ENTRIES] = {VMI_PV_OPS(VMI_PV)};
#undef VMI_PV

static struct vmi_rom rom;
static uint32_t rom_entries; /* INIT's answer on the boot CPU */
/* How often this entry was chosen and INIT ran on the boot CPU: INIT only
 * after a claim (machines/vmi-test.c checks it). */
struct vmi_calls {
	unsigned claim, init;
} vmi_calls;
/* Filled by vmi_claim, before kernel/main.c binds machine_current->pv. */
static struct pv_ops_override vmi_pv;
static char refusal[PROBE_EVIDENCE_LEN];
static void *ap_data[NR_CPUS];

static void *entry(unsigned e)
{
	return (void *)(uintptr_t)(rom.addr + rom.entry[e]);
}

static void *data_alloc(void)
{
	uint64_t pa = page_alloc(1); /* identity-mapped, aligned beyond the ABI's 64 */

	if (!pa)
		return NULL;
	memset((void *)(uintptr_t)pa, 0, 4096);
	return (void *)(uintptr_t)pa;
}

/* The entries the validator saw in the ROM's table: INIT's answer is masked
 * with this, so a ROM claiming an entry it lacks never gets its base called. */
static uint32_t rom_provides(void)
{
	uint32_t m = 0;

	for (unsigned e = 0; e < VMI_NR_ENTRIES; e++)
		if (rom.entry[e])
			m |= 1u << e;
	return m;
}

struct init_call {
	void *data;
	const void *boot_data;
	uint32_t entries;
};

static void init_call(void *arg)
{
	struct init_call *c = arg;

	c->entries = ((vmi_init_fn)entry(VMI_E_INIT))(c->data, rom.data_size, c->boot_data);
}

/*
 * INIT, with a fault inside the ROM caught (trap_call_guarded): returns the
 * entries usable on this CPU, 0 if INIT refused it or faulted (*fault set,
 * the reason in fault_why).
 */
static char fault_why[96];

static uint32_t rom_init(void *data, const void *boot_data, bool *fault)
{
	struct init_call c = {data, boot_data, 0};
	struct trap_guard g = {.lo = (uintptr_t)rom.addr, .hi = (uintptr_t)(rom.addr + rom.size)};
	unsigned long f = save_fl();

	irq_disable();
	*fault = trap_call_guarded(&g, init_call, &c) < 0;
	restore_fl(f);
	if (*fault) {
		snprintf(fault_why, sizeof(fault_why), "%s at ROM+%#lx%s%#lx", trap_name(g.vector),
			 (unsigned long)(g.ip - rom.addr), g.vector == 14 ? " address " : "",
			 g.vector == 14 ? (unsigned long)g.cr2 : 0ul);
		return 0;
	}
	uint32_t extra = c.entries & ~rom_provides();
	if (extra)
		printk(KERN_WARN "vmi: ROM '%s' INIT offers entries %#x it has no code for: "
				 "ignored\n",
		       rom.version, extra);
	return c.entries & rom_provides();
}

static void vmi_probe(struct probe_result *r)
{
	int rc = vmi_rom_scan(&physmem, VMI_ARCH_THIS, &rom);

	if (rc == FW_ENOENT) {
		r->refusal = "no VMI ROM in 0xc0000-0xdffff";
		return;
	}
	if (rc != FW_OK) {
		snprintf(refusal, sizeof(refusal), "ROM at %#llx refused: %s",
			 (unsigned long long)rom.addr, rom.why);
		printk(KERN_WARN "vmi: %s; the native machine entries take over\n", refusal);
		r->refusal = refusal;
		return;
	}
	if (cmdline.nopv) {
		r->refusal = "nopv on the command line: the ROM is not called";
		return;
	}
	r->score = SCORE_HV_ROM;
	probe_note(r, "ROM '%s' at %#llx, %u KiB, API %u.%u, %s flavour", rom.version,
		   (unsigned long long)rom.addr, rom.size / 1024, rom.api_major, rom.api_minor,
		   rom.flavour == VMI_FLAVOUR_KVM ? "kvm" : "native");
}

/*
 * Chosen: only now is the ROM made code and called (the probe stays pure, so
 * a ROM under another forced or winning entry never runs). A refusal here
 * hands the choice back to kernel/machine.c, which picks the next entry.
 */
static bool vmi_claim(struct probe_result *r)
{
	vmi_calls.claim++;
	/* paging_init mapped the option-ROM area read-only and, with NX, not
	 * executable: only a ROM that passed validation becomes code. */
	if (paging_map(rom.addr, rom.size, MAP_EXEC) < 0) {
		r->refusal = "cannot map the ROM executable";
		return false;
	}
	void *data = data_alloc();
	if (!data) {
		r->refusal = "no memory for the ROM's per-CPU data";
		paging_map(rom.addr, rom.size, 0);
		return false;
	}
	bool fault;
	vmi_calls.init++;
	rom_entries = rom_init(data, NULL, &fault);
	if (fault) {
		snprintf(refusal, sizeof(refusal), "ROM '%s' at %#llx: INIT faulted: %s",
			 rom.version, (unsigned long long)rom.addr, fault_why);
		printk(KERN_WARN "vmi: %s; the native machine entries take over\n", refusal);
		/* Its code is not to run again: back to read-only, not executable. */
		paging_map(rom.addr, rom.size, 0);
		r->refusal = refusal;
		return false;
	}
	if (!rom_entries) {
		snprintf(refusal, sizeof(refusal), "ROM '%s' at %#llx: INIT refused this CPU",
			 rom.version, (unsigned long long)rom.addr);
		paging_map(rom.addr, rom.size, 0);
		r->refusal = refusal;
		return false;
	}
	this_cpu()->vmi_data = data;
	unsigned bound = 0;
	for (unsigned e = 0; e < VMI_NR_ENTRIES; e++)
		if (vmi_to_pv[e] && rom.entry[e] && (rom_entries & (1u << e))) {
			vmi_pv.op[vmi_to_pv[e] - 1] = entry(e);
			bound++;
		}
	probe_note(r, ", %u ops", bound);
	return true;
}

static void vmi_setup(void)
{
	const struct acpi_info *a = fw_acpi();
	bool apic = lapic_detect(0) && (rom_entries & (1u << VMI_E_APIC_EOI));

	/* Only the MADT is trusted for APICs: isapc's MP table lists an IO-APIC
	 * that does not exist (EMULATORS.md), whatever the CPU. */
	apic = apic && a && a->madt.present && pc_topology_from_madt(a);
	if (a)
		pc_devices_from_acpi(a);
	if (!apic) {
		/* isapc: the PC/AT model of pc-legacy, one CPU on the 8259. */
		topo.source = "defaults";
		topo_add_cpu(0, 0, true);
		topo.pic = true;
		topo.no_apic = true; /* no MADT, or a ROM without APIC EOI */
	}
	facts.hypervisor = "vmi";
	printk("vmi: ROM '%s' at %#llx bound, INIT offers entries %#x\n", rom.version,
	       (unsigned long long)rom.addr, rom_entries);
}

static uint64_t vmi_tsc_khz(const char **source)
{
	uint32_t khz = 0;

	if (rom_entries & (1u << VMI_E_TSC_KHZ))
		khz = ((vmi_tsc_khz_fn)entry(VMI_E_TSC_KHZ))();
	if (!khz)
		return native_tsc_khz(source);
	*source = "vmi-rom";
	return khz;
}

/* The APs' data areas come from the boot CPU (the allocator is not for APs
 * racing each other); each AP's INIT then runs on that AP. */
static int vmi_start_cpus(struct percpu **cpus, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (cpus[i]->cpu < NR_CPUS && !ap_data[cpus[i]->cpu])
			ap_data[cpus[i]->cpu] = data_alloc();
	return native_start_cpus(cpus, n);
}

static void vmi_irq_init_cpu(void)
{
	struct percpu *p = this_cpu();
	void *data = p->cpu < NR_CPUS ? ap_data[p->cpu] : NULL;

	bool fault = false;

	native_irq_init_cpu();
	if (!data || !rom_init(data, percpu[0]->vmi_data, &fault))
		printk(KERN_WARN "vmi: CPU %u: no ROM data, INIT refused or faulted%s%s: its ROM "
				 "ops run without per-CPU data\n",
		       p->cpu, fault ? ": " : "", fault ? fault_why : "");
	else
		p->vmi_data = data;
}

static const struct machine_ops vmi_ops = {
	.setup = vmi_setup,
	.irq =
		{
			.init_cpu = vmi_irq_init_cpu,
		},
	.smp =
		{
			.start_cpus = vmi_start_cpus,
		},
	.time =
		{
			.tsc_khz = vmi_tsc_khz,
		},
};

static const struct machine vmi = {
	.name = "vmi",
	.description = "VMI hypervisor ROM: pvops bound to the ROM's entry points",
	.probe = vmi_probe,
	.claim = vmi_claim,
	.ops = &vmi_ops,
	.pv = &vmi_pv,
};
MACHINE_REGISTER(vmi, MACHINE_BAND_HYPERVISOR);
