/*
 * timeconv.c - FILETIME <-> SYSTEMTIME: 100 ns ticks since 1 January 1601
 * (UTC, the proleptic Gregorian calendar) to a calendar date and back.
 *
 * Why: NT keeps every time as a 64-bit tick count (NT's RtlTimeToTimeFields
 * and RtlTimeFieldsToTime); Win32 shows it as a SYSTEMTIME. The conversion
 * counts whole 400-year cycles (146097 days each), then centuries, 4-year
 * groups and years inside the cycle, which is exact for every date a
 * FILETIME can hold without a table of month lengths beyond one.
 *
 * Pure: tests/unit/test_kernel32_pure.c includes this file.
 */
#include "k32p.h"

#define TICKS_PER_MILLISECOND 10000ULL
#define TICKS_PER_DAY (86400ULL * 1000ULL * TICKS_PER_MILLISECOND)
#define DAYS_PER_400_YEARS 146097u
#define DAYS_PER_100_YEARS 36524u
#define DAYS_PER_4_YEARS 1461u

static BOOLEAN is_leap(ULONG Year) {
    return (Year % 4 == 0 && Year % 100 != 0) || Year % 400 == 0;
}

static ULONG days_in_month(ULONG Year, ULONG Month) {
    static const UCHAR days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[Month - 1] + (Month == 2 && is_leap(Year) ? 1 : 0);
}

BOOL WINAPI FileTimeToSystemTime(const FILETIME *FileTime, LPSYSTEMTIME SystemTime) {
    ULONGLONG ticks = ((ULONGLONG)FileTime->dwHighDateTime << 32) | FileTime->dwLowDateTime;
    if (ticks >= 0x8000000000000000ULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONGLONG days = ticks / TICKS_PER_DAY;
    ULONGLONG rest = (ticks % TICKS_PER_DAY) / TICKS_PER_MILLISECOND;

    SystemTime->wDayOfWeek = (WORD)((days + 1) % 7); /* 1 January 1601 was a Monday */
    SystemTime->wMilliseconds = (WORD)(rest % 1000);
    rest /= 1000;
    SystemTime->wSecond = (WORD)(rest % 60);
    rest /= 60;
    SystemTime->wMinute = (WORD)(rest % 60);
    SystemTime->wHour = (WORD)(rest / 60);

    ULONG year = 1601 + (ULONG)(days / DAYS_PER_400_YEARS) * 400;
    ULONG d = (ULONG)(days % DAYS_PER_400_YEARS);
    ULONG centuries = d / DAYS_PER_100_YEARS;
    if (centuries == 4)
        centuries = 3; /* the last day of a 400-year cycle */
    d -= centuries * DAYS_PER_100_YEARS;
    ULONG groups = d / DAYS_PER_4_YEARS;
    d -= groups * DAYS_PER_4_YEARS;
    ULONG years = d / 365;
    if (years == 4)
        years = 3; /* the last day of a 4-year group */
    d -= years * 365;
    year += centuries * 100 + groups * 4 + years;

    ULONG month = 1;
    while (d >= days_in_month(year, month)) {
        d -= days_in_month(year, month);
        month++;
    }
    SystemTime->wYear = (WORD)year;
    SystemTime->wMonth = (WORD)month;
    SystemTime->wDay = (WORD)(d + 1);
    return TRUE;
}

BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *SystemTime, LPFILETIME FileTime) {
    ULONG year = SystemTime->wYear, month = SystemTime->wMonth, day = SystemTime->wDay;
    if (year < 1601 || year > 30827 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month) || SystemTime->wHour > 23 || SystemTime->wMinute > 59 ||
        SystemTime->wSecond > 59 || SystemTime->wMilliseconds > 999) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONG y = year - 1601;
    ULONGLONG days = (ULONGLONG)y * 365 + y / 4 - y / 100 + y / 400;
    for (ULONG m = 1; m < month; m++)
        days += days_in_month(year, m);
    days += day - 1;
    ULONGLONG ms =
        (((ULONGLONG)SystemTime->wHour * 60 + SystemTime->wMinute) * 60 + SystemTime->wSecond) * 1000 +
        SystemTime->wMilliseconds;
    ULONGLONG ticks = days * TICKS_PER_DAY + ms * TICKS_PER_MILLISECOND;
    FileTime->dwLowDateTime = (DWORD)ticks;
    FileTime->dwHighDateTime = (DWORD)(ticks >> 32);
    return TRUE;
}
