// SPDX-License-Identifier: MIT
/* kernel/cmdline.c and kernel/ktest_match.c on the host. */
#include <string.h>
#include <time.h>
#include "harness.h"
#include <kernel/cmdline.h>
#include <kernel/ktest.h>

static void test_defaults(void)
{
	struct cmdline c;

	cmdline_parse("", &c);
	CHECK_STR(c.machine, "");
	CHECK_EQ(c.maxcpus, -1);
	CHECK_EQ(c.nmi_watchdog, -1);
	CHECK_EQ(c.apic, APIC_REQ_AUTO);
	CHECK(!c.nopv && !c.nosmp && !c.ktest_off && !c.bench && !c.pvpatch_off && !c.xen_pae &&
	      !c.nohz_off);
	CHECK_EQ(c.n_notes, 0);
}

static void test_every_option(void)
{
	struct cmdline c;

	cmdline_parse("machine=pc-acpi nopv nosmp maxcpus=12 apic=x2apic-cluster clock=hpet "
		      "ktest=smp.*,core nmi_watchdog=1 pvpatch=off bench loglevel=7 xen_pae",
		      &c);
	CHECK_STR(c.machine, "pc-acpi");
	CHECK(c.nopv);
	CHECK(c.nosmp);
	CHECK_EQ(c.maxcpus, 12);
	CHECK_EQ(c.apic, APIC_REQ_X2APIC_CLUSTER);
	CHECK_STR(c.clock, "hpet");
	CHECK_STR(c.ktest, "smp.*,core");
	CHECK_EQ(c.nmi_watchdog, 1);
	CHECK(c.pvpatch_off);
	CHECK(c.bench);
	CHECK_EQ(c.loglevel, 7);
	CHECK(c.xen_pae);
	CHECK_EQ(c.n_notes, 0);
	cmdline_parse("smp_phantom=32", &c);
	CHECK_EQ(c.smp_phantom, 32);
	cmdline_parse("smp_phantoms_first=4", &c);
	CHECK_EQ(c.smp_phantoms_first, 4);
	cmdline_parse("smp_phantoms_first=15", &c);
	CHECK_EQ(c.smp_phantoms_first, 0);
	CHECK_EQ(c.n_notes, 1);
	cmdline_parse("pvpatch=on ktest=off", &c);
	CHECK(!c.pvpatch_off);
	CHECK(c.ktest_off);
	cmdline_parse("pvpatch=nop", &c);
	CHECK(!c.pvpatch_off && c.pvpatch_nop);
	cmdline_parse("pvpatch=maybe", &c);
	CHECK_STR(c.notes[0].why, "needs on, off or nop");
	cmdline_parse("nohz=off", &c);
	CHECK(c.nohz_off);
	cmdline_parse("nohz=off nohz=on", &c);
	CHECK(!c.nohz_off);
	cmdline_parse("nohz=nop nohz", &c);
	CHECK(!c.nohz_off);
	CHECK_EQ(c.n_notes, 2);
	CHECK_STR(c.notes[0].why, "needs on or off");
	CHECK_STR(c.notes[1].why, "needs on or off");
}

static void test_unknown_and_bad_values(void)
{
	struct cmdline c;

	cmdline_parse("  foo   maxcpus=abc apic=bogus nopv=1 machine= bar=baz maxcpus=99999", &c);
	CHECK_EQ(c.n_notes, 7);
	CHECK_STR(c.notes[0].word, "foo");
	CHECK_STR(c.notes[0].why, "unknown option");
	CHECK_STR(c.notes[1].word, "maxcpus=abc");
	CHECK_STR(c.notes[2].why, "unknown APIC mode");
	CHECK_STR(c.notes[3].why, "takes no value");
	CHECK_STR(c.notes[4].why, "needs a value");
	CHECK_STR(c.notes[5].word, "bar=baz");
	CHECK_STR(c.notes[6].why, "needs a number in range"); /* maxcpus=99999 */
	CHECK_EQ(c.notes_dropped, 0);
	CHECK_EQ(c.maxcpus, -1);
	CHECK(!c.nopv);
	/* More bad words than note slots: counted, and the good ones still apply. */
	cmdline_parse("a b c d e f g h i j nosmp", &c);
	CHECK_EQ(c.n_notes, CMDLINE_NOTES_MAX);
	CHECK_EQ(c.notes_dropped, 10 - CMDLINE_NOTES_MAX);
	CHECK(c.nosmp);
}

static void test_quotes_and_limits(void)
{
	struct cmdline c;
	char big[400];

	cmdline_parse("ktest=\"core.a,core.b\" machine=\"pc legacy\"", &c);
	CHECK_STR(c.ktest, "core.a,core.b");
	CHECK_STR(c.machine, "pc legacy");
	cmdline_parse("machine=\"unterminated nosmp", &c);
	CHECK(!c.nosmp);
	CHECK_STR(c.notes[0].why, "unterminated quote");
	memset(big, 'x', sizeof(big));
	memcpy(big, "machine=", 8);
	big[sizeof(big) - 1] = '\0';
	cmdline_parse(big, &c);
	CHECK_STR(c.machine, "");
	CHECK_STR(c.notes[0].why, "value too long");
	CHECK_EQ(strlen(c.notes[0].word), sizeof(c.notes[0].word) - 1);
	cmdline_parse("\tnosmp\r\n", &c);
	CHECK(c.nosmp);
	CHECK_STR(cmdline_apic_name(APIC_REQ_XAPIC_PHYS), "xapic-phys");
}

static void test_ktest_match(void)
{
	CHECK(ktest_match("", "core", "heap", false));
	CHECK(!ktest_match("", "selftest", "fail", true));
	CHECK(ktest_match("core", "core", "heap", false));
	CHECK(!ktest_match("cor", "core", "heap", false));
	CHECK(ktest_match("core.h*", "core", "heap", false));
	CHECK(ktest_match("smp.*,core.heap", "core", "heap", false));
	CHECK(ktest_match("smp.*;core.heap", "core", "heap", false));
	CHECK(!ktest_match("smp.*;core.hea", "core", "heap", false));
	CHECK(ktest_match("x,core.?eap", "core", "heap", false));
	CHECK(!ktest_match("core.heap", "core", "heapx", false));
	CHECK(ktest_match("*", "core", "heap", false));
	/* Explicit tests: only when named without wildcards. */
	CHECK(!ktest_match("*", "selftest", "fail", true));
	CHECK(!ktest_match("selftest.*", "selftest", "fail", true));
	CHECK(ktest_match("selftest.fail", "selftest", "fail", true));
	CHECK(ktest_match("selftest", "selftest", "fail", true));
	CHECK(!ktest_match("selftest.fail", "selftest", "panic", true));
	/* Glob corners. */
	CHECK(ktest_match("**", "core", "heap", false));
	CHECK(ktest_match("c*e.*p", "core", "heap", false));
	CHECK(ktest_match("*.*a*", "core", "heap", false));
	CHECK(!ktest_match("*.*x*", "core", "heap", false));
	CHECK(ktest_match("core.heap*", "core", "heap", false));
	CHECK(!ktest_match("core.heap?", "core", "heap", false));
	CHECK(ktest_match("*e*a*p", "core", "heap", false));
	CHECK(!ktest_match("*e*a*pp", "core", "heap", false));
	CHECK(ktest_match("?ore.*", "core", "heap", false));
}

/*
 * Many stars against a name that almost matches: a backtracking matcher takes
 * C(n, k) steps (hours for this one); the kernel's is bounded by
 * |pattern| x |name|. Counted with a clock rather than trusted.
 */
static void test_ktest_match_is_not_exponential(void)
{
	char pat[200], suite[64], name[64];
	struct timespec t0, t1;

	memset(suite, 'a', 40);
	suite[40] = '\0';
	memset(name, 'a', 60);
	name[60] = '\0';
	size_t n = 0;
	for (int i = 0; i < 60; i++) {
		pat[n++] = '*';
		pat[n++] = 'a';
	}
	pat[n++] = 'b'; /* never matches */
	pat[n] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(!ktest_match(pat, suite, name, false));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(s < 0.1);
	pat[n - 1] = '*';
	CHECK(ktest_match(pat, suite, name, false));
}

int main(void)
{
	test_defaults();
	test_every_option();
	test_unknown_and_bad_values();
	test_quotes_and_limits();
	test_ktest_match();
	test_ktest_match_is_not_exponential();
	return harness_done();
}
