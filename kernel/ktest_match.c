// SPDX-License-Identifier: MIT
/* Pattern matching for ktest=PATTERN: pure, host-tested. */
#include <kernel/ktest.h>
#include <string.h>

/*
 * Glob with '*' and '?' over [p, pe) against the NUL-terminated s, without
 * recursion: on a mismatch only the last '*' seen takes one more character
 * (an earlier star can never do better), so the work is at most
 * |pattern| x |s| steps, not exponential in the number of stars.
 */
static bool glob(const char *p, const char *pe, const char *s)
{
	const char *star = NULL, *resume = s;

	while (*s) {
		if (p < pe && (*p == '?' || (*p != '*' && *p == *s))) {
			p++;
			s++;
		} else if (p < pe && *p == '*') {
			star = ++p;
			resume = s;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

static bool has_wildcard(const char *p, const char *pe)
{
	for (; p < pe; p++)
		if (*p == '*' || *p == '?')
			return true;
	return false;
}

bool ktest_match(const char *patterns, const char *suite, const char *name, bool explicit_only)
{
	char full[128];
	size_t sl = strlen(suite), nl = strlen(name);

	if (sl + nl + 2 > sizeof(full))
		return false;
	memcpy(full, suite, sl);
	full[sl] = '.';
	memcpy(full + sl + 1, name, nl + 1);

	if (!patterns || !*patterns)
		return !explicit_only;
	/* ',' separates patterns; ';' too, for command lines that cannot hold a
	 * comma (a Xen dom0's, passed through QEMU's comma-split -initrd). */
	for (const char *p = patterns; *p;) {
		const char *e = p;
		while (*e && *e != ',' && *e != ';')
			e++;
		bool wild = has_wildcard(p, e);
		bool is_suite = (size_t)(e - p) == sl && !memcmp(p, suite, sl);
		if ((is_suite || glob(p, e, full)) && !(explicit_only && wild))
			return true;
		p = *e ? e + 1 : e;
	}
	return false;
}
