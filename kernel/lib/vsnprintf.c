// SPDX-License-Identifier: MIT
/*
 * printf formatting for the kernel: %d %i %u %x %X %o %c %s %p %%, with
 * flags '-', '0', ' ', '+', '#', width and precision (also '*'), and the
 * length modifiers hh h l ll z t j. No floating point.
 */
#include <kernel/printk.h>
#include <string.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_str(struct out *o, const char *s, int width, int prec, bool left)
{
	int n = (int)strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);

	if (!left)
		for (; width > n; width--)
			put(o, ' ');
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	for (; width > n; width--)
		put(o, ' ');
}

struct numfmt {
	unsigned base;
	bool upper, left, zero, alt;
	char sign;
	int width, prec;
};

static void put_num(struct out *o, unsigned long long v, const struct numfmt *f)
{
	const char *digits = f->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, pad;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % f->base];
		v /= f->base;
	} while (v);
	if (f->alt && f->base == 16)
		prefix = f->upper ? "0X" : "0x";
	int prec = f->prec > n ? f->prec : n;
	int total = prec + (int)strlen(prefix) + (f->sign ? 1 : 0);

	pad = f->width > total ? f->width - total : 0;
	if (!f->left && !(f->zero && f->prec < 0))
		for (; pad; pad--)
			put(o, ' ');
	if (f->sign)
		put(o, f->sign);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	if (!f->left && f->zero && f->prec < 0)
		for (; pad; pad--)
			put(o, '0');
	for (int i = n; i < prec; i++)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
	for (; pad; pad--)
		put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		struct numfmt f = {.base = 10, .prec = -1};
		char plus = 0;

		for (;;) {
			char c = *++fmt;
			if (c == '-')
				f.left = true;
			else if (c == '0')
				f.zero = true;
			else if (c == '+')
				plus = '+';
			else if (c == ' ')
				plus = plus ? plus : ' ';
			else if (c == '#')
				f.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			f.width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				f.width = f.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			f.prec = 0;
			if (*++fmt == '*') {
				f.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					f.prec = f.prec * 10 + (*fmt++ - '0');
			}
		}
		int lng = 0; /* 0 int, 1 long, 2 long long, 3 size_t, -1 char, -2 short */
		for (;; fmt++) {
			if (*fmt == 'l')
				lng = lng == 1 ? 2 : 1;
			else if (*fmt == 'h')
				lng = lng == -2 ? -1 : -2;
			else if (*fmt == 'z' || *fmt == 't')
				lng = 3;
			else if (*fmt == 'j')
				lng = 2;
			else
				break;
		}
		unsigned long long u;
		long long s;

		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng == 2		   ? va_arg(ap, long long)
			    : lng == 1 || lng == 3 ? va_arg(ap, long)
						   : va_arg(ap, int);
			if (lng == -1)
				s = (signed char)s;
			else if (lng == -2)
				s = (short)s;
			f.sign = s < 0 ? '-' : plus;
			put_num(&o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, &f);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = lng == 2		   ? va_arg(ap, unsigned long long)
			    : lng == 1 || lng == 3 ? va_arg(ap, unsigned long)
						   : va_arg(ap, unsigned int);
			if (lng == -1)
				u = (unsigned char)u;
			else if (lng == -2)
				u = (unsigned short)u;
			f.base = *fmt == 'o' ? 8 : *fmt == 'u' ? 10 : 16;
			f.upper = *fmt == 'X';
			put_num(&o, u, &f);
			break;
		case 'p':
			f.base = 16;
			f.alt = true;
			put_num(&o, (uintptr_t)va_arg(ap, void *), &f);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			put_str(&o, str ? str : "(null)", f.width, f.prec, f.left);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
