// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the command line (kernel/cmdline.c) and the ktest
 * pattern matcher (kernel/ktest_match.c). The input is a command line; its
 * ktest= value is then matched against suite.test names cut from the input,
 * and the answer compared with a dynamic-programming glob (differential: the
 * matcher must be right, not just not crash, and it must be fast: libFuzzer's
 * -timeout catches an exponential one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>

/* Reference: does glob p[0..pn) match s[0..sn)? O(pn * sn) table. */
static bool ref_glob(const char *p, size_t pn, const char *s, size_t sn)
{
	static bool d[2][130];

	if (sn >= 129)
		return false;
	for (size_t j = 0; j <= sn; j++)
		d[0][j] = j == 0;
	for (size_t i = 1; i <= pn; i++) {
		bool *cur = d[i & 1], *prev = d[(i - 1) & 1];
		cur[0] = prev[0] && p[i - 1] == '*';
		for (size_t j = 1; j <= sn; j++) {
			if (p[i - 1] == '*')
				cur[j] = prev[j] || cur[j - 1];
			else
				cur[j] = prev[j - 1] && (p[i - 1] == '?' || p[i - 1] == s[j - 1]);
		}
	}
	return d[pn & 1][sn];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmdline c;
	char line[600], suite[40], name[40];

	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	cmdline_parse(line, &c);
	if (strnlen(c.ktest, sizeof(c.ktest)) == sizeof(c.ktest) ||
	    strnlen(c.machine, sizeof(c.machine)) == sizeof(c.machine) ||
	    c.n_notes > CMDLINE_NOTES_MAX)
		abort();

	/* Names: the first two words of the input without wildcards or separators. */
	size_t sl = 0, nl = 0, i = 0;
	while (i < size && sl < sizeof(suite) - 1 && data[i] && !strchr(" .,;*?", data[i]))
		suite[sl++] = (char)data[i++];
	suite[sl] = '\0';
	while (i < size && (data[i] == ' ' || data[i] == '.'))
		i++;
	while (i < size && nl < sizeof(name) - 1 && data[i] && !strchr(" .,;*?", data[i]))
		name[nl++] = (char)data[i++];
	name[nl] = '\0';
	if (!sl || !nl)
		return 0;
	/* One pattern, from the parsed ktest= value up to its first separator. */
	const char *p = c.ktest;
	size_t pn = strcspn(p, ",;");
	if (!pn || p[pn])
		return 0; /* several patterns: the reference compares one */
	char full[96];
	size_t fl = (size_t)snprintf(full, sizeof(full), "%s.%s", suite, name);
	bool want = ref_glob(p, pn, full, fl) || (pn == sl && !memcmp(p, suite, sl));
	if (ktest_match(p, suite, name, false) != want)
		abort();
	return 0;
}
