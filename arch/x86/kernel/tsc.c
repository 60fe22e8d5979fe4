// SPDX-License-Identifier: MIT
#include <asm/tsc.h>

uint64_t tsc_khz;
const char *tsc_source;
