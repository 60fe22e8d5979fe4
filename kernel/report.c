// SPDX-License-Identifier: MIT
/* The one BOOT-REPORT line (docs/boot-report.md). */
#include <kernel/report.h>
#include <kernel/json.h>
#include <kernel/printk.h>
#include <kernel/console.h>
#include <kernel/machine.h>
#include <kernel/smp.h>

struct boot_facts facts;

void report_init(void)
{
	facts.cpus = facts.cpus_listed = facts.ioapics = FACT_UNKNOWN;
	facts.tsc_khz = facts.ready_ns = facts.mem_kib = FACT_UNKNOWN;
}

static void num(struct json *j, const char *k, long long v)
{
	if (v == FACT_UNKNOWN)
		json_null(j, k);
	else
		json_int(j, k, v);
}

void report_print(void)
{
	static char buf[4096];
	struct json j;

	json_init(&j, buf, sizeof(buf));
	json_begin_object(&j, NULL);
#ifdef CONFIG_X86_64
	json_str(&j, "arch", "x86_64");
#else
	json_str(&j, "arch", "i386");
#endif
	json_str(&j, "entry", facts.entry);
	json_str(&j, "machine", facts.machine);
	json_str(&j, "hypervisor", facts.hypervisor);
	num(&j, "cpus", facts.cpus);
	num(&j, "cpus_listed", facts.cpus_listed);
	json_str(&j, "apic", facts.apic);
	num(&j, "ioapics", facts.ioapics);
	json_str(&j, "clockevent", facts.clockevent);
	json_str(&j, "clocksource", facts.clocksource);
	num(&j, "tsc_khz", facts.tsc_khz);
	json_str(&j, "tsc_source", facts.tsc_source);
	json_str(&j, "tsc_calibration", facts.tsc_calibration);
	num(&j, "ready_ns", facts.ready_ns);
	num(&j, "smp_boot_ns", nr_cpus_online > 1 ? (long long)smp_boot_ns : FACT_UNKNOWN);
	json_begin_array(&j, "probe");
	machine_probe_json(&j);
	json_end_array(&j);
	json_str(&j, "paging", facts.paging);
	json_bool(&j, "nx", facts.nx);
	num(&j, "mem_kib", facts.mem_kib);
	json_str(&j, "loader", facts.loader);
	json_str(&j, "cmdline", facts.cmdline);
	json_dropped(&j, "fields_dropped");
	json_end_object(&j);
	if (j.overflow)
		printk(KERN_ERR "report: BOOT-REPORT too long: %u fields left out "
				"(fields_dropped)\n",
		       j.dropped);
	console_write_line("BOOT-REPORT ", buf);
}
