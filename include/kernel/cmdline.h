/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line (docs/command-line.md). cmdline_parse() is pure:
 * host-tested, and it never fails: an unknown option or a bad value is
 * recorded in the result for the boot log and otherwise ignored.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define CMDLINE_NOTES_MAX 8

enum apic_mode_req {
	APIC_REQ_AUTO,
	APIC_REQ_PIC,
	APIC_REQ_XAPIC_FLAT,
	APIC_REQ_XAPIC_PHYS,
	APIC_REQ_XAPIC_CLUSTER,
	APIC_REQ_X2APIC_PHYS,
	APIC_REQ_X2APIC_CLUSTER,
};

/* smp_phantoms_first: their APIC ids are 240-253, which xAPIC names too. */
#define SMP_PHANTOMS_FIRST_MAX 14

struct cmdline {
	char machine[32];	 /* machine=NAME, "" = probe */
	bool nopv;		 /* nopv: no hypervisor entry, native ops */
	bool nosmp;		 /* nosmp: boot CPU only */
	int maxcpus;		 /* maxcpus=N, -1 = no limit */
	enum apic_mode_req apic; /* apic=MODE */
	char clock[24];		 /* clock=NAME: preferred clocksource */
	char ktest[256];	 /* ktest=PATTERN, "" = all default tests */
	bool ktest_off;		 /* ktest=off */
	int nmi_watchdog;	 /* nmi_watchdog=0|1, -1 = machine default */
	bool pvpatch_off;	 /* pvpatch=off: leave pvops sites indirect */
	bool pvpatch_nop;	 /* pvpatch=nop: pad patched sites with NOPs */
	bool bench;		 /* bench: run micro-benchmarks after the tests */
	int loglevel;		 /* loglevel=N, -1 = CONFIG_LOG_LEVEL */
	int smp_phantom;	 /* smp_phantom=APICID: fault injection, -1 = off */
	int smp_phantoms_first;	 /* smp_phantoms_first=N: absent CPUs listed first */
	bool xen_pae;		 /* xen_pae: i386 Xen dom0 tries PAE paging */
	bool nohz_off;		 /* nohz=off: idle APs keep their tick */
	/* Words the parser did not take, with why, for the boot log. */
	unsigned n_notes;
	unsigned notes_dropped;
	struct {
		char word[48];
		const char *why;
	} notes[CMDLINE_NOTES_MAX];
};

void cmdline_parse(const char *s, struct cmdline *out);
const char *cmdline_apic_name(enum apic_mode_req m);

#endif
