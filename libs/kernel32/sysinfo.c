/*
 * sysinfo.c - what the system is: GetSystemInfo, GetVersion(Ex), the
 * Windows and System directories.
 *
 * Why: programs ask these before anything else (the C run-time asks for the
 * version; allocators ask for the page size and allocation granularity).
 * The answers come from the kernel where it has them - the basic block of
 * NtQuerySystemInformation, and the version numbers the kernel writes into
 * every PEB (3.51, its build number, VER_PLATFORM_WIN32_NT) - so kernel32
 * states nothing the kernel does not. \SystemRoot is the root of the boot
 * volume, which smss links as C:, so the Windows directory is "C:\" and the
 * System directory "C:\System32".
 */
#include "k32p.h"

#include <nt/ntexapi.h>

#define SystemBasicInformation 0
#define PROCESSOR_ARCHITECTURE_INTEL 0
#define PROCESSOR_INTEL_PENTIUM 586
#define VER_PLATFORM_WIN32_NT 2

typedef struct _SYSTEM_INFO {
    WORD wProcessorArchitecture;
    WORD wReserved;
    DWORD dwPageSize;
    LPVOID lpMinimumApplicationAddress;
    LPVOID lpMaximumApplicationAddress;
    DWORD_PTR dwActiveProcessorMask;
    DWORD dwNumberOfProcessors;
    DWORD dwProcessorType;
    DWORD dwAllocationGranularity;
    WORD wProcessorLevel;
    WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;


typedef struct _OSVERSIONINFOEXW {
    DWORD dwOSVersionInfoSize;
    DWORD dwMajorVersion;
    DWORD dwMinorVersion;
    DWORD dwBuildNumber;
    DWORD dwPlatformId;
    WCHAR szCSDVersion[128];
    WORD wServicePackMajor;
    WORD wServicePackMinor;
    WORD wSuiteMask;
    BYTE wProductType;
    BYTE wReserved;
} OSVERSIONINFOEXW;

typedef struct _OSVERSIONINFOEXA {
    DWORD dwOSVersionInfoSize;
    DWORD dwMajorVersion;
    DWORD dwMinorVersion;
    DWORD dwBuildNumber;
    DWORD dwPlatformId;
    CHAR szCSDVersion[128];
    WORD wServicePackMajor;
    WORD wServicePackMinor;
    WORD wSuiteMask;
    BYTE wProductType;
    BYTE wReserved;
} OSVERSIONINFOEXA;

#define OSVERSIONINFOW_SIZE 276
#define OSVERSIONINFOA_SIZE 148
_Static_assert(sizeof(OSVERSIONINFOEXW) == 284, "Win32's OSVERSIONINFOEXW");
_Static_assert(sizeof(OSVERSIONINFOEXA) == 156, "Win32's OSVERSIONINFOEXA");

VOID WINAPI GetSystemInfo(LPSYSTEM_INFO SystemInfo) {
    SYSTEM_BASIC_INFORMATION basic;
    ULONG returned = 0;
    __builtin_memset(&basic, 0, sizeof basic);
    if (!NT_SUCCESS(
            NtQuerySystemInformation(SystemBasicInformation, &basic, sizeof basic, &returned))) {
        basic.PageSize = 0x1000;
        basic.AllocationGranularity = 0x10000;
        basic.MinimumUserModeAddress = 0x10000;
        basic.MaximumUserModeAddress = 0x7FFEFFFF;
        basic.ActiveProcessorsAffinityMask = 1;
        basic.NumberOfProcessors = 1;
    }
    __builtin_memset(SystemInfo, 0, sizeof *SystemInfo);
    SystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_INTEL;
    SystemInfo->dwPageSize = basic.PageSize;
    SystemInfo->lpMinimumApplicationAddress = (LPVOID)basic.MinimumUserModeAddress;
    SystemInfo->lpMaximumApplicationAddress = (LPVOID)basic.MaximumUserModeAddress;
    SystemInfo->dwActiveProcessorMask = basic.ActiveProcessorsAffinityMask;
    SystemInfo->dwNumberOfProcessors = (DWORD)basic.NumberOfProcessors;
    SystemInfo->dwProcessorType = PROCESSOR_INTEL_PENTIUM;
    SystemInfo->dwAllocationGranularity = basic.AllocationGranularity;
    SystemInfo->wProcessorLevel = 5;
}

VOID WINAPI GetNativeSystemInfo(LPSYSTEM_INFO SystemInfo) {
    GetSystemInfo(SystemInfo);
}

/* NT's packing: major in the low byte, minor in the next, the build in the
 * high word (bit 31 clear: an NT platform). */
DWORD WINAPI GetVersion(VOID) {
    PPEB peb = NtCurrentPeb();
    return (peb->OSMajorVersion & 0xFF) | ((peb->OSMinorVersion & 0xFF) << 8) |
           ((DWORD)(peb->OSBuildNumber & 0x7FFF) << 16);
}

BOOL WINAPI GetVersionExW(OSVERSIONINFOEXW *Info) {
    if (Info->dwOSVersionInfoSize != OSVERSIONINFOW_SIZE &&
        Info->dwOSVersionInfoSize != sizeof(OSVERSIONINFOEXW)) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    PPEB peb = NtCurrentPeb();
    Info->dwMajorVersion = peb->OSMajorVersion;
    Info->dwMinorVersion = peb->OSMinorVersion;
    Info->dwBuildNumber = peb->OSBuildNumber;
    Info->dwPlatformId = peb->OSPlatformId ? peb->OSPlatformId : VER_PLATFORM_WIN32_NT;
    Info->szCSDVersion[0] = 0;
    if (Info->dwOSVersionInfoSize == sizeof(OSVERSIONINFOEXW)) {
        Info->wServicePackMajor = 0;
        Info->wServicePackMinor = 0;
        Info->wSuiteMask = 0;
        Info->wProductType = 1; /* VER_NT_WORKSTATION */
        Info->wReserved = 0;
    }
    return TRUE;
}

BOOL WINAPI GetVersionExA(OSVERSIONINFOEXA *Info) {
    if (Info->dwOSVersionInfoSize != OSVERSIONINFOA_SIZE &&
        Info->dwOSVersionInfoSize != sizeof(OSVERSIONINFOEXA)) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return FALSE;
    }
    OSVERSIONINFOEXW wide;
    wide.dwOSVersionInfoSize = sizeof wide;
    GetVersionExW(&wide);
    Info->dwMajorVersion = wide.dwMajorVersion;
    Info->dwMinorVersion = wide.dwMinorVersion;
    Info->dwBuildNumber = wide.dwBuildNumber;
    Info->dwPlatformId = wide.dwPlatformId;
    Info->szCSDVersion[0] = 0;
    if (Info->dwOSVersionInfoSize == sizeof(OSVERSIONINFOEXA)) {
        Info->wServicePackMajor = 0;
        Info->wServicePackMinor = 0;
        Info->wSuiteMask = 0;
        Info->wProductType = wide.wProductType;
        Info->wReserved = 0;
    }
    return TRUE;
}

/* Copies the NUL-terminated Text to Buffer: its length when it fits
 * (Size > length), else the size needed, NUL included. */
static UINT copy_wide(PCWSTR Text, LPWSTR Buffer, UINT Size) {
    UINT n = 0;
    while (Text[n] != 0)
        n++;
    if (Buffer == NULL || Size <= n)
        return n + 1;
    for (UINT i = 0; i <= n; i++)
        Buffer[i] = Text[i];
    return n;
}

static UINT copy_ansi(PCWSTR Text, LPSTR Buffer, UINT Size) {
    UINT n = 0;
    while (Text[n] != 0)
        n++;
    if (Buffer == NULL || Size <= n)
        return n + 1;
    for (UINT i = 0; i <= n; i++)
        Buffer[i] = (CHAR)Text[i]; /* the directories are ASCII */
    return n;
}

UINT WINAPI GetSystemDirectoryW(LPWSTR Buffer, UINT Size) {
    return copy_wide(BASEP_SYSTEM_DIRECTORY, Buffer, Size);
}

UINT WINAPI GetSystemDirectoryA(LPSTR Buffer, UINT Size) {
    return copy_ansi(BASEP_SYSTEM_DIRECTORY, Buffer, Size);
}

UINT WINAPI GetWindowsDirectoryW(LPWSTR Buffer, UINT Size) {
    return copy_wide(BASEP_WINDOWS_DIRECTORY, Buffer, Size);
}

UINT WINAPI GetWindowsDirectoryA(LPSTR Buffer, UINT Size) {
    return copy_ansi(BASEP_WINDOWS_DIRECTORY, Buffer, Size);
}

UINT WINAPI GetSystemWindowsDirectoryW(LPWSTR Buffer, UINT Size) {
    return copy_wide(BASEP_WINDOWS_DIRECTORY, Buffer, Size);
}

UINT WINAPI GetSystemWindowsDirectoryA(LPSTR Buffer, UINT Size) {
    return copy_ansi(BASEP_WINDOWS_DIRECTORY, Buffer, Size);
}
