/*
 * ntrtl.h - the user-mode half of NT's run-time library that ntdll.dll
 * exports: debug output, critical sections, and the process-creation
 * helpers smss and kernel32 build on (RtlCreateProcessParameters,
 * RtlCreateUserProcess).
 *
 * Why: every native program (smss, csrss) and every Win32 DLL uses these,
 * with NT's prototypes and, where a structure is shared with another
 * process or with code built against Microsoft's headers
 * (RTL_CRITICAL_SECTION, RTL_USER_PROCESS_INFORMATION here;
 * RTL_USER_PROCESS_PARAMETERS in nt/ntcontext.h, which the kernel shares),
 * NT's layout, pinned with _Static_assert on i386. The counted-string, heap
 * and image routines ntdll also exports have their own headers
 * (rtlstring.h, rtlheap.h, rtlimage.h).
 */
#ifndef NT_NTRTL_H
#define NT_NTRTL_H

#include <nt/ntpeb.h>
#include <nt/ntstatus.h>

/* cdecl where NT says so (DbgPrint); x86-64 hosts have one convention. */
#if defined(__i386__)
#define NTCDECL __attribute__((cdecl))
#else
#define NTCDECL
#endif

/* ---- debug output ---- */

/* Formats like printf (RtlFormatString's conversions) into 512 bytes and
 * hands the text to the kernel with int 0x2D (BREAKPOINT_PRINT), which logs
 * it on the serial port. Returns STATUS_SUCCESS. */
ULONG NTCDECL DbgPrint(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));

#define DBG_PRINT_BUFFER_SIZE 512
#define BREAKPOINT_PRINT 1

/* ---- critical sections ---- */

/* NT's layout (0x18 bytes on i386). LockCount is -1 when free and counts
 * the owner's entries (recursion included) plus the threads waiting, minus
 * one; LockSemaphore is the auto-reset event waiters sleep on, created the
 * first time the section is contended. */
typedef struct _RTL_CRITICAL_SECTION {
    PVOID DebugInfo; /* Daytona keeps no debug records: always NULL */
    LONG LockCount;
    LONG RecursionCount;
    HANDLE OwningThread; /* TEB->ClientId.UniqueThread of the owner */
    HANDLE LockSemaphore;
    ULONG_PTR SpinCount; /* tries before sleeping; used on multiprocessors only */
} RTL_CRITICAL_SECTION, *PRTL_CRITICAL_SECTION;

#if defined(__i386__)
_Static_assert(sizeof(RTL_CRITICAL_SECTION) == 0x18, "NT's RTL_CRITICAL_SECTION");
_Static_assert(offsetof(RTL_CRITICAL_SECTION, LockSemaphore) == 0x10, "RTL_CRITICAL_SECTION.LockSemaphore");
#endif

/* Makes a free section (no event yet). Always STATUS_SUCCESS. */
NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
/* The same with a spin count (the top byte, NT's "preallocate the event"
 * flag, is ignored). */
NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION CriticalSection,
                                                        ULONG SpinCount);
/* Takes the section, recursively for its owner; sleeps while another thread
 * owns it. STATUS_SUCCESS. If the wait event cannot be created the process
 * is ended with that status (NT raises it as an exception). */
NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
/* Takes the section only if that needs no wait; TRUE when taken. */
BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
/* Gives back one entry; the last one wakes one waiter. STATUS_SUCCESS. */
NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);
/* Closes the event, if any; the section must be free. The status of NtClose. */
NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION CriticalSection);

/* ---- process parameters ---- */

/* CURDIR and RTL_USER_PROCESS_PARAMETERS: nt/ntcontext.h (shared with the kernel). */

/* Room kept for the current directory, so SetCurrentDirectory can rewrite
 * it in place (MAX_PATH characters). */
#define RTL_CURDIR_MAXIMUM_LENGTH (260 * sizeof(WCHAR))

/*
 * Builds a parameter block on the process heap from copies of the strings,
 * DENORMALIZED (buffers are offsets from the block), as NT returns it. A
 * NULL DllPath or CurrentDirectory is taken from this process's parameters
 * (empty when it has none), a NULL CommandLine is ImagePathName, a NULL
 * Environment is this process's environment (the pointer, not a copy), and
 * the other NULL strings are empty. Every string is NUL-terminated.
 * STATUS_INVALID_PARAMETER (NULL ProcessParameters or ImagePathName; a
 * string with an odd length, longer than 0xFFFC bytes, or with no buffer),
 * STATUS_NO_MEMORY.
 */
NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                          PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                          PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                          PVOID Environment, PUNICODE_STRING WindowTitle,
                                          PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                          PUNICODE_STRING RuntimeData);
/* Frees a block from RtlCreateProcessParameters. STATUS_SUCCESS. */
NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);
/* Turns the offsets into addresses (relative to the block itself) unless the
 * block is already normalized; returns the block. NULL passes through. */
PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);
/* The reverse; returns the block. NULL passes through. */
PRTL_USER_PROCESS_PARAMETERS NTAPI
RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters);

/* ---- creating a process ---- */

/* What NT's NtQuerySection(SectionImageInformation) says about an image;
 * RtlCreateUserProcess fills it from the image's headers. */
typedef struct _SECTION_IMAGE_INFORMATION {
    PVOID TransferAddress; /* the entry point, at the image's base */
    ULONG ZeroBits;
    ULONG MaximumStackSize;
    ULONG CommittedStackSize;
    ULONG SubSystemType;
    USHORT SubSystemMinorVersion;
    USHORT SubSystemMajorVersion;
    ULONG GpValue;
    USHORT ImageCharacteristics;
    USHORT DllCharacteristics;
    USHORT Machine;
    BOOLEAN ImageContainsCode;
    BOOLEAN Spare1;
    ULONG LoaderFlags;
    ULONG Reserved[2];
} SECTION_IMAGE_INFORMATION, *PSECTION_IMAGE_INFORMATION;

typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length; /* sizeof(RTL_USER_PROCESS_INFORMATION) */
    HANDLE Process;
    HANDLE Thread;
    CLIENT_ID ClientId;
    SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION, *PRTL_USER_PROCESS_INFORMATION;

#if defined(__i386__)
_Static_assert(sizeof(SECTION_IMAGE_INFORMATION) == 0x30, "NT's SECTION_IMAGE_INFORMATION");
_Static_assert(sizeof(RTL_USER_PROCESS_INFORMATION) == 0x44, "NT's RTL_USER_PROCESS_INFORMATION");
#endif

/*
 * Creates a process running the image NtImagePathName (an NT path, opened
 * with the OBJ_* Attributes) and its first thread, SUSPENDED: the caller
 * starts it with NtResumeThread(ProcessInformation->Thread). Follows
 * docs/processes.md: image section, NtCreateProcess (ParentProcess NULL
 * means this process), ProcessParameters copied into the child normalized
 * (with the environment, in a block of its own) and linked from its PEB, a
 * stack (the image's SizeOfStackReserve, else 1 MiB; SizeOfStackCommit
 * committed at the top plus a guard page), a CONTEXT at the image's entry
 * point with Esp = the stack top less two slots: a zero return address and
 * the PEB's address as the entry point's one argument (EAX = entry point,
 * EBX = PEB, as NT). On success ProcessInformation has the process and
 * thread handles (the caller closes them), the client id and the image
 * information; on failure the child is terminated and every handle closed.
 */
NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                    PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                    PVOID ProcessSecurityDescriptor, PVOID ThreadSecurityDescriptor,
                                    HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort,
                                    HANDLE ExceptionPort, PRTL_USER_PROCESS_INFORMATION ProcessInformation);

/* Creates a thread in Process running StartAddress(Parameter) on a new
 * stack (MaximumStackSize reserved, CommittedStackSize committed; 0 takes
 * the defaults), suspended if asked. The routine must end its thread with
 * NtTerminateThread: it returns to address 0. Thread and ClientId may be
 * NULL. */
NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor, BOOLEAN CreateSuspended,
                                   ULONG StackZeroBits, SIZE_T MaximumStackSize, SIZE_T CommittedStackSize,
                                   PVOID StartAddress, PVOID Parameter, PHANDLE Thread, PCLIENT_ID ClientId);

/* ---- NT constants the process and loader code passes to the kernel ---- */

#ifndef SYNCHRONIZE
#define SYNCHRONIZE 0x00100000
#endif
#ifndef STANDARD_RIGHTS_REQUIRED
#define STANDARD_RIGHTS_REQUIRED 0x000F0000
#endif
#ifndef FILE_READ_DATA
#define FILE_READ_DATA 0x0001
#endif
#ifndef FILE_EXECUTE
#define FILE_EXECUTE 0x0020
#endif
#ifndef FILE_SHARE_READ
#define FILE_SHARE_READ 0x00000001
#endif
#ifndef FILE_SHARE_DELETE
#define FILE_SHARE_DELETE 0x00000004
#endif
#ifndef FILE_SYNCHRONOUS_IO_NONALERT
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#endif
#ifndef FILE_NON_DIRECTORY_FILE
#define FILE_NON_DIRECTORY_FILE 0x00000040
#endif
#ifndef SECTION_ALL_ACCESS
#define SECTION_ALL_ACCESS 0x000F001F
#endif
#ifndef PROCESS_ALL_ACCESS
#define PROCESS_ALL_ACCESS 0x001F0FFF
#endif
#ifndef THREAD_ALL_ACCESS
#define THREAD_ALL_ACCESS 0x001F03FF
#endif
#ifndef EVENT_ALL_ACCESS
#define EVENT_ALL_ACCESS 0x001F0003
#endif
#ifndef SEC_IMAGE
#define SEC_IMAGE 0x01000000
#endif
#ifndef PAGE_EXECUTE
#define PAGE_EXECUTE 0x10
#endif
#ifndef PAGE_GUARD
#define PAGE_GUARD 0x100
#endif
#ifndef STATUS_PARTIAL_COPY
#define STATUS_PARTIAL_COPY ((NTSTATUS)0x8000000D)
#endif

#endif
