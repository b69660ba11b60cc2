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

/* ---- CONTEXT: NT's x86 register frame (0x2CC bytes) ---- */

#define CONTEXT_i386               0x00010000
#define CONTEXT_CONTROL            (CONTEXT_i386 | 0x01) /* Ebp Eip SegCs EFlags Esp SegSs */
#define CONTEXT_INTEGER            (CONTEXT_i386 | 0x02) /* Edi Esi Ebx Edx Ecx Eax */
#define CONTEXT_SEGMENTS           (CONTEXT_i386 | 0x04) /* SegDs SegEs SegFs SegGs */
#define CONTEXT_FLOATING_POINT     (CONTEXT_i386 | 0x08)
#define CONTEXT_DEBUG_REGISTERS    (CONTEXT_i386 | 0x10)
#define CONTEXT_EXTENDED_REGISTERS (CONTEXT_i386 | 0x20)
#define CONTEXT_FULL               (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS)

#define SIZE_OF_80387_REGISTERS      80
#define MAXIMUM_SUPPORTED_EXTENSION 512

typedef struct _FLOATING_SAVE_AREA {
    ULONG ControlWord;
    ULONG StatusWord;
    ULONG TagWord;
    ULONG ErrorOffset;
    ULONG ErrorSelector;
    ULONG DataOffset;
    ULONG DataSelector;
    UCHAR RegisterArea[SIZE_OF_80387_REGISTERS];
    ULONG Cr0NpxState;
} FLOATING_SAVE_AREA, *PFLOATING_SAVE_AREA;

typedef struct _CONTEXT {
    ULONG ContextFlags;
    ULONG Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;
    FLOATING_SAVE_AREA FloatSave;
    ULONG SegGs, SegFs, SegEs, SegDs;
    ULONG Edi, Esi, Ebx, Edx, Ecx, Eax;
    ULONG Ebp, Eip, SegCs, EFlags, Esp, SegSs;
    UCHAR ExtendedRegisters[MAXIMUM_SUPPORTED_EXTENSION];
} CONTEXT, *PCONTEXT;

_Static_assert(sizeof(FLOATING_SAVE_AREA) == 0x70, "NT's FLOATING_SAVE_AREA");
_Static_assert(sizeof(CONTEXT) == 0x2CC, "NT's x86 CONTEXT is 0x2CC bytes");
_Static_assert(offsetof(CONTEXT, SegGs) == 0x8C, "CONTEXT.SegGs");
_Static_assert(offsetof(CONTEXT, Edi) == 0x9C, "CONTEXT.Edi");
_Static_assert(offsetof(CONTEXT, Eax) == 0xB0, "CONTEXT.Eax");
_Static_assert(offsetof(CONTEXT, Eip) == 0xB8, "CONTEXT.Eip");
_Static_assert(offsetof(CONTEXT, Esp) == 0xC4, "CONTEXT.Esp");

/* EFLAGS.IF: the only non-arithmetic flag a user thread may (and must) have. */
#define EFLAGS_INTERRUPT_MASK 0x00000200

/* ---- INITIAL_TEB: the stack a new thread gets (NtCreateThread) ---- */

typedef struct _INITIAL_TEB {
    PVOID PreviousStackBase;  /* NULL: no fixed-size stack before this one */
    PVOID PreviousStackLimit;
    PVOID StackBase;          /* top of the stack (exclusive), the initial Esp lies below */
    PVOID StackLimit;         /* lowest committed address that is not the guard page */
    PVOID AllocatedStackBase; /* base of the whole reservation */
} INITIAL_TEB, *PINITIAL_TEB;

/* ---- process parameters ---- */

typedef struct _CURDIR {
    UNICODE_STRING DosPath;
    HANDLE Handle;
} CURDIR, *PCURDIR;

typedef struct _RTL_DRIVE_LETTER_CURDIR {
    USHORT Flags;
    USHORT Length;
    ULONG TimeStamp;
    STRING DosPath;
} RTL_DRIVE_LETTER_CURDIR, *PRTL_DRIVE_LETTER_CURDIR;

#define RTL_MAX_DRIVE_LETTERS 32

/* Flags: the string buffers are addresses (normalized) rather than offsets
 * from the start of the block (denormalized). */
#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001

/* One block: this header, then every string it points to. MaximumLength is
 * the size of the block, Length the bytes in use. The environment is a
 * separate block (Environment is always an address). */
typedef struct _RTL_USER_PROCESS_PARAMETERS {
    ULONG MaximumLength;                                        /* 0x000 */
    ULONG Length;                                               /* 0x004 */
    ULONG Flags;                                                /* 0x008 */
    ULONG DebugFlags;                                           /* 0x00C */
    HANDLE ConsoleHandle;                                       /* 0x010 */
    ULONG ConsoleFlags;                                         /* 0x014 */
    HANDLE StandardInput;                                       /* 0x018 */
    HANDLE StandardOutput;                                      /* 0x01C */
    HANDLE StandardError;                                       /* 0x020 */
    CURDIR CurrentDirectory;                                    /* 0x024 */
    UNICODE_STRING DllPath;                                     /* 0x030 */
    UNICODE_STRING ImagePathName;                               /* 0x038 */
    UNICODE_STRING CommandLine;                                 /* 0x040 */
    PVOID Environment;                                          /* 0x048 */
    ULONG StartingX;                                            /* 0x04C */
    ULONG StartingY;
    ULONG CountX;
    ULONG CountY;
    ULONG CountCharsX;
    ULONG CountCharsY;
    ULONG FillAttribute;
    ULONG WindowFlags;
    ULONG ShowWindowFlags;
    UNICODE_STRING WindowTitle;                                 /* 0x070 */
    UNICODE_STRING DesktopInfo;                                 /* 0x078 */
    UNICODE_STRING ShellInfo;                                   /* 0x080 */
    UNICODE_STRING RuntimeData;                                 /* 0x088 */
    RTL_DRIVE_LETTER_CURDIR CurrentDirectores[RTL_MAX_DRIVE_LETTERS]; /* 0x090 (NT's spelling) */
} RTL_USER_PROCESS_PARAMETERS, *PRTL_USER_PROCESS_PARAMETERS;

#if defined(__i386__)
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory) == 0x24, "PARAMETERS.CurrentDirectory");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ImagePathName) == 0x38, "PARAMETERS.ImagePathName");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, Environment) == 0x48, "PARAMETERS.Environment");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, WindowTitle) == 0x70, "PARAMETERS.WindowTitle");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CurrentDirectores) == 0x90, "PARAMETERS.CurrentDirectores");
_Static_assert(sizeof(RTL_USER_PROCESS_PARAMETERS) == 0x290, "NT's RTL_USER_PROCESS_PARAMETERS");
#endif

/* ---- NtQueryInformationProcess / NtQueryInformationThread ---- */

typedef enum _PROCESSINFOCLASS { ProcessBasicInformation = 0 } PROCESSINFOCLASS;
typedef enum _THREADINFOCLASS { ThreadBasicInformation = 0, ThreadEventPair = 8 } THREADINFOCLASS;

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID PebBaseAddress; /* a PPEB (nt/ntpeb.h) */
    KAFFINITY AffinityMask;
    KPRIORITY BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION, *PPROCESS_BASIC_INFORMATION;

/* NtSetInformationProcess(ProcessAccessToken): the primary token for a
 * process that has not run yet. */
#define ProcessAccessToken 9
typedef struct _PROCESS_ACCESS_TOKEN {
    HANDLE Token;
    HANDLE Thread; /* ignored, as on NT */
} PROCESS_ACCESS_TOKEN, *PPROCESS_ACCESS_TOKEN;

typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    CLIENT_ID ClientId;
    KAFFINITY AffinityMask;
    KPRIORITY Priority;
    KPRIORITY BasePriority;
} THREAD_BASIC_INFORMATION, *PTHREAD_BASIC_INFORMATION;

#if defined(__i386__)
_Static_assert(sizeof(PROCESS_BASIC_INFORMATION) == 24, "NT's PROCESS_BASIC_INFORMATION");
_Static_assert(sizeof(THREAD_BASIC_INFORMATION) == 28, "NT's THREAD_BASIC_INFORMATION");
#endif

/* Fixed user-space addresses (docs/processes.md). */
#define MM_PEB_ADDRESS 0x7FFDF000u
#define MM_FIRST_TEB_ADDRESS 0x7FFDE000u
#define MM_LOWEST_TEB_ADDRESS 0x7FF00000u

#endif
