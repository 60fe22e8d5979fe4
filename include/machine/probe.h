/* SPDX-License-Identifier: MIT */
#ifndef MACHINE_PROBE_H
#define MACHINE_PROBE_H

#include <kernel/machine.h>
#include <kernel/printk.h>

/* Append to a probe's evidence string (truncates quietly at the end). */
void probe_note(struct probe_result *r, const char *fmt, ...) __printf(2, 3);

#endif
