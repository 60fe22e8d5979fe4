// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the JSON writer (kernel/json.c) behind BOOT-REPORT and
 * BENCH: the input is a program (open/close objects and arrays, strings with
 * any bytes, numbers) and a buffer size; whatever is dropped, the output must
 * be valid JSON (tests/host/json_check.h) and end inside the buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kernel/json.h>
#include "../host/json_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096];
	char str[256];
	bool array[21] = {false}; /* the open containers: array (true) or object */
	unsigned depth = 0;
	struct json j;

	if (size < 2)
		return 0;
	size_t cap = 64 + ((size_t)data[0] << 8 | data[1]) % (sizeof(buf) - 64);
	json_init(&j, buf, cap);
	json_begin_object(&j, NULL);
	for (size_t i = 2; i < size;) {
		uint8_t op = data[i++];
		size_t n = 0;
		while (i < size && data[i] && n < sizeof(str) - 1)
			str[n++] = (char)data[i++];
		str[n] = '\0';
		i++;
		/* Members of objects have keys, elements of arrays none. */
		const char *key = depth && array[depth] ? NULL : (op & 0x80 ? str : "k");
		switch (op & 7) {
		case 0:
			json_str(&j, key, str);
			break;
		case 1:
			json_int(&j, key, (long long)n * -12345678901ll);
			break;
		case 2:
		case 3:
			if (depth < 20) {
				if ((op & 7) == 2)
					json_begin_object(&j, key);
				else
					json_begin_array(&j, key);
				array[++depth] = (op & 7) == 3;
			}
			break;
		case 4:
			if (depth) {
				if (array[depth--])
					json_end_array(&j);
				else
					json_end_object(&j);
			}
			break;
		case 5:
			json_bool(&j, key, n & 1);
			break;
		case 6:
			json_uint(&j, key, ~0ull - n);
			break;
		default:
			json_str(&j, key, n ? str : NULL);
		}
	}
	while (depth) {
		if (array[depth--])
			json_end_array(&j);
		else
			json_end_object(&j);
	}
	json_dropped(&j, "fields_dropped");
	json_end_object(&j);
	if (strlen(buf) >= cap || !json_valid(buf) || (j.overflow && !j.dropped))
		abort();
	return 0;
}
