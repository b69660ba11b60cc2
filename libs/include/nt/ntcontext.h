/*
 * ntcontext.h - the x86 CONTEXT record and the structures a new thread and
 * process are described with (INITIAL_TEB, RTL_USER_PROCESS_PARAMETERS),
 * with NT's layouts.
 *
 * Why: the kernel and ntdll both read and write these (NtCreateThread takes a
 * CONTEXT and an INITIAL_TEB; LdrInitializeThunk receives the CONTEXT back;
 * every process's PEB points at its parameters), and mingw-built programs
 * see them through kernel32, so their offsets are fixed to NT's.
 */
#ifndef NT_NTCONTEXT_H
#define NT_NTCONTEXT_H

#include <nt/ntdef.h>

#define CONTEXT_i386 0x00010000
#define CONTEXT_CONTROL (CONTEXT_i386 | 0x1)
#define CONTEXT_INTEGER (CONTEXT_i386 | 0x2)
#define CONTEXT_SEGMENTS (CONTEXT_i386 | 0x4)
#define CONTEXT_FULL (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS)

typedef struct _FLOATING_SAVE_AREA {
    ULONG ControlWord, StatusWord, TagWord, ErrorOffset, ErrorSelector, DataOffset, DataSelector;
    UCHAR RegisterArea[80];
    ULONG Cr0NpxState;
} FLOATING_SAVE_AREA;

typedef struct _CONTEXT {
    ULONG ContextFlags;
    ULONG Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;
    FLOATING_SAVE_AREA FloatSave;
    ULONG SegGs, SegFs, SegEs, SegDs;
    ULONG Edi, Esi, Ebx, Edx, Ecx, Eax;
    ULONG Ebp, Eip, SegCs, EFlags, Esp, SegSs;
    UCHAR ExtendedRegisters[512];
} CONTEXT, *PCONTEXT;
_Static_assert(sizeof(CONTEXT) == 0x2CC, "NT's x86 CONTEXT");
_Static_assert(offsetof(CONTEXT, Eip) == 0xB8, "NT's x86 CONTEXT");

typedef struct _INITIAL_TEB {
    PVOID OldStackBase;
    PVOID OldStackLimit;
    PVOID StackBase;
    PVOID StackLimit;
    PVOID StackAllocationBase;
} INITIAL_TEB, *PINITIAL_TEB;

typedef struct _CURDIR {
    UNICODE_STRING DosPath;
    HANDLE Handle;
} CURDIR;

typedef struct _RTL_DRIVE_LETTER_CURDIR {
    USHORT Flags;
    USHORT Length;
    ULONG TimeStamp;
    STRING DosPath;
} RTL_DRIVE_LETTER_CURDIR;

#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001

typedef struct _RTL_USER_PROCESS_PARAMETERS {
    ULONG MaximumLength;
    ULONG Length;
    ULONG Flags;
    ULONG DebugFlags;
    HANDLE ConsoleHandle;
    ULONG ConsoleFlags;
    HANDLE StandardInput;
    HANDLE StandardOutput;
    HANDLE StandardError;
    CURDIR CurrentDirectory;
    UNICODE_STRING DllPath;
    UNICODE_STRING ImagePathName;
    UNICODE_STRING CommandLine;
    PVOID Environment;
    ULONG StartingX, StartingY, CountX, CountY, CountCharsX, CountCharsY;
    ULONG FillAttribute, WindowFlags, ShowWindowFlags;
    UNICODE_STRING WindowTitle;
    UNICODE_STRING DesktopInfo;
    UNICODE_STRING ShellInfo;
    UNICODE_STRING RuntimeData;
    RTL_DRIVE_LETTER_CURDIR CurrentDirectores[32];
} RTL_USER_PROCESS_PARAMETERS, *PRTL_USER_PROCESS_PARAMETERS;
#if defined(__i386__)
_Static_assert(sizeof(RTL_USER_PROCESS_PARAMETERS) == 0x290, "NT's layout");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CommandLine) == 0x40, "NT's layout");
#endif

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;

typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} THREAD_BASIC_INFORMATION;

#define ProcessBasicInformation 0
#define ThreadBasicInformation 0

/* Fixed user-space addresses (docs/processes.md). */
#define MM_PEB_ADDRESS 0x7FFDF000u
#define MM_FIRST_TEB_ADDRESS 0x7FFDE000u
#define MM_LOWEST_TEB_ADDRESS 0x7FF00000u

#endif
