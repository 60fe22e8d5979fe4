/* SPDX-License-Identifier: MIT */
/*
 * In-kernel tests, reported as KTAP version 1 (the format of Linux's KUnit):
 *
 *	KTEST(suite, name)
 *	{
 *		KT_EXPECT_EQ(t, 2 + 2, 4);
 *		if (!hpet_present())
 *			KT_SKIP(t, "no HPET on this machine");
 *	}
 *
 * Tests register into the .ktests section. Suites run in the order they first
 * appear there (link order); a suite's tests run in source order (file, line). ktest=PATTERN selects "suite.name"
 * globs (comma-separated; a bare suite name selects the whole suite).
 * KTEST_EXPLICIT tests run only when a pattern names them without wildcards.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <kernel/compiler.h>

struct ktest_ctx {
	const char *suite, *name;
	bool failed;
	bool skipped;
	char skip_reason[96];
	unsigned checks;
};

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest_ctx *t);
	unsigned flags;
	const char *file; /* tests of a suite run in (file, line) order */
	unsigned line;
};

#define KTEST_EXPLICIT (1u << 0)

#define KTEST_FLAGS(suite_, name_, flags_)                                                         \
	static void ktest_fn_##suite_##_##name_(struct ktest_ctx *t);                              \
	static const struct ktest ktest_##suite_##_##name_ __used __section(".ktests")             \
		__aligned(sizeof(void *)) = {#suite_, #name_,	ktest_fn_##suite_##_##name_,       \
					     flags_,  __FILE__, __LINE__};                         \
	static void ktest_fn_##suite_##_##name_(struct ktest_ctx *t)
#define KTEST(suite_, name_) KTEST_FLAGS(suite_, name_, 0)

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);
void ktest_skip(struct ktest_ctx *t, const char *fmt, ...) __printf(2, 3);
/* A diagnostic line ("# ...") inside the current test's output. */
void ktest_log(struct ktest_ctx *t, const char *fmt, ...) __printf(2, 3);

#define KT_EXPECT(t, cond)                                                                         \
	do {                                                                                       \
		(t)->checks++;                                                                     \
		if (!(cond))                                                                       \
			ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond);                   \
	} while (0)

#define KT_EXPECT_MSG(t, cond, ...)                                                                \
	do {                                                                                       \
		(t)->checks++;                                                                     \
		if (!(cond))                                                                       \
			ktest_fail(t, __FILE__, __LINE__, __VA_ARGS__);                            \
	} while (0)

#define KT_EXPECT_OP(t, a, op, b)                                                                  \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		(t)->checks++;                                                                     \
		if (!(a_ op b_))                                                                   \
			ktest_fail(t, __FILE__, __LINE__, "expected %s %s %s (%lld vs %lld)", #a,  \
				   #op, #b, a_, b_);                                               \
	} while (0)
#define KT_EXPECT_EQ(t, a, b) KT_EXPECT_OP(t, a, ==, b)
#define KT_EXPECT_NE(t, a, b) KT_EXPECT_OP(t, a, !=, b)
#define KT_EXPECT_LE(t, a, b) KT_EXPECT_OP(t, a, <=, b)
#define KT_EXPECT_GE(t, a, b) KT_EXPECT_OP(t, a, >=, b)

#define KT_ASSERT(t, cond)                                                                         \
	do {                                                                                       \
		(t)->checks++;                                                                     \
		if (!(cond)) {                                                                     \
			ktest_fail(t, __FILE__, __LINE__, "assertion %s", #cond);                  \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define KT_SKIP(t, ...)                                                                            \
	do {                                                                                       \
		ktest_skip(t, __VA_ARGS__);                                                        \
		return;                                                                            \
	} while (0)

/* Run the selected tests; returns true if none failed. */
bool ktest_run_all(const char *pattern);
/* Pure pattern matcher, host-tested: does "suite.name" match the pattern list? */
bool ktest_match(const char *patterns, const char *suite, const char *name, bool explicit_only);

#endif
