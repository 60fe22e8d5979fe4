// SPDX-License-Identifier: MIT
/* rtc_civil_to_epoch (arch/x86/kernel/rtc.c) against known instants. */
#include "harness.h"
#include <stdint.h>
#include <time.h>

int64_t rtc_civil_to_epoch(int year, int mon, int day, int hour, int min, int sec);

int main(void)
{
	CHECK_EQ(rtc_civil_to_epoch(1970, 1, 1, 0, 0, 0), 0);
	CHECK_EQ(rtc_civil_to_epoch(2000, 1, 1, 0, 0, 0), 946684800); /* Bochs' time0 */
	CHECK_EQ(rtc_civil_to_epoch(2000, 2, 29, 12, 0, 0), 951825600);
	CHECK_EQ(rtc_civil_to_epoch(2038, 1, 19, 3, 14, 8), 2147483648ll);
	CHECK_EQ(rtc_civil_to_epoch(2100, 3, 1, 0, 0, 0), 4107542400ll); /* 2100: no leap day */
	/* Every day of 1999-2101 against the C library's timegm. */
	for (int64_t t = 915148800; t < 4133980800ll; t += 86400 + 3661) {
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		int64_t got = rtc_civil_to_epoch(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
						 tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (got != t) {
			CHECK_EQ(got, t);
			break;
		}
	}
	CHECK(1);
	/* Garbage from an absent or mid-update RTC is refused, not converted. */
	CHECK_EQ(rtc_civil_to_epoch(2024, 13, 1, 0, 0, 0), -1);
	CHECK_EQ(rtc_civil_to_epoch(2024, 1, 0, 0, 0, 0), -1);
	CHECK_EQ(rtc_civil_to_epoch(2024, 1, 1, 24, 0, 0), -1);
	CHECK_EQ(rtc_civil_to_epoch(2024, 1, 1, 0, 60, 0), -1);
	return harness_done();
}
