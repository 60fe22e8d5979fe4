/* SPDX-License-Identifier: MIT */
/*
 * A minimal harness for host unit tests: each test file is one program with
 * its own main(). CHECK*() count passes and failures and print file:line on
 * failure, on stdout so that a log keeps the order; harness_done() prints
 * "N passed, N failed" as the last line and returns the exit status.
 */
#ifndef TESTS_HOST_HARNESS_H
#define TESTS_HOST_HARNESS_H

#include <stdio.h>
#include <string.h>

static unsigned int harness_passed, harness_failed;
static const char *harness_context = "";

/* Printed with every failure until the next call: which image, which case. */
static inline void harness_set_context(const char *what)
{
	harness_context = what;
}

static inline int harness_check(int ok, const char *file, int line, const char *expr)
{
	if (ok) {
		harness_passed++;
	} else {
		harness_failed++;
		fprintf(stdout, "%s:%d: %s%sCHECK(%s) failed\n", file, line, harness_context,
			*harness_context ? ": " : "", expr);
	}
	return ok;
}

#define CHECK(cond) harness_check(!!(cond), __FILE__, __LINE__, #cond)

/* Integers (any width, signed or not): prints both values on failure. */
#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long a_ = (unsigned long long)(a);                                   \
		unsigned long long b_ = (unsigned long long)(b);                                   \
		if (!harness_check(a_ == b_, __FILE__, __LINE__, #a " == " #b))                    \
			fprintf(stdout, "\t%#llx (%lld) != %#llx (%lld)\n", a_, (long long)a_, b_, \
				(long long)b_);                                                    \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		int ok_ = a_ && b_ && !strcmp(a_, b_);                                             \
		if (!harness_check(ok_, __FILE__, __LINE__, #a " == " #b))                         \
			fprintf(stdout, "\t\"%s\" != \"%s\"\n", a_ ? a_ : "(null)",                \
				b_ ? b_ : "(null)");                                               \
	} while (0)

static inline int harness_done(void)
{
	printf("%u passed, %u failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

#endif
