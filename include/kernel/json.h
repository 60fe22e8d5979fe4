/* SPDX-License-Identifier: MIT */
/* A tiny JSON writer into a fixed buffer, for BOOT-REPORT and BENCH lines. */
#ifndef KERNEL_JSON_H
#define KERNEL_JSON_H

#include <kernel/compiler.h>

/*
 * The output is valid JSON whatever the buffer size: a member that does not
 * fit is left out whole (counted in dropped), never cut. size must be at
 * least 64 bytes.
 */
struct json {
	char *buf;
	size_t size, len;
	bool need_comma;
	bool overflow;	  /* something was dropped */
	bool failed;	  /* the current write ran out of room */
	unsigned depth;	  /* open containers written */
	unsigned skip;	  /* open containers left out */
	unsigned dropped; /* members, elements and containers left out */
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
/* If anything was dropped: one more member, key: how many (fits in the reserve).
 * Call before closing the outermost object. */
void json_dropped(struct json *j, const char *key);

#endif
