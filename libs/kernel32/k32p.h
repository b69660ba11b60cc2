/*
 * k32p.h - kernel32's private header: the Win32 types and constants it
 * speaks, and what its source files share.
 *
 * Why: kernel32 is written against Daytona's native headers (libs/include/nt),
 * because nearly everything it does is a call into ntdll. mingw's windows.h
 * cannot be included beside them - it defines NTSTATUS, LARGE_INTEGER,
 * LIST_ENTRY, CONTEXT, NT_TIB and a hundred STATUS_ codes of its own - so the
 * Win32 half is declared here instead: only what kernel32 implements, with
 * Microsoft's names, values and layouts. Every exported function is declared
 * with Microsoft's prototype, because the argument bytes decide the stdcall
 * decoration (_CreateFileA@28) and the `ret N` the callee executes; programs
 * call through mingw's libkernel32.a, whose decorations must be the same
 * (tests/unit/test_kernel32_exports.c compares them).
 *
 * The pure parts (error table, paths, command lines, code pages, the console
 * line buffer, time conversion, environment blocks) also compile for the
 * 64-bit host, where the unit tests include them; WINAPI is then empty.
 */
#ifndef KERNEL32_K32P_H
#define KERNEL32_K32P_H

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* ---- Win32 base types ---- */

#define WINAPI NTAPI
#define APIENTRY NTAPI

typedef int BOOL, *PBOOL, *LPBOOL;
typedef unsigned char BYTE, *PBYTE, *LPBYTE;
typedef uint16_t WORD, *PWORD, *LPWORD;
typedef ULONG DWORD, *PDWORD, *LPDWORD;
typedef unsigned int UINT;
typedef int INT;
typedef ULONG_PTR DWORD_PTR;
typedef PVOID LPVOID;
typedef const void *LPCVOID;
typedef char *LPSTR;
typedef const char *LPCSTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef HANDLE *LPHANDLE;
typedef HANDLE HMODULE, HINSTANCE, HLOCAL, HGLOBAL;
typedef LONG *LPLONG;
typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;
typedef int(WINAPI *FARPROC)(void);
typedef DWORD(WINAPI *LPTHREAD_START_ROUTINE)(LPVOID Parameter);
typedef BOOL(WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);
struct _EXCEPTION_POINTERS;
typedef LONG(WINAPI *LPTOP_LEVEL_EXCEPTION_FILTER)(struct _EXCEPTION_POINTERS *ExceptionInfo);

#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)
#define INVALID_FILE_SIZE ((DWORD)0xFFFFFFFF)
#define INVALID_SET_FILE_POINTER ((DWORD)-1)
#define INVALID_FILE_ATTRIBUTES ((DWORD)-1)
#define MAX_PATH 260
#define INFINITE 0xFFFFFFFF

/* ---- Win32 error codes (winerror.h's numbers) ---- */

#define ERROR_SUCCESS 0
#define NO_ERROR 0
#define ERROR_INVALID_FUNCTION 1
#define ERROR_FILE_NOT_FOUND 2
#define ERROR_PATH_NOT_FOUND 3
#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_ARENA_TRASHED 7
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_INVALID_BLOCK 9
#define ERROR_BAD_ENVIRONMENT 10
#define ERROR_BAD_FORMAT 11
#define ERROR_INVALID_ACCESS 12
#define ERROR_INVALID_DATA 13
#define ERROR_OUTOFMEMORY 14
#define ERROR_INVALID_DRIVE 15
#define ERROR_NO_MORE_FILES 18
#define ERROR_WRITE_PROTECT 19
#define ERROR_BAD_COMMAND 22
#define ERROR_BAD_LENGTH 24
#define ERROR_SHARING_VIOLATION 32
#define ERROR_HANDLE_EOF 38
#define ERROR_NOT_SUPPORTED 50
#define ERROR_FILE_EXISTS 80
#define ERROR_INVALID_PARAMETER 87
#define ERROR_BROKEN_PIPE 109
#define ERROR_BUFFER_OVERFLOW 111
#define ERROR_CALL_NOT_IMPLEMENTED 120
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_INVALID_NAME 123
#define ERROR_INVALID_LEVEL 124
#define ERROR_MOD_NOT_FOUND 126
#define ERROR_PROC_NOT_FOUND 127
#define ERROR_NEGATIVE_SEEK 131
#define ERROR_BAD_PATHNAME 161
#define ERROR_SIGNAL_REFUSED 156
#define ERROR_BUSY 170
#define ERROR_INVALID_ORDINAL 182
#define ERROR_ALREADY_EXISTS 183
#define ERROR_BAD_EXE_FORMAT 193
#define ERROR_ENVVAR_NOT_FOUND 203
#define ERROR_FILENAME_EXCED_RANGE 206
#define ERROR_PIPE_NOT_CONNECTED 233
#define ERROR_MORE_DATA 234
#define ERROR_NO_MORE_ITEMS 259
#define ERROR_DIRECTORY 267
#define ERROR_NOT_OWNER 288
#define ERROR_TOO_MANY_POSTS 298
#define ERROR_PARTIAL_COPY 299
#define ERROR_MR_MID_NOT_FOUND 317
#define ERROR_INVALID_ADDRESS 487
#define ERROR_NOT_LOCKED 158
#define ERROR_NOT_LOCKED_FIXED ERROR_NOT_LOCKED
#define ERROR_ARITHMETIC_OVERFLOW 534
#define ERROR_PIPE_CONNECTED 535
#define ERROR_OPERATION_ABORTED 995
#define ERROR_IO_PENDING 997
#define ERROR_NOACCESS 998
#define ERROR_STACK_OVERFLOW 1001
#define ERROR_INVALID_FLAGS 1004
#define ERROR_UNRECOGNIZED_VOLUME 1005
#define ERROR_FILE_INVALID 1006
#define ERROR_NO_TOKEN 1008
#define ERROR_SERVICE_REQUEST_TIMEOUT 1053
#define ERROR_PROCESS_ABORTED 1067
#define ERROR_NO_UNICODE_TRANSLATION 1113
#define ERROR_DLL_INIT_FAILED 1114
#define ERROR_SEM_TIMEOUT 121
#define ERROR_TIMEOUT 1460
#define ERROR_INVALID_WINDOW_HANDLE 1400
#define ERROR_PRIVILEGE_NOT_HELD 1314
#define ERROR_COMMITMENT_LIMIT 1455
#define ERROR_DLL_NOT_FOUND 1157
#define ERROR_CONNECTION_REFUSED 1225
#define ERROR_NOT_FOUND 1168
#define ERROR_INTERNAL_ERROR 1359
#define ERROR_FILE_CORRUPT 1392
#define ERROR_INVALID_SEGMENT_NUMBER 180
#define ERROR_DIR_NOT_EMPTY 145
#define ERROR_CHILD_NOT_COMPLETE 129

/* ---- waits ---- */

#define WAIT_OBJECT_0 0x00000000
#define WAIT_ABANDONED_0 0x00000080
#define WAIT_IO_COMPLETION 0x000000C0
#define WAIT_TIMEOUT 0x00000102
#define WAIT_FAILED 0xFFFFFFFF
#define MAXIMUM_WAIT_OBJECTS 64
#define STILL_ACTIVE 0x00000103

/* NT statuses the waits and the executive objects answer with (NT's numbers). */
#ifndef STATUS_WAIT_0
#define STATUS_WAIT_0 ((NTSTATUS)0x00000000)
#endif
#ifndef STATUS_ABANDONED_WAIT_0
#define STATUS_ABANDONED_WAIT_0 ((NTSTATUS)0x00000080)
#endif
#ifndef STATUS_USER_APC
#define STATUS_USER_APC ((NTSTATUS)0x000000C0)
#endif
#ifndef STATUS_ALERTED
#define STATUS_ALERTED ((NTSTATUS)0x00000101)
#endif
#ifndef STATUS_MUTANT_NOT_OWNED
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046)
#endif
#ifndef STATUS_SEMAPHORE_LIMIT_EXCEEDED
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047)
#endif
#ifndef STATUS_MUTANT_LIMIT_EXCEEDED
#define STATUS_MUTANT_LIMIT_EXCEEDED ((NTSTATUS)0xC0000191)
#endif
#ifndef STATUS_RESOURCE_NOT_OWNED
#define STATUS_RESOURCE_NOT_OWNED ((NTSTATUS)0xC0000264)
#endif
#ifndef STATUS_THREAD_IS_TERMINATING
#define STATUS_THREAD_IS_TERMINATING ((NTSTATUS)0xC000004B)
#endif
#ifndef STATUS_INVALID_SYSTEM_SERVICE
#define STATUS_INVALID_SYSTEM_SERVICE ((NTSTATUS)0xC000001C)
#endif
#ifndef STATUS_ORDINAL_NOT_FOUND
#define STATUS_ORDINAL_NOT_FOUND ((NTSTATUS)0xC0000138)
#endif
#ifndef STATUS_DLL_INIT_FAILED
#define STATUS_DLL_INIT_FAILED ((NTSTATUS)0xC0000142)
#endif

/* ---- the error table (errtab.c, pure) ---- */

/* The Win32 error for Status, as RtlNtStatusToDosError answers it: NT's
 * pairs for every status Daytona's kernel and ntdll return, a status that is
 * already a Win32 error (0xC007xxxx, or a small number) unwrapped, and
 * ERROR_MR_MID_NOT_FOUND for anything else. */
ULONG BasepNtStatusToDosError(NTSTATUS Status);

/* ---- last error (error.c) ---- */

/* TEB->LastErrorValue = BasepNtStatusToDosError(Status); returns that error. */
ULONG BaseSetLastNTError(NTSTATUS Status);
DWORD WINAPI GetLastError(VOID);
VOID WINAPI SetLastError(DWORD ErrorCode);

/* ---- paths (path.c, pure) ---- */

/* How a Win32 path name is read (NT's RtlDetermineDosPathNameType_U). */
typedef enum _BASEP_PATH_TYPE {
    BasepPathUnknown,
    BasepPathUncAbsolute,    /* \\server\share */
    BasepPathDriveAbsolute,  /* C:\x */
    BasepPathDriveRelative,  /* C:x */
    BasepPathRooted,         /* \x */
    BasepPathRelative,       /* x */
    BasepPathLocalDevice,    /* \\.\x or \\?\x */
    BasepPathRootLocalDevice /* \\. or \\? */
} BASEP_PATH_TYPE;

BASEP_PATH_TYPE BasepPathType(PCWSTR Path);

/*
 * Turns the Win32 path DosPath into an NT object name in Buffer (Capacity
 * WCHARs, NUL-terminated), as RtlDosPathNameToNtPathName_U does:
 * "C:\a\..\b" becomes "\??\C:\b", a relative path is taken from
 * CurrentDirectory (a full "X:\...\" path, with or without its trailing
 * backslash), a rooted "\x" from CurrentDirectory's drive, "\\?\x" is
 * "\??\x" untouched, "\\.\x" is "\??\x" normalized. '/' is read as '\',
 * "." and ".." are resolved (never above the root), runs of separators
 * fold. On success *FilePart (when not NULL) is the offset of the last
 * component in Buffer. Returns STATUS_SUCCESS, STATUS_OBJECT_NAME_INVALID
 * (empty, UNC or unreadable), or STATUS_NAME_TOO_LONG.
 */
NTSTATUS BasepDosPathToNtPath(PCWSTR DosPath, PCWSTR CurrentDirectory, PWSTR Buffer, ULONG Capacity,
                              PULONG FilePart);

/* The reverse for what the loader keeps in its module list: "\??\C:\x"
 * becomes "C:\x", "\SystemRoot\x" becomes SystemRootDos + "x" (SystemRootDos
 * ends with a backslash), anything else is copied. Writes at most Capacity
 * WCHARs with the NUL; returns the characters the whole result needs
 * without the NUL (so a result >= Capacity means it was cut). */
ULONG BasepNtPathToDosPath(PCWSTR NtPath, ULONG NtLength, PCWSTR SystemRootDos, PWSTR Buffer, ULONG Capacity);

/* ---- command lines (cmdline.c, pure) ---- */

/*
 * The program name at the start of CommandLine, as CreateProcess reads it
 * when it is given no application name: a quoted name runs to the closing
 * quote; an unquoted one to the first blank. Writes it (without quotes,
 * NUL-terminated) to Buffer (Capacity WCHARs); returns its length, or 0 when
 * there is none or it does not fit.
 */
ULONG BasepCommandLineImageName(PCWSTR CommandLine, PWSTR Buffer, ULONG Capacity);

/* TRUE when the last path component of Name has an extension ('.' after
 * the last '\', '/' or ':'). */
BOOLEAN BasepHasExtension(PCWSTR Name);

/* Writes Name quoted when it holds a blank ("C:\My Dir\x.exe"), else as it
 * is, NUL-terminated; returns its length or 0 when it does not fit. */
ULONG BasepQuoteName(PCWSTR Name, PWSTR Buffer, ULONG Capacity);

/* ---- code pages (nls.c, pure) ---- */

#define CP_ACP 0
#define CP_OEMCP 1
#define CP_MACCP 2
#define CP_THREAD_ACP 3
#define CP_UTF7 65000
#define CP_UTF8 65001
#define BASEP_ACP 1252 /* what GetACP answers: Windows Latin-1 */
#define BASEP_OEMCP 437
#define MB_PRECOMPOSED 0x00000001
#define MB_COMPOSITE 0x00000002
#define MB_USEGLYPHCHARS 0x00000004
#define MB_ERR_INVALID_CHARS 0x00000008
#define WC_COMPOSITECHECK 0x00000200
#define WC_DISCARDNS 0x00000010
#define WC_SEPCHARS 0x00000020
#define WC_DEFAULTCHAR 0x00000040
#define WC_ERR_INVALID_CHARS 0x00000080
#define WC_NO_BEST_FIT_CHARS 0x00000400

int WINAPI MultiByteToWideChar(UINT CodePage, DWORD Flags, LPCSTR MultiByteStr, int MultiByte,
                               LPWSTR WideCharStr, int WideChar);
int WINAPI WideCharToMultiByte(UINT CodePage, DWORD Flags, LPCWSTR WideCharStr, int WideChar,
                               LPSTR MultiByteStr, int MultiByte, LPCSTR DefaultChar, LPBOOL UsedDefaultChar);
int WINAPI lstrlenA(LPCSTR String);
int WINAPI lstrlenW(LPCWSTR String);
LPSTR WINAPI lstrcpyA(LPSTR Dest, LPCSTR Source);
LPWSTR WINAPI lstrcpyW(LPWSTR Dest, LPCWSTR Source);
int WINAPI lstrcmpA(LPCSTR A, LPCSTR B);
int WINAPI lstrcmpW(LPCWSTR A, LPCWSTR B);
int WINAPI lstrcmpiA(LPCSTR A, LPCSTR B);
int WINAPI lstrcmpiW(LPCWSTR A, LPCWSTR B);

/* Widens an ANSI (CP_ACP) NUL-terminated string into Buffer (Capacity
 * WCHARs, NUL-terminated); FALSE when it does not fit. */
BOOLEAN BasepAnsiToWide(LPCSTR Ansi, PWSTR Buffer, ULONG Capacity);

/* ---- the console line buffer (conbuf.c, pure) ---- */

/* Text written to a console handle before consoles exist goes to the debug
 * log a line at a time; this holds the partial line. */
#define BASEP_LINE_MAX 240

typedef VOID (*BASEP_LINE_SINK)(PVOID Context, PCSTR Text, ULONG Length);

typedef struct _BASEP_LINE_BUFFER {
    ULONG Used;
    CHAR Text[BASEP_LINE_MAX + 1];
} BASEP_LINE_BUFFER, *PBASEP_LINE_BUFFER;

/* Appends Length bytes of Text: every complete line (with its '\n') goes to
 * Sink at once; a line longer than BASEP_LINE_MAX is cut into pieces of that
 * size, each sent with a '\n' added; a '\r' just before '\n' is dropped. */
VOID BasepLineBufferWrite(PBASEP_LINE_BUFFER Buffer, PCSTR Text, ULONG Length, BASEP_LINE_SINK Sink,
                          PVOID Context);
/* Sends what is held, with a '\n' added, and empties the buffer. */
VOID BasepLineBufferFlush(PBASEP_LINE_BUFFER Buffer, BASEP_LINE_SINK Sink, PVOID Context);

/* ---- time (timeconv.c, pure) ---- */

typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;
    WORD wDayOfWeek;
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;

BOOL WINAPI FileTimeToSystemTime(const FILETIME *FileTime, LPSYSTEMTIME SystemTime);
BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *SystemTime, LPFILETIME FileTime);

/* ---- environment blocks (envblk.c, pure) ---- */

/* Environment blocks are NT's: "NAME=value\0" strings, then an empty one.
 * Names compare without case; entries whose name starts with '=' (NT's
 * per-drive directories, "=C:=C:\x") are found like any other. */

/* The value of Name in Block (a pointer into it) and its length in
 * characters; NULL when Name is not there. */
PCWSTR BasepEnvironmentFind(PCWSTR Block, PCWSTR Name, PULONG ValueLength);
/* The block's size in WCHARs, the final empty string's NUL included. */
ULONG BasepEnvironmentSize(PCWSTR Block);
/* Writes into NewBlock (Capacity WCHARs) Block with Name set to Value, or
 * removed when Value is NULL; returns the WCHARs written, or 0 when it does
 * not fit or Name is empty or holds '=' past its first character. */
ULONG BasepEnvironmentSet(PCWSTR Block, PCWSTR Name, PCWSTR Value, PWSTR NewBlock, ULONG Capacity);

/* ---- what the rest of kernel32 shares (not compiled on the host) ---- */

#if defined(__i386__)

#include <csr/csr.h>
#include <nt/ntapi.h>
#include <nt/ntio.h>
#include <nt/ntldr.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlimage.h>
#include <nt/rtlstring.h>

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

typedef RTL_CRITICAL_SECTION CRITICAL_SECTION, *PCRITICAL_SECTION, *LPCRITICAL_SECTION;

/* The loader lock and the other kernel32 globals (dllinit.c). */
extern PVOID BaseDllHandle;
extern BOOLEAN BaseRunningInServerProcess; /* csrss itself: no CSR calls */
extern RTL_CRITICAL_SECTION BaseDllLock;   /* TLS bitmap, environment, std handles */
extern HMODULE BaseExeHandle;

/* The process heap (PEB->ProcessHeap). */
#define BaseHeap (NtCurrentPeb()->ProcessHeap)

/* Object attributes for a Win32 object name: NULL, or the name under
 * \BaseNamedObjects (ntobj.c). Name must stay alive while Attributes is used;
 * NameBuffer (BASEP_OBJECT_NAME_MAX WCHARs) holds it. */
#define BASEP_OBJECT_NAME_MAX 300
POBJECT_ATTRIBUTES BasepFormatObjectAttributes(POBJECT_ATTRIBUTES Attributes, LPSECURITY_ATTRIBUTES Security,
                                               PCWSTR Name, PUNICODE_STRING NameString, PWSTR NameBuffer);
/* An ANSI object name widened into Buffer (BASEP_OBJECT_NAME_MAX WCHARs);
 * NULL stays NULL. FALSE (last error set) when it does not fit. */
BOOL BasepWidenName(LPCSTR Name, PWSTR Buffer, PCWSTR *Wide);

/* A Win32 timeout in milliseconds as an NT relative timeout; NULL for
 * INFINITE (synch.c). */
PLARGE_INTEGER BaseFormatTimeOut(PLARGE_INTEGER Timeout, DWORD Milliseconds);

/* Console pseudo-handles: NT marks console handles by setting their low two
 * bits, which real handles (multiples of 4) never have (console.c). */
#define BASEP_CONSOLE_INPUT ((HANDLE)(ULONG_PTR)0x3)
#define BASEP_CONSOLE_OUTPUT ((HANDLE)(ULONG_PTR)0x7)
#define BASEP_CONSOLE_ERROR ((HANDLE)(ULONG_PTR)0xB)
#define BasepIsConsoleHandle(h) ((((ULONG_PTR)(h)) & 3) == 3 && (h) != INVALID_HANDLE_VALUE)
/* Writes to a console pseudo-handle (the serial log until consoles exist). */
BOOL BasepConsoleWrite(HANDLE Console, LPCVOID Buffer, DWORD Bytes, LPDWORD Written);
/* Sends every held partial line (ExitProcess). */
VOID BasepConsoleFlushAll(VOID);
/* Sets up the std handles in ProcessParameters when the creator gave none. */
VOID BasepInitializeStdHandles(VOID);

/* The directories (sysinfo.c): "C:\" and "C:\System32". */
#define BASEP_WINDOWS_DIRECTORY L"C:\\"
#define BASEP_SYSTEM_DIRECTORY L"C:\\System32"

/* The current directory as a full "X:\..." path with a trailing backslash
 * (path.c keeps it; process.c's CreateProcess and file.c read it). */
PCWSTR BasepCurrentDirectory(VOID);
/* DosPath as an NT name in a heap buffer (RtlFreeUnicodeString frees it);
 * FALSE with the last error set on failure. */
BOOL BasepDosToNtName(PCWSTR DosPath, PUNICODE_STRING NtName);

/* Environment (env.c): initialized from the process parameters. */
VOID BasepInitializeEnvironment(VOID);

/* TLS (thread.c): a thread's TEB joins or leaves the list TlsFree walks. */
VOID BasepTlsThreadAttach(VOID);
VOID BasepTlsThreadDetach(VOID);

/* Time (time.c): 100 ns units since boot. */
ULONGLONG BasepInterruptTime(VOID);

/* Calls to csrss (dllinit.c): ApiNumber for basesrv's Api, the status. */
NTSTATUS BasepCallServer(PCSR_API_MESSAGE Message, ULONG Api, ULONG ArgumentLength);

/* A stack in Process of Reserve bytes with Commit committed at the top and
 * a guard page below (thread.c), described in *Teb. */
NTSTATUS BasepCreateStack(HANDLE Process, SIZE_T Commit, SIZE_T Reserve, PINITIAL_TEB Teb);

/* The user-mode selectors a CONTEXT names (the kernel forces its own). */
#define BASEP_USER_CS 0x1B
#define BASEP_USER_DS 0x23
#define BASEP_USER_FS 0x3B

/* Where a returning Win32 process entry point lands: ExitProcess with
 * what it returned (thread.c). */
VOID BaseProcessExitThunk(VOID);

#endif /* __i386__ */

#endif
