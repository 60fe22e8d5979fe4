// SPDX-License-Identifier: MIT
#include <kernel/json.h>
#include <kernel/printk.h>
#include <string.h>

/*
 * Always valid JSON, however small the buffer: each call (one member, one
 * array element, one container opening) is written whole or rolled back and
 * counted in j->dropped; a container whose opening does not fit is skipped
 * with everything in it. JSON_RESERVE bytes plus one per open container stay
 * free for the closing brackets and json_dropped()'s field.
 */
#define JSON_RESERVE 40

void json_init(struct json *j, char *buf, size_t size)
{
	*j = (struct json){.buf = buf, .size = size};
	buf[0] = '\0';
}

static void raw(struct json *j, const char *s, size_t n)
{
	if (j->len + n + 1 > j->size) {
		j->failed = true;
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

struct json_mark {
	size_t len;
	bool need_comma;
};

static bool begin(struct json *j, struct json_mark *m)
{
	if (j->skip)
		return false;
	*m = (struct json_mark){j->len, j->need_comma};
	j->failed = false;
	return true;
}

/* Keep what was written since begin(), or roll it back; false if rolled back. */
static bool commit(struct json *j, const struct json_mark *m, unsigned extra_depth)
{
	if (!j->failed && j->len + j->depth + extra_depth + JSON_RESERVE + 1 <= j->size)
		return true;
	j->len = m->len;
	j->buf[j->len] = '\0';
	j->need_comma = m->need_comma;
	j->dropped++;
	j->overflow = true;
	return false;
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

static void begin_container(struct json *j, const char *k, char open)
{
	struct json_mark m;

	if (!begin(j, &m)) {
		j->skip++;
		return;
	}
	key(j, k);
	rawc(j, open);
	if (commit(j, &m, 1)) {
		j->depth++;
		j->need_comma = false;
	} else {
		j->skip++;
	}
}

static void end_container(struct json *j, char close)
{
	if (j->skip) {
		j->skip--;
		return;
	}
	j->failed = false;
	rawc(j, close); /* its byte was reserved when it opened */
	if (j->depth)
		j->depth--;
	j->need_comma = true;
}

void json_begin_object(struct json *j, const char *k)
{
	begin_container(j, k, '{');
}

void json_end_object(struct json *j)
{
	end_container(j, '}');
}

void json_begin_array(struct json *j, const char *k)
{
	begin_container(j, k, '[');
}

void json_end_array(struct json *j)
{
	end_container(j, ']');
}

void json_str(struct json *j, const char *k, const char *v)
{
	struct json_mark m;

	if (!begin(j, &m))
		return;
	key(j, k);
	if (v)
		quoted(j, v);
	else
		raw(j, "null", 4);
	commit(j, &m, 0);
}

static void number(struct json *j, const char *k, const char *b, size_t n)
{
	struct json_mark m;

	if (!begin(j, &m))
		return;
	key(j, k);
	raw(j, b, n);
	commit(j, &m, 0);
}

void json_int(struct json *j, const char *k, long long v)
{
	char b[24];

	number(j, k, b, (size_t)snprintf(b, sizeof(b), "%lld", v));
}

void json_uint(struct json *j, const char *k, unsigned long long v)
{
	char b[24];

	number(j, k, b, (size_t)snprintf(b, sizeof(b), "%llu", v));
}

void json_bool(struct json *j, const char *k, bool v)
{
	number(j, k, v ? "true" : "false", v ? 4 : 5);
}

void json_null(struct json *j, const char *k)
{
	number(j, k, "null", 4);
}

void json_dropped(struct json *j, const char *k)
{
	char b[24];

	if (!j->dropped || j->skip)
		return;
	/* Written into the reserve: always fits. */
	j->failed = false;
	key(j, k);
	raw(j, b, (size_t)snprintf(b, sizeof(b), "%u", j->dropped));
}
