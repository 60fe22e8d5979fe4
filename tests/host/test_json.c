// SPDX-License-Identifier: MIT
/* kernel/json.c on the host: valid JSON whatever the buffer size and input. */
#include <stdio.h>
#include <kernel/json.h>
#include "harness.h"
#include "json_check.h"

/* A BOOT-REPORT-shaped document with hostile strings in it. */
static void report(struct json *j, const char *evil)
{
	json_begin_object(j, NULL);
	json_str(j, "arch", "x86_64");
	json_int(j, "cpus", -2);
	json_uint(j, "tsc_khz", 18446744073709551615ull);
	json_str(j, "machine", NULL);
	json_begin_array(j, "probe");
	for (int i = 0; i < 6; i++) {
		json_begin_object(j, NULL);
		json_str(j, "name", "pc-acpi");
		json_int(j, "score", i);
		json_str(j, "evidence", evil);
		json_end_object(j);
	}
	json_end_array(j);
	json_bool(j, "nx", true);
	json_null(j, "loader");
	json_str(j, "cmdline", evil);
	json_dropped(j, "fields_dropped");
	json_end_object(j);
}

int main(void)
{
	static const char evil[] = "a \"quoted\" \\ back\x01\x1f\x7f\xff\xc3\xa9 tab\t nl\n end";
	char buf[4096];
	struct json j;

	json_init(&j, buf, sizeof(buf));
	report(&j, evil);
	CHECK(json_valid(buf));
	CHECK(!j.overflow);
	CHECK(strstr(buf, "\\u0001\\u001f\\u007f\\u00ff") != NULL);
	CHECK(strstr(buf, "\\\"quoted\\\" \\\\ back") != NULL);
	CHECK(strstr(buf, "fields_dropped") == NULL);
	size_t full = strlen(buf);

	/* Every size from the minimum up: valid, and says what it left out. */
	unsigned bad = 0;
	for (size_t size = 64; size <= full + 64; size++) {
		char small[4096];
		json_init(&j, small, size);
		report(&j, evil);
		if (!json_valid(small) || strlen(small) >= size) {
			if (!bad++)
				printf("size %zu: %s\n", size, small);
		}
		if (j.len + 1 + 40 < full && !j.overflow)
			bad++;
		if (j.overflow && !strstr(small, "\"fields_dropped\":"))
			bad++;
	}
	CHECK_EQ(bad, 0);

	/* A string far longer than the buffer is dropped whole, never cut. */
	char huge[3000];
	memset(huge, 'x', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	json_init(&j, buf, 512);
	report(&j, huge);
	CHECK(json_valid(buf));
	CHECK(strstr(buf, "xxx") == NULL);
	CHECK(strstr(buf, "\"arch\":\"x86_64\"") != NULL);
	CHECK(j.dropped == 7);

	/* The validator itself rejects what a cut line looks like. */
	CHECK(!json_valid("{\"a\":\"b"));
	CHECK(!json_valid("{\"a\":1,}"));
	CHECK(!json_valid("{\"a\":\"\x01\"}"));
	CHECK(json_valid("{\"a\":[1,{\"b\":null}],\"c\":\"\\u00ff\"}"));
	return harness_done();
}
