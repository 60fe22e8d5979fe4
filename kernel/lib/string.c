// SPDX-License-Identifier: MIT
/* The freestanding subset of <string.h> the kernel and the firmware readers use. */
#include <string.h>
#include <stdint.h>

/*
 * memcpy and memset move a long at a time with rep movs/stos (the 386 has
 * them; the kernel runs with DF clear), then the odd bytes: page tables,
 * per-CPU areas and the page-0 snapshot are whole pages, and a byte loop
 * costs three or four instructions a byte (under -icount, 1 ns each).
 * memcpy copies forward, which memmove relies on when dst < src.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n / sizeof(long), bytes = n % sizeof(long);

#ifdef __x86_64__
	__asm__ __volatile__("rep movsq" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
#else
	__asm__ __volatile__("rep movsl" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
#endif
	__asm__ __volatile__("rep movsb" : "+D"(d), "+S"(src), "+c"(bytes) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	unsigned long v = (unsigned char)c * (~0ul / 0xff); /* c in every byte */
	size_t words = n / sizeof(long), bytes = n % sizeof(long);

#ifdef __x86_64__
	__asm__ __volatile__("rep stosq" : "+D"(d), "+c"(words) : "a"(v) : "memory");
#else
	__asm__ __volatile__("rep stosl" : "+D"(d), "+c"(words) : "a"(v) : "memory");
#endif
	__asm__ __volatile__("rep stosb" : "+D"(d), "+c"(bytes) : "a"(v) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
