// SPDX-License-Identifier: MIT
/*
 * Machine selection (include/kernel/machine.h has the rules): run every
 * probe, print the table, pick the winner or the forced entry, and build
 * `mach` from its ops over the native defaults.
 */
#include <kernel/machine.h>
#include <kernel/json.h>
#include <kernel/kernel.h>
#include <kernel/printk.h>
#include <kernel/report.h>
#include <machine/probe.h>
#include <asm/cpufeature.h>
#include <asm/trap.h>
#include <stdarg.h>
#include <string.h>

extern const struct machine *const __machines_start[], *const __machines_end[];

#define MAX_MACHINES 32

struct machine_ops mach __ro_after_init;
const struct machine *machine_current;
static struct probe_result results[MAX_MACHINES];
static unsigned nmachines;

void probe_note(struct probe_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->evidence);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->evidence + len, sizeof(r->evidence) - len, fmt, ap);
	va_end(ap);
}

const char *hypervisor_name(void)
{
	static const struct {
		const char *sig, *name;
	} known[] = {
		{"KVMKVMKVM", "kvm"},	    {"XenVMMXenVMM", "xen"}, {"VMwareVMware", "vmware"},
		{"Microsoft Hv", "hyperv"}, {"TCGTCGTCGTCG", "tcg"}, {"bhyve bhyve ", "bhyve"},
		{"ACRNACRNACRN", "acrn"},
	};

	if (!cpu_has(X86_FEATURE_HYPERVISOR))
		return "none";
	for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(boot_cpu.hv_signature, known[i].sig))
			return known[i].name;
	return "unknown";
}

/* Each member the entry leaves NULL comes from the native ops. Every member
 * of struct machine_ops (and of its groups) is a function pointer. */
static void build_ops(const struct machine_ops *o)
{
	const void *const *src = (const void *const *)o;
	const void *const *def = (const void *const *)&native_machine_ops;
	const void **dst = (const void **)&mach;

	for (size_t i = 0; i < sizeof(mach) / sizeof(void *); i++)
		dst[i] = src && src[i] ? src[i] : def[i];
	irq_eoi_fn = mach.irq.eoi; /* its only writer */
}

static const struct machine *entry(unsigned i)
{
	return __machines_start[i];
}

void machine_early(struct boot_info *bi)
{
	unsigned n = (unsigned)(__machines_end - __machines_start);

	for (unsigned i = 0; i < n; i++)
		if (entry(i)->early && entry(i)->early(bi))
			printk("machine: %s: early set-up done\n", entry(i)->name);
}

/* The entry machine=forced names, if its probe accepted it; else the best. */
static unsigned choose(const char *forced)
{
	unsigned best = 0;

	for (unsigned i = 0; i < nmachines; i++)
		if (results[i].score > results[best].score)
			best = i;
	if (forced && *forced)
		for (unsigned i = 0; i < nmachines; i++)
			if (!strcmp(entry(i)->name, forced) && results[i].score)
				return i;
	return best;
}

void machine_select(const char *forced)
{
	unsigned best;

	nmachines = (unsigned)(__machines_end - __machines_start);
	if (nmachines > MAX_MACHINES)
		nmachines = MAX_MACHINES;
	for (unsigned i = 0; i < nmachines; i++) {
		struct probe_result *r = &results[i];
		memset(r, 0, sizeof(*r));
		entry(i)->probe(r);
		/* Deprivileged, the kernel can run only on an entry made for it. */
		if (cpu_deprivileged && !entry(i)->deprivileged && r->score) {
			r->score = 0;
			r->refusal =
				"needs a privileged CPU: this kernel runs deprivileged (Xen PV)";
		}
		/* nopv: the hardware underneath only, however good the hypervisor's
		 * case. A deprivileged kernel has no hardware underneath to use. */
		if (cmdline.nopv && r->score >= SCORE_HYPERVISOR && !cpu_deprivileged) {
			r->score = 0;
			r->refusal = "nopv on the command line";
		}
	}
	/* Only the chosen entry claims; one that refuses then is out. */
	for (;;) {
		best = nmachines ? choose(forced) : 0;
		if (!nmachines || !results[best].score || !entry(best)->claim ||
		    entry(best)->claim(&results[best]))
			break;
		results[best].score = 0;
	}
	printk("machine: probe (%u entries, hypervisor %s)\n", nmachines, hypervisor_name());
	for (unsigned i = 0; i < nmachines; i++)
		printk("machine:   %-10s %3d  %s\n", entry(i)->name, results[i].score,
		       results[i].score	    ? results[i].evidence
		       : results[i].refusal ? results[i].refusal
					    : "not this machine");

	if (forced && *forced) {
		unsigned i = 0;
		while (i < nmachines && strcmp(entry(i)->name, forced))
			i++;
		if (i == nmachines)
			printk(KERN_WARN
			       "machine: machine=%s: no such entry; using the probe's choice\n",
			       forced);
		else if (!results[i].score)
			printk(KERN_WARN
			       "machine: machine=%s refused: %s; using the probe's choice\n",
			       forced,
			       results[i].refusal ? results[i].refusal : "its probe found nothing");
	}
	if (!nmachines || !results[best].score) {
		printk(KERN_ERR "machine: no entry can run here; using native ops\n");
		machine_current = NULL;
		build_ops(NULL);
		return;
	}
	machine_current = entry(best);
	build_ops(machine_current->ops);
	facts.machine = machine_current->name;
	printk("machine: %s%s (%s)\n", machine_current->name,
	       forced && *forced && !strcmp(forced, machine_current->name) ? " [forced]" : "",
	       machine_current->description);
}

void machine_probe_json(struct json *j)
{
	for (unsigned i = 0; i < nmachines; i++) {
		json_begin_object(j, NULL);
		json_str(j, "name", entry(i)->name);
		json_int(j, "score", results[i].score);
		json_str(j, "evidence",
			 results[i].score ? results[i].evidence : results[i].refusal);
		json_end_object(j);
	}
}

void machine_exit(int status)
{
	if (mach.power.exit)
		mach.power.exit(status);
	else
		native_machine_ops.power.exit(status);
}
