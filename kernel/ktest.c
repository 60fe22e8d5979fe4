// SPDX-License-Identifier: MIT
/*
 * The KTAP runner. Output (KTAP version 1, KUnit-style nesting):
 *
 *	KTAP version 1
 *	1..<suites>
 *	    KTAP version 1
 *	    # Subtest: <suite>
 *	    1..<tests>
 *	    ok 1 <name>
 *	    # <name>: EXPECTATION FAILED at <file>:<line>: <what>
 *	    not ok 2 <name>
 *	    ok 3 <name> # SKIP <reason>
 *	    # <name>: made no checks
 *	    not ok 4 <name>
 *	ok 1 <suite>
 *
 * A test that neither failed nor skipped must have made at least one check
 * (KT_EXPECT*, KT_ASSERT): one that checked nothing proved nothing and is
 * reported not ok, as KUnit's expectation count would show it.
 */
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <stdarg.h>
#include <string.h>

extern const struct ktest __ktests_start[], __ktests_end[];

#define MAX_SUITES	64
#define MAX_SUITE_TESTS 256

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->failed = true;
	printk(KERN_PLAIN "    # %s: EXPECTATION FAILED at %s:%d: %s\n", t->name, file, line, msg);
}

void ktest_skip(struct ktest_ctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->skip_reason, sizeof(t->skip_reason), fmt, ap);
	va_end(ap);
	t->skipped = true;
}

void ktest_log(struct ktest_ctx *t, const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_PLAIN "    # %s: %s\n", t->name, msg);
}

static bool selected(const struct ktest *k, const char *pattern)
{
	return ktest_match(pattern, k->suite, k->name, k->flags & KTEST_EXPLICIT);
}

static unsigned suites_in_order(const char *pattern, const char **suites)
{
	unsigned n = 0;

	for (const struct ktest *k = __ktests_start; k < __ktests_end; k++) {
		if (!selected(k, pattern))
			continue;
		unsigned i = 0;
		while (i < n && strcmp(suites[i], k->suite))
			i++;
		if (i == n && n < MAX_SUITES)
			suites[n++] = k->suite;
	}
	return n;
}

/* The compiler emits a file's tests in any order: put them back in source order. */
static void sort_by_source(const struct ktest **t, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		const struct ktest *k = t[i];
		unsigned j = i;
		while (j && (strcmp(t[j - 1]->file, k->file) > 0 ||
			     (!strcmp(t[j - 1]->file, k->file) && t[j - 1]->line > k->line))) {
			t[j] = t[j - 1];
			j--;
		}
		t[j] = k;
	}
}

bool ktest_run_all(const char *pattern)
{
	const char *suites[MAX_SUITES];
	unsigned nsuites = suites_in_order(pattern, suites);
	bool all_ok = true;

	printk(KERN_PLAIN "KTAP version 1\n1..%u\n", nsuites);
	if (!nsuites && pattern && *pattern) {
		printk(KERN_PLAIN "# ktest: pattern '%s' matched no test\n", pattern);
		return false;
	}
	for (unsigned s = 0; s < nsuites; s++) {
		const struct ktest *tests[MAX_SUITE_TESTS];
		unsigned ntests = 0;
		bool suite_ok = true;

		for (const struct ktest *k = __ktests_start; k < __ktests_end; k++)
			if (selected(k, pattern) && !strcmp(k->suite, suites[s]) &&
			    ntests < MAX_SUITE_TESTS)
				tests[ntests++] = k;
		sort_by_source(tests, ntests);
		printk(KERN_PLAIN "    KTAP version 1\n    # Subtest: %s\n    1..%u\n", suites[s],
		       ntests);
		for (unsigned idx = 1; idx <= ntests; idx++) {
			const struct ktest *k = tests[idx - 1];
			struct ktest_ctx t = {.suite = k->suite, .name = k->name};
			k->fn(&t);
			if (t.failed) {
				suite_ok = false;
				printk(KERN_PLAIN "    not ok %u %s\n", idx, k->name);
			} else if (!t.skipped && !t.checks) {
				/* Passing without checking anything is no pass. */
				suite_ok = false;
				printk(KERN_PLAIN "    # %s: made no checks\n", k->name);
				printk(KERN_PLAIN "    not ok %u %s\n", idx, k->name);
			} else if (t.skipped) {
				printk(KERN_PLAIN "    ok %u %s # SKIP %s\n", idx, k->name,
				       t.skip_reason);
			} else {
				printk(KERN_PLAIN "    ok %u %s\n", idx, k->name);
			}
		}
		printk(KERN_PLAIN "%s %u %s\n", suite_ok ? "ok" : "not ok", s + 1, suites[s]);
		all_ok &= suite_ok;
	}
	return all_ok;
}
