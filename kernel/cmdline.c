// SPDX-License-Identifier: MIT
/*
 * Command-line parsing. Words are separated by spaces; a value may be
 * double-quoted to hold spaces (ktest="a b"). Each option is described once
 * in the table below; docs/command-line.md lists them for users.
 */
#include <kernel/cmdline.h>
#include <string.h>

enum opt_kind { OPT_FLAG, OPT_INT, OPT_STR, OPT_APIC, OPT_KTEST, OPT_ONOFF, OPT_OFF };

struct opt {
	const char *name;
	enum opt_kind kind;
	size_t off;   /* offset of the field in struct cmdline */
	size_t size;  /* for strings: buffer size */
	int min, max; /* for integers */
};

#define FIELD(f) offsetof(struct cmdline, f), sizeof(((struct cmdline *)0)->f)

static const struct opt opts[] = {
	{"machine", OPT_STR, FIELD(machine), 0, 0},
	{"nopv", OPT_FLAG, FIELD(nopv), 0, 0},
	{"nosmp", OPT_FLAG, FIELD(nosmp), 0, 0},
	{"maxcpus", OPT_INT, FIELD(maxcpus), 0, 4096},
	{"apic", OPT_APIC, FIELD(apic), 0, 0},
	{"clock", OPT_STR, FIELD(clock), 0, 0},
	{"ktest", OPT_KTEST, FIELD(ktest), 0, 0},
	{"nmi_watchdog", OPT_INT, FIELD(nmi_watchdog), 0, 1},
	{"pvpatch", OPT_ONOFF, FIELD(pvpatch_off), 0, 0},
	{"bench", OPT_FLAG, FIELD(bench), 0, 0},
	{"loglevel", OPT_INT, FIELD(loglevel), 0, 7},
	{"smp_phantom", OPT_INT, FIELD(smp_phantom), 0, 4095},
	{"smp_phantoms_first", OPT_INT, FIELD(smp_phantoms_first), 0, SMP_PHANTOMS_FIRST_MAX},
	{"xen_pae", OPT_FLAG, FIELD(xen_pae), 0, 0},
	{"nohz", OPT_OFF, FIELD(nohz_off), 0, 0},
};

static const char *const apic_names[] = {
	[APIC_REQ_AUTO] = "auto",
	[APIC_REQ_PIC] = "pic",
	[APIC_REQ_XAPIC_FLAT] = "xapic-flat",
	[APIC_REQ_XAPIC_PHYS] = "xapic-phys",
	[APIC_REQ_XAPIC_CLUSTER] = "xapic-cluster",
	[APIC_REQ_X2APIC_PHYS] = "x2apic-phys",
	[APIC_REQ_X2APIC_CLUSTER] = "x2apic-cluster",
};

const char *cmdline_apic_name(enum apic_mode_req m)
{
	return (unsigned)m < sizeof(apic_names) / sizeof(apic_names[0]) ? apic_names[m] : "?";
}

static void note(struct cmdline *c, const char *word, size_t len, const char *why)
{
	if (c->n_notes == CMDLINE_NOTES_MAX) {
		c->notes_dropped++;
		return;
	}
	if (len >= sizeof(c->notes[0].word))
		len = sizeof(c->notes[0].word) - 1;
	memcpy(c->notes[c->n_notes].word, word, len);
	c->notes[c->n_notes].word[len] = '\0';
	c->notes[c->n_notes].why = why;
	c->n_notes++;
}

/* Decimal, no sign, no junk; false if not a number or out of [min, max]. */
static bool parse_int(const char *v, size_t len, int min, int max, int *out)
{
	long n = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		n = n * 10 + (v[i] - '0');
		if (n > max)
			return false;
	}
	if (n < min)
		return false;
	*out = (int)n;
	return true;
}

static bool eq(const char *v, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(v, lit, len);
}

/* Apply one word; value == NULL for a bare word. Returns why it was refused. */
static const char *apply(struct cmdline *c, const struct opt *o, const char *v, size_t vlen)
{
	char *field = (char *)c + o->off;

	switch (o->kind) {
	case OPT_FLAG:
		if (v)
			return "takes no value";
		*(bool *)field = true;
		return NULL;
	case OPT_INT:
		if (!v || !parse_int(v, vlen, o->min, o->max, (int *)field))
			return "needs a number in range";
		return NULL;
	case OPT_ONOFF:
		/* pvpatch=on|off|nop: the field means "off"; nop pads with NOPs. */
		if (v && eq(v, vlen, "off")) {
			*(bool *)field = true;
		} else if (v && eq(v, vlen, "on")) {
			*(bool *)field = false;
		} else if (v && eq(v, vlen, "nop")) {
			*(bool *)field = false;
			c->pvpatch_nop = true;
		} else {
			return "needs on, off or nop";
		}
		return NULL;
	case OPT_OFF:
		/* name=on|off: the field means "off". */
		if (!v || (!eq(v, vlen, "on") && !eq(v, vlen, "off")))
			return "needs on or off";
		*(bool *)field = eq(v, vlen, "off");
		return NULL;
	case OPT_APIC:
		for (unsigned i = 0; v && i < sizeof(apic_names) / sizeof(apic_names[0]); i++) {
			if (eq(v, vlen, apic_names[i])) {
				c->apic = (enum apic_mode_req)i;
				return NULL;
			}
		}
		return "unknown APIC mode";
	case OPT_KTEST:
		if (v && eq(v, vlen, "off")) {
			c->ktest_off = true;
			return NULL;
		}
		__attribute__((fallthrough)); /* a pattern */
	case OPT_STR:
		if (!v || !vlen)
			return "needs a value";
		if (vlen >= o->size)
			return "value too long";
		memcpy(field, v, vlen);
		field[vlen] = '\0';
		return NULL;
	}
	return "bad option table";
}

void cmdline_parse(const char *s, struct cmdline *c)
{
	memset(c, 0, sizeof(*c));
	c->maxcpus = -1;
	c->nmi_watchdog = -1;
	c->loglevel = -1;
	c->smp_phantom = -1;

	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		if (!*s)
			break;
		const char *word = s, *key_end = NULL, *val = NULL, *val_end = NULL;
		bool quoted = false;

		while (*s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r'))) {
			if (*s == '=' && !key_end) {
				key_end = s;
				val = s + 1;
			} else if (*s == '"') {
				quoted = !quoted;
			}
			s++;
		}
		const char *word_end = s;
		if (!key_end)
			key_end = word_end;
		if (val) {
			val_end = word_end;
			if (val_end > val && *val == '"') {
				val++;
				if (val_end > val && val_end[-1] == '"')
					val_end--;
			}
		}
		if (quoted) {
			note(c, word, (size_t)(word_end - word), "unterminated quote");
			continue;
		}
		const struct opt *o = NULL;
		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (eq(word, (size_t)(key_end - word), opts[i].name))
				o = &opts[i];
		if (!o) {
			note(c, word, (size_t)(word_end - word), "unknown option");
			continue;
		}
		const char *why = apply(c, o, val, val ? (size_t)(val_end - val) : 0);
		if (why)
			note(c, word, (size_t)(word_end - word), why);
	}
}
