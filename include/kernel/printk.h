/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <kernel/compiler.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Log levels, as in Linux: a message below CONFIG_LOG_LEVEL is printed. */
#define KERN_ERR   "\0013"
#define KERN_WARN  "\0014"
#define KERN_INFO  "\0016"
#define KERN_DEBUG "\0017"
/* A line of the console contract (KTAP, KERNEL-EXIT): never timestamped. */
#define KERN_PLAIN "\001p"

int printk(const char *fmt, ...) __printf(1, 2);

#define pr_err(...)   printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)  printk(KERN_WARN __VA_ARGS__)
#define pr_info(...)  printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

#endif
