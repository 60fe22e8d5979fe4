/* SPDX-License-Identifier: MIT */
/*
 * A strict JSON (RFC 8259) recogniser for the tests of kernel/json.c: the
 * whole of s must be one value. Host tests and fuzz targets share it.
 */
#ifndef TESTS_HOST_JSON_CHECK_H
#define TESTS_HOST_JSON_CHECK_H

#include <stdbool.h>
#include <string.h>

static bool jc_value(const char **p, int depth);

static void jc_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static bool jc_string(const char **p)
{
	if (**p != '"')
		return false;
	for ((*p)++;; (*p)++) {
		unsigned char c = (unsigned char)**p;
		if (c == '"') {
			(*p)++;
			return true;
		}
		if (c < 0x20)
			return false; /* includes the terminating NUL */
		if (c == '\\') {
			(*p)++;
			if (**p == 'u') {
				for (int i = 1; i <= 4; i++) {
					char h = (*p)[i];
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') ||
					      (h >= 'A' && h <= 'F')))
						return false;
				}
				*p += 4;
			} else if (!**p || !strchr("\"\\/bfnrt", **p)) {
				return false;
			}
		}
	}
}

static bool jc_number(const char **p)
{
	const char *s = *p;

	if (**p == '-')
		(*p)++;
	if (**p == '0')
		(*p)++;
	else if (**p >= '1' && **p <= '9')
		while (**p >= '0' && **p <= '9')
			(*p)++;
	else
		return false;
	return *p > s;
}

static bool jc_value(const char **p, int depth)
{
	if (depth > 64)
		return false;
	jc_ws(p);
	char c = **p;
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		(*p)++;
		jc_ws(p);
		if (**p == close) {
			(*p)++;
			return true;
		}
		for (;;) {
			jc_ws(p);
			if (c == '{') {
				if (!jc_string(p))
					return false;
				jc_ws(p);
				if (**p != ':')
					return false;
				(*p)++;
			}
			if (!jc_value(p, depth + 1))
				return false;
			jc_ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (**p != close)
				return false;
			(*p)++;
			return true;
		}
	}
	if (c == '"')
		return jc_string(p);
	if (!strncmp(*p, "true", 4) || !strncmp(*p, "null", 4)) {
		*p += 4;
		return true;
	}
	if (!strncmp(*p, "false", 5)) {
		*p += 5;
		return true;
	}
	return jc_number(p);
}

static inline bool json_valid(const char *s)
{
	if (!jc_value(&s, 0))
		return false;
	jc_ws(&s);
	return !*s;
}

#endif
