/*
 * ntldr.h - ntdll's image loader: the module list every process keeps in
 * its PEB (PEB_LDR_DATA, LDR_DATA_TABLE_ENTRY) and the Ldr* entry points
 * kernel32 builds LoadLibrary, GetModuleHandle, GetProcAddress, FreeLibrary,
 * ExitProcess and ExitThread on.
 *
 * Why: debuggers, kernel32 (GetModuleFileName, the module walk of
 * Toolhelp-style code) and programs written against Microsoft's headers read
 * PEB->Ldr directly, so the lists and entries keep NT's layout (NT 4.0's,
 * which NT 3.51 shares for every field listed here). The prototypes are NT's
 * own, so a mingw program that links against libntdll.a and calls LdrLoadDll
 * gets what it expects.
 */
#ifndef NT_NTLDR_H
#define NT_NTLDR_H

#include <nt/ntpeb.h>
#include <nt/ntstatus.h>

/* Loader statuses ntstatus.h does not list (NT's numbers). */
#ifndef STATUS_ORDINAL_NOT_FOUND
#define STATUS_ORDINAL_NOT_FOUND ((NTSTATUS)0xC0000138)
#endif
#ifndef STATUS_DLL_INIT_FAILED
#define STATUS_DLL_INIT_FAILED ((NTSTATUS)0xC0000142)
#endif

/* DllMain's reasons. */
#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH 2
#define DLL_THREAD_DETACH 3

/* PEB->Ldr. Initialized is TRUE once the lists are built. */
typedef struct _PEB_LDR_DATA {
    ULONG Length;                               /* 0x00: sizeof(PEB_LDR_DATA) */
    BOOLEAN Initialized;                        /* 0x04 */
    PVOID SsHandle;                             /* 0x08 */
    LIST_ENTRY InLoadOrderModuleList;           /* 0x0C: the image, ntdll, then DLLs as mapped */
    LIST_ENTRY InMemoryOrderModuleList;         /* 0x14: Daytona: the same order as load order */
    LIST_ENTRY InInitializationOrderModuleList; /* 0x1C: DLLs, dependencies first; never the image */
} PEB_LDR_DATA, *PPEB_LDR_DATA;

/* LDR_DATA_TABLE_ENTRY.Flags (NT's bits). */
#define LDRP_STATIC_LINK 0x00000002 /* loaded with the process; never unloaded */
#define LDRP_IMAGE_DLL 0x00000004
#define LDRP_LOAD_IN_PROGRESS 0x00001000
#define LDRP_UNLOAD_IN_PROGRESS 0x00002000
#define LDRP_ENTRY_PROCESSED 0x00004000       /* its DLL_PROCESS_ATTACH has been (or is being) called */
#define LDRP_DONT_CALL_FOR_THREADS 0x00040000 /* LdrDisableThreadCalloutsForDll */
#define LDRP_PROCESS_ATTACH_CALLED 0x00080000 /* ... and returned TRUE: it gets a DETACH */
#define LDRP_IMAGE_NOT_AT_BASE 0x00200000     /* relocated */

/* LoadCount of a module that is never unloaded (the image, ntdll, and every
 * DLL loaded with the process), as on NT. */
#define LDRP_LOAD_COUNT_PINNED 0xFFFF

/* One loaded image (NT 4.0's layout, 0x48 bytes on i386). BaseDllName's
 * buffer points into FullDllName's. */
typedef struct _LDR_DATA_TABLE_ENTRY {
    LIST_ENTRY InLoadOrderLinks;           /* 0x00 */
    LIST_ENTRY InMemoryOrderLinks;         /* 0x08 */
    LIST_ENTRY InInitializationOrderLinks; /* 0x10 */
    PVOID DllBase;                         /* 0x18 */
    PVOID EntryPoint;                      /* 0x1C: NULL when the image has none */
    ULONG SizeOfImage;                     /* 0x20 */
    UNICODE_STRING FullDllName;            /* 0x24 */
    UNICODE_STRING BaseDllName;            /* 0x2C */
    ULONG Flags;                           /* 0x34: LDRP_* */
    USHORT LoadCount;                      /* 0x38 */
    USHORT TlsIndex;                       /* 0x3A */
    LIST_ENTRY HashLinks;                  /* 0x3C: unused by Daytona */
    ULONG TimeDateStamp;                   /* 0x44 */
} LDR_DATA_TABLE_ENTRY, *PLDR_DATA_TABLE_ENTRY;

#if defined(__i386__)
_Static_assert(sizeof(PEB_LDR_DATA) == 0x24, "NT's PEB_LDR_DATA");
_Static_assert(offsetof(PEB_LDR_DATA, InInitializationOrderModuleList) == 0x1C, "PEB_LDR_DATA lists");
_Static_assert(sizeof(LDR_DATA_TABLE_ENTRY) == 0x48, "NT 4.0's LDR_DATA_TABLE_ENTRY");
_Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, DllBase) == 0x18, "LDR_DATA_TABLE_ENTRY.DllBase");
_Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, FullDllName) == 0x24, "LDR_DATA_TABLE_ENTRY.FullDllName");
_Static_assert(offsetof(LDR_DATA_TABLE_ENTRY, LoadCount) == 0x38, "LDR_DATA_TABLE_ENTRY.LoadCount");
#endif

/* ---- the entry points ---- */

/*
 * Where every thread of every process starts in user mode (see
 * docs/processes.md). The first thread of a process initializes it: the
 * process heap, PEB->LoaderLock, PEB->Ldr, the image's imports (loading DLLs
 * from \SystemRoot\System32), DLL_PROCESS_ATTACH in initialization order.
 * Later threads call DLL_THREAD_ATTACH. Then NtContinue(Context): it does
 * not return. A failure ends the process with its status (after a DbgPrint
 * naming the DLL or the export).
 */
VOID NTAPI LdrInitializeThunk(PCONTEXT Context, PVOID NtdllBase);

/*
 * Loads DllName (a base name, "kernel32" or "kernel32.dll", looked for in
 * \SystemRoot\System32; or a full NT path) with its imports, runs the entry
 * points of the DLLs this load brought in, and takes one reference.
 * DllPath (the search path) and DllCharacteristics are accepted and ignored.
 * Returns STATUS_DLL_NOT_FOUND, STATUS_ENTRYPOINT_NOT_FOUND,
 * STATUS_ORDINAL_NOT_FOUND, STATUS_DLL_INIT_FAILED (nothing stays loaded), ...
 */
NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                          PVOID *DllHandle);

/* The base of the already-loaded module DllName (same name rules as
 * LdrLoadDll, no reference taken), or STATUS_DLL_NOT_FOUND. */
NTSTATUS NTAPI LdrGetDllHandle(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                               PVOID *DllHandle);

/* The address of an export of the loaded module at DllHandle, by
 * ProcedureName or, when it is NULL, by ordinal ProcedureNumber; forwarders
 * are followed (loading their DLLs). STATUS_DLL_NOT_FOUND for a handle that
 * is not a loaded module, STATUS_ENTRYPOINT_NOT_FOUND / STATUS_ORDINAL_NOT_FOUND
 * when there is no such export. */
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID DllHandle, PANSI_STRING ProcedureName, ULONG ProcedureNumber,
                                      PVOID *ProcedureAddress);

/* Drops one reference (LdrLoadDll's). At zero the module gets
 * DLL_PROCESS_DETACH, drops the references its imports held, and is unmapped.
 * Modules loaded with the process are never unloaded (STATUS_SUCCESS).
 * STATUS_DLL_NOT_FOUND for a handle that is not a loaded module. */
NTSTATUS NTAPI LdrUnloadDll(PVOID DllHandle);

/* Stops DLL_THREAD_ATTACH/DETACH calls to the module (kernel32's
 * DisableThreadLibraryCalls). */
NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID DllHandle);

/* DLL_PROCESS_DETACH (Reserved = 1: the process is ending) to every attached
 * DLL, last initialized first; for kernel32's ExitProcess. Later unloads
 * no longer call entry points. */
NTSTATUS NTAPI LdrShutdownProcess(VOID);

/* DLL_THREAD_DETACH to every attached DLL, last initialized first; for
 * kernel32's ExitThread. */
NTSTATUS NTAPI LdrShutdownThread(VOID);

#endif
