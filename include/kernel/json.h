/* SPDX-License-Identifier: MIT */
/* A tiny JSON writer into a fixed buffer, for BOOT-REPORT and BENCH lines. */
#ifndef KERNEL_JSON_H
#define KERNEL_JSON_H

#include <kernel/compiler.h>

struct json {
	char *buf;
	size_t size, len;
	bool need_comma;
	bool overflow;
};

void json_init(struct json *j, char *buf, size_t size);
void json_begin_object(struct json *j, const char *key); /* key NULL in arrays/top */
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_str(struct json *j, const char *key, const char *v); /* v NULL -> null */
void json_int(struct json *j, const char *key, long long v);
void json_uint(struct json *j, const char *key, unsigned long long v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);

#endif
