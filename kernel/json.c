// SPDX-License-Identifier: MIT
#include <kernel/json.h>
#include <kernel/printk.h>
#include <string.h>

void json_init(struct json *j, char *buf, size_t size)
{
	*j = (struct json){.buf = buf, .size = size};
	buf[0] = '\0';
}

static void raw(struct json *j, const char *s, size_t n)
{
	if (j->len + n + 1 > j->size) {
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void rawc(struct json *j, char c)
{
	raw(j, &c, 1);
}

static void quoted(struct json *j, const char *s)
{
	rawc(j, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			rawc(j, '\\');
			rawc(j, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			/* Firmware strings can hold anything: keep the line valid JSON. */
			char esc[8];
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			raw(j, esc, 6);
		} else {
			rawc(j, (char)c);
		}
	}
	rawc(j, '"');
}

static void key(struct json *j, const char *k)
{
	if (j->need_comma)
		rawc(j, ',');
	j->need_comma = true;
	if (k) {
		quoted(j, k);
		rawc(j, ':');
	}
}

void json_begin_object(struct json *j, const char *k)
{
	key(j, k);
	rawc(j, '{');
	j->need_comma = false;
}

void json_end_object(struct json *j)
{
	rawc(j, '}');
	j->need_comma = true;
}

void json_begin_array(struct json *j, const char *k)
{
	key(j, k);
	rawc(j, '[');
	j->need_comma = false;
}

void json_end_array(struct json *j)
{
	rawc(j, ']');
	j->need_comma = true;
}

void json_str(struct json *j, const char *k, const char *v)
{
	key(j, k);
	if (v)
		quoted(j, v);
	else
		raw(j, "null", 4);
}

void json_int(struct json *j, const char *k, long long v)
{
	char b[24];

	key(j, k);
	raw(j, b, (size_t)snprintf(b, sizeof(b), "%lld", v));
}

void json_uint(struct json *j, const char *k, unsigned long long v)
{
	char b[24];

	key(j, k);
	raw(j, b, (size_t)snprintf(b, sizeof(b), "%llu", v));
}

void json_bool(struct json *j, const char *k, bool v)
{
	key(j, k);
	raw(j, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json *j, const char *k)
{
	key(j, k);
	raw(j, "null", 4);
}
