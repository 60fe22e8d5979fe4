/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own <string.h>. Only kernel builds put include/libc on the
 * include path; host tests of the pure layers get the C library's instead,
 * so code shared by both (arch/x86/firmware, kernel/cmdline.c) may use
 * exactly the functions declared here and nothing else.
 */
#ifndef LIBC_STRING_H
#define LIBC_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
