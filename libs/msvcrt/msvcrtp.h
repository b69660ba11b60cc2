/*
 * msvcrtp.h - the private header of msvcrt.dll's KERNEL32-facing half.
 *
 * Why: msvcrt sits on KERNEL32.dll and on nothing else, as Microsoft's does.
 * Instead of windows.h (which would also declare, as dllimport, the very C
 * functions this DLL defines) it declares the few Win32 types and functions
 * it uses, exactly as KERNEL32 exports them (__stdcall, imported through
 * mingw's libkernel32.a). The set is deliberately closed: these are the
 * only KERNEL32 names msvcrt imports (tests/unit/check_imports.py checks the
 * built DLL against kernel32's exports).
 *
 * It also carries what the impure modules share: the per-thread data, the
 * lock numbers, the low-level descriptors behind the FILE streams, and the
 * termination entry points.
 */
#ifndef LIBS_MSVCRT_MSVCRTP_H
#define LIBS_MSVCRT_MSVCRTP_H

#include "crtlib.h"

/* ---- Win32 types and the KERNEL32 imports ---- */

typedef int BOOL;
typedef unsigned long DWORD;
typedef void *HANDLE;
typedef void *HMODULE;
typedef void *PVOID;
typedef unsigned int UINT;
typedef long LONG;

#define WINAPI __attribute__((stdcall))
#define KERNEL32_API __attribute__((dllimport)) WINAPI

#define TRUE 1
#define FALSE 0
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define STD_INPUT_HANDLE ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE ((DWORD)-12)
#define HEAP_ZERO_MEMORY 0x00000008
#define TLS_OUT_OF_INDEXES ((DWORD)0xFFFFFFFF)
#define CP_ACP 0
#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH 2
#define DLL_THREAD_DETACH 3
#define ERROR_BROKEN_PIPE 109

/* RTL_CRITICAL_SECTION: 24 bytes on i386; only KERNEL32 looks inside. */
typedef struct crt_critical_section {
    void *DebugInfo;
    LONG LockCount;
    LONG RecursionCount;
    HANDLE OwningThread;
    HANDLE LockSemaphore;
    uintptr_t SpinCount;
} CRITICAL_SECTION;
_Static_assert(sizeof(CRITICAL_SECTION) == 6 * sizeof(void *), "RTL_CRITICAL_SECTION layout");

KERNEL32_API HANDLE GetStdHandle(DWORD Which);
KERNEL32_API BOOL WriteFile(HANDLE File, const void *Buffer, DWORD Bytes, DWORD *Written, void *Overlapped);
KERNEL32_API BOOL ReadFile(HANDLE File, void *Buffer, DWORD Bytes, DWORD *Read, void *Overlapped);
KERNEL32_API HANDLE GetProcessHeap(void);
KERNEL32_API void *HeapAlloc(HANDLE Heap, DWORD Flags, size_t Bytes);
KERNEL32_API BOOL HeapFree(HANDLE Heap, DWORD Flags, void *Block);
KERNEL32_API void *HeapReAlloc(HANDLE Heap, DWORD Flags, void *Block, size_t Bytes);
KERNEL32_API size_t HeapSize(HANDLE Heap, DWORD Flags, const void *Block);
KERNEL32_API __attribute__((noreturn)) void ExitProcess(UINT ExitCode);
KERNEL32_API char *GetCommandLineA(void);
KERNEL32_API crt_wchar *GetCommandLineW(void);
KERNEL32_API char *GetEnvironmentStringsA(void);
KERNEL32_API crt_wchar *GetEnvironmentStringsW(void);
KERNEL32_API BOOL FreeEnvironmentStringsA(char *Block);
KERNEL32_API BOOL FreeEnvironmentStringsW(crt_wchar *Block);
KERNEL32_API DWORD GetModuleFileNameA(HMODULE Module, char *Buffer, DWORD Size);
KERNEL32_API DWORD GetLastError(void);
KERNEL32_API void InitializeCriticalSection(CRITICAL_SECTION *Section);
KERNEL32_API void EnterCriticalSection(CRITICAL_SECTION *Section);
KERNEL32_API void LeaveCriticalSection(CRITICAL_SECTION *Section);
KERNEL32_API DWORD TlsAlloc(void);
KERNEL32_API void *TlsGetValue(DWORD Index);
KERNEL32_API BOOL TlsSetValue(DWORD Index, void *Value);

/* ---- start-up (startup.c) ---- */

extern HANDLE crt_heap; /* GetProcessHeap(), fixed at DLL attach */
extern int __app_type;  /* _CONSOLE_APP 1 or _GUI_APP 2, from __set_app_type */
extern int _fmode;      /* default translation of new descriptors: 0 (text) or _O_BINARY */
extern char **_environ; /* the narrow environment, NAME=value, NULL-terminated */
extern crt_wchar **_wenviron;

int *_errno(void);
unsigned long *__doserrno(void);

/* Per-thread data: errno and friends. Allocated on a thread's first need,
 * freed at DLL_THREAD_DETACH. Never NULL (a static fallback exists). */
typedef struct crt_thread_data {
    int Errno;
    unsigned long DosErrno;
} CRT_THREAD_DATA;
CRT_THREAD_DATA *crt_thread_data(void);
void crt_free_thread_data(void);
int crt_init_thread_data(void);

/* ---- locks (startup.c): _lock/_unlock numbers, Microsoft's layout ---- */

enum {
    CRT_LOCK_SIGNAL = 1,
    CRT_LOCK_IOB_SCAN = 2,
    CRT_LOCK_TMPNAM = 3,
    CRT_LOCK_HEAP = 4,
    CRT_LOCK_SETLOCALE = 5,
    CRT_LOCK_ENV = 7,
    CRT_LOCK_EXIT1 = 8,
    CRT_LOCK_EXIT2 = 9,
    CRT_LOCK_STREAM_FIRST = 16, /* _lock(16 + i) guards _iob[i], as mingw's _lock_file assumes */
    CRT_LOCK_COUNT = 16 + 20 + 12,
};
void _lock(int Number);
void _unlock(int Number);
int crt_init_locks(void);

/* ---- low-level I/O and streams (stdio.c) ---- */

#define CRT_IOB_ENTRIES 20
extern CRT_FILE _iob[CRT_IOB_ENTRIES];
#define crt_stdin (&_iob[0])
#define crt_stdout (&_iob[1])
#define crt_stderr (&_iob[2])

void crt_init_stdio(void);
/* Flushes every stream with pending output; returns how many were flushed. */
int crt_flush_all(void);
/* Writes Count bytes to descriptor Fd; returns the count or -1 (errno set). */
int _write(int Fd, const void *Buffer, unsigned Count);
int fflush(CRT_FILE *File);

/* ---- termination (exit.c) ---- */

/* Runs the atexit/_onexit table in reverse and flushes the streams, once. */
void crt_run_exit_handlers(void);
__attribute__((noreturn)) void crt_exit_process(int Code);
/* Writes a run-time error message to stderr (unbuffered). */
void crt_report_error(const char *Text);

/* ---- the C functions the impure modules call (defined in the pure ones) ---- */

void *memcpy(void *Destination, const void *Source, size_t Count);
void *memset(void *Destination, int Value, size_t Count);
size_t strlen(const char *String);
int _strnicmp(const char *Left, const char *Right, size_t Count);
size_t wcslen(const crt_wchar *String);
crt_wchar towlower(crt_wchar c);

/* ---- environment (startup.c) ---- */

char *getenv(const char *Name);

#endif
