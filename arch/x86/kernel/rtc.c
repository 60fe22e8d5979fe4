// SPDX-License-Identifier: MIT
/*
 * MC146818A CMOS real-time clock (Motorola datasheet; every PC chipset since
 * the AT emulates it): the wallclock at boot. Registers are reached by
 * writing the index to port 0x70 and reading port 0x71. Time registers:
 * 0x00 seconds, 0x02 minutes, 0x04 hours, 0x07 day of month, 0x08 month,
 * 0x09 year (two digits), in BCD unless register B's DM bit says binary.
 * The century is not an MC146818 register: the ACPI FADT's CENTURY field
 * names the CMOS index where firmware keeps it (0: none).
 */
#include <asm/timers.h>
#include <asm/io.h>
#include <string.h>

#define CMOS_INDEX   0x70
#define CMOS_DATA    0x71
#define RTC_REG_A    0x0a
#define RTC_REG_B    0x0b
#define REG_A_UIP    0x80 /* update in progress: the time registers are changing */
#define REG_B_24H    0x02 /* 24/12: 1 = 24-hour mode; in 12-hour mode hour bit 7 = PM */
#define REG_B_BINARY 0x04 /* DM: 1 = binary, 0 = BCD */

static uint8_t cmos(uint8_t reg)
{
	outb(CMOS_INDEX, reg); /* bit 7 clear: NMIs stay enabled */
	return inb(CMOS_DATA);
}

/* Without a CMOS the ports float: both status registers read 0xff. */
static bool rtc_present(void)
{
	return cmos(RTC_REG_A) != 0xff || cmos(RTC_REG_B) != 0xff;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
int64_t rtc_civil_to_epoch(int y, int m, int d, int hh, int mm, int ss)
{
	if (m < 1 || m > 12 || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
	    ss < 0 || ss > 60)
		return -1;
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + hh * 3600 + mm * 60 + ss;
}

static int bcd(uint8_t v, bool binary)
{
	return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

int64_t rtc_read_epoch(unsigned century_reg)
{
	uint8_t r[7], again[7];
	static const uint8_t regs[7] = {0, 2, 4, 7, 8, 9, 0};

	if (!rtc_present())
		return -1;
	/* Read until two reads agree and no update was in progress: UIP rises
	 * 244 us before the once-a-second update (datasheet), so a read begun
	 * with UIP clear may still straddle it; the second read catches that. */
	for (int tries = 0; tries < 100; tries++) {
		for (int spin = 0; spin < 100000 && (cmos(RTC_REG_A) & REG_A_UIP); spin++)
			;
		for (int i = 0; i < 6; i++)
			r[i] = cmos(regs[i]);
		r[6] = century_reg ? cmos((uint8_t)century_reg) : 0;
		for (int i = 0; i < 6; i++)
			again[i] = cmos(regs[i]);
		again[6] = r[6];
		if (!memcmp(r, again, sizeof(r)))
			break;
	}
	uint8_t b = cmos(RTC_REG_B);
	bool bin = b & REG_B_BINARY;
	int hour = bcd(r[2] & 0x7f, bin);

	if (!(b & REG_B_24H) && (r[2] & 0x80))
		hour = (hour % 12) + 12; /* 12-hour mode, PM */
	int year = bcd(r[5], bin);
	int century = r[6] ? bcd(r[6], bin) : 0;
	year += century >= 19 && century <= 30 ? century * 100 : (year < 70 ? 2000 : 1900);
	return rtc_civil_to_epoch(year, bcd(r[4], bin), bcd(r[3], bin), hour, bcd(r[1], bin),
				  bcd(r[0], bin));
}
