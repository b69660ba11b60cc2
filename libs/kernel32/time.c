/*
 * time.c - clocks: GetTickCount, the performance counter, and the time of
 * day.
 *
 * Why: NT reads the tick count and the system time from a page the kernel
 * shares with every process (KUSER_SHARED_DATA); Daytona has no such page
 * and no NtQuerySystemTime, so the time since boot comes from the one clock
 * a program can read: NtQuerySystemInformation's performance block, whose
 * InterruptTime counts 100 ns units since boot on the 100 Hz clock. The
 * performance counter is the kernel's (the TSC, NtQueryPerformanceCounter).
 *
 * There is no wall clock yet (the kernel does not read the CMOS clock), so
 * the time of day is a fixed start - 30 May 1995, 00:00 UTC, the day NT 3.51
 * shipped - plus the time since boot. It moves forward at the right rate and
 * never goes back; it is not today's date. Local time is UTC: there is no
 * time-zone information.
 */
#include "k32p.h"

#include <nt/ntexapi.h>

#define TIME_ZONE_ID_UNKNOWN 0

typedef struct _TIME_ZONE_INFORMATION {
    LONG Bias;
    WCHAR StandardName[32];
    SYSTEMTIME StandardDate;
    LONG StandardBias;
    WCHAR DaylightName[32];
    SYSTEMTIME DaylightDate;
    LONG DaylightBias;
} TIME_ZONE_INFORMATION, *LPTIME_ZONE_INFORMATION;

ULONGLONG BasepInterruptTime(VOID) {
    SYSTEM_PERFORMANCE_INFORMATION perf;
    ULONG returned = 0;
    if (!NT_SUCCESS(NtQuerySystemInformation(SystemPerformanceInformation, &perf, sizeof perf, &returned)))
        return 0;
    return perf.InterruptTime;
}

DWORD WINAPI GetTickCount(VOID) {
    return (DWORD)(BasepInterruptTime() / 10000);
}

ULONGLONG WINAPI GetTickCount64(VOID) {
    return BasepInterruptTime() / 10000;
}

BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *Count) {
    NTSTATUS status = NtQueryPerformanceCounter(Count, NULL);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *Frequency) {
    LARGE_INTEGER count;
    NTSTATUS status = NtQueryPerformanceCounter(&count, Frequency);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    if (Frequency->QuadPart == 0) {
        SetLastError(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    return TRUE;
}

/* The system time as 100 ns units since 1601 (see the header). */
static ULONGLONG system_time(VOID) {
    static const SYSTEMTIME start = {1995, 5, 2, 30, 0, 0, 0, 0};
    FILETIME base;
    SystemTimeToFileTime(&start, &base);
    return (((ULONGLONG)base.dwHighDateTime << 32) | base.dwLowDateTime) + BasepInterruptTime();
}

VOID WINAPI GetSystemTimeAsFileTime(LPFILETIME FileTime) {
    ULONGLONG t = system_time();
    FileTime->dwLowDateTime = (DWORD)t;
    FileTime->dwHighDateTime = (DWORD)(t >> 32);
}

VOID WINAPI GetSystemTime(LPSYSTEMTIME SystemTime) {
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    FileTimeToSystemTime(&ft, SystemTime);
}

VOID WINAPI GetLocalTime(LPSYSTEMTIME SystemTime) {
    GetSystemTime(SystemTime);
}

BOOL WINAPI FileTimeToLocalFileTime(const FILETIME *FileTime, LPFILETIME LocalFileTime) {
    *LocalFileTime = *FileTime;
    return TRUE;
}

BOOL WINAPI LocalFileTimeToFileTime(const FILETIME *LocalFileTime, LPFILETIME FileTime) {
    *FileTime = *LocalFileTime;
    return TRUE;
}

DWORD WINAPI GetTimeZoneInformation(LPTIME_ZONE_INFORMATION TimeZoneInformation) {
    __builtin_memset(TimeZoneInformation, 0, sizeof *TimeZoneInformation);
    static const WCHAR utc[] = L"Coordinated Universal Time";
    for (ULONG i = 0; utc[i] != 0; i++)
        TimeZoneInformation->StandardName[i] = TimeZoneInformation->DaylightName[i] = utc[i];
    return TIME_ZONE_ID_UNKNOWN;
}

/* No wall clock to set. */
BOOL WINAPI SetSystemTime(const SYSTEMTIME *SystemTime) {
    (void)SystemTime;
    SetLastError(ERROR_PRIVILEGE_NOT_HELD);
    return FALSE;
}

LONG WINAPI CompareFileTime(const FILETIME *A, const FILETIME *B) {
    ULONGLONG a = ((ULONGLONG)A->dwHighDateTime << 32) | A->dwLowDateTime;
    ULONGLONG b = ((ULONGLONG)B->dwHighDateTime << 32) | B->dwLowDateTime;
    return a < b ? -1 : a > b ? 1 : 0;
}
