/*
 * ldrp.h - ntdll's private loader interface: the loader core (ldrcore.c)
 * and what it needs from around it.
 *
 * Why: the core - finding, mapping, relocating and binding images, the
 * three module lists, load counts, initialization order - is pure logic on
 * top of two things only the system can do: map an image file into the
 * process, and call a DLL's entry point. Those two come through a small
 * MAPPER, so the same core runs in ntdll (ldrinit.c: NtOpenFile,
 * NtCreateSection, NtMapViewOfSection, a call through an assembly thunk) and
 * in the host unit tests (tests/unit/test_ntdll_ldr.c: real mingw-built
 * images read from disk, laid out with RtlLayoutImage at their preferred base
 * or elsewhere, entry points recorded instead of called). Everything else the
 * core uses - the heap, the counted strings, the image walks, DbgPrint - is
 * ordinary run-time library code that exists on both sides.
 *
 * One address rule makes the host and the target agree: an image is laid
 * out where it runs, below 4 GiB (the host mapper asks mmap for the image's
 * own 32-bit address), so DllBase + RVA is both where the bytes are and the
 * value an import address table slot holds.
 */
#ifndef NTDLL_LDRP_H
#define NTDLL_LDRP_H

#include <nt/ntldr.h>
#include <nt/ntrtl.h>
#include <nt/rtlimage.h>

/* Longest DLL base name the loader handles (NT's MAX_PATH-ish limit). */
#define LDRP_MAX_NAME 255
/* How many forwarders one import may pass through ("A.x" -> "B.y" -> ...). */
#define LDRP_MAX_FORWARDER_DEPTH 16
/* Where DLLs come from: \SystemRoot\System32\<name>. */
#define LDRP_SYSTEM_DIRECTORY u"\\SystemRoot\\System32\\"

/* How the core gets images in and out of the address space and runs their
 * entry points. */
typedef struct _LDRP_MAPPER {
    /* Maps the image file FullPath (an NT path). *Base and *ViewSize describe
     * the view. Returns STATUS_SUCCESS at the image's preferred base,
     * STATUS_IMAGE_NOT_AT_BASE elsewhere (the core relocates it; the view is
     * writable), STATUS_DLL_NOT_FOUND when there is no such file, or any
     * other failure (nothing mapped). */
    NTSTATUS (*MapImage)(PVOID Context, PCUNICODE_STRING FullPath, PVOID *Base, SIZE_T *ViewSize);
    /* Unmaps a view MapImage made. */
    NTSTATUS (*UnmapImage)(PVOID Context, PVOID Base);
    /* Calls the DllMain-style EntryPoint(DllBase, Reason, Reserved) and
     * returns what it returned (non-zero: TRUE). */
    BOOLEAN (*CallEntry)(PVOID Context, PVOID EntryPoint, PVOID DllBase, ULONG Reason, PVOID Reserved);
    PVOID Context;
} LDRP_MAPPER;

/* A loaded image: NT's public entry, then what only the loader uses. */
typedef struct _LDRP_MODULE {
    LDR_DATA_TABLE_ENTRY Entry;
    /* Modules this one holds a load count on (its imports and the targets of
     * forwarders it led to), without repeats. The first CommittedDependencies
     * are counted; the rest belong to the load in progress. */
    struct _LDRP_MODULE **Dependencies;
    ULONG DependencyCount;
    ULONG DependencyCapacity;
    ULONG CommittedDependencies;
    BOOLEAN Mapped;                   /* the view is the mapper's (not the image's or ntdll's) */
    CHAR AnsiName[LDRP_MAX_NAME + 1]; /* BaseDllName, narrowed, for messages */
} LDRP_MODULE, *PLDRP_MODULE;

/* One process's loader. */
typedef struct _LDRP_LOADER {
    PPEB_LDR_DATA Ldr; /* the lists (PEB->Ldr) */
    PVOID Heap;        /* where LDRP_MODULEs come from */
    const LDRP_MAPPER *Mapper;
    BOOLEAN ShutdownInProgress; /* LdrShutdownProcess ran: no more entry point calls */
} LDRP_LOADER, *PLDRP_LOADER;

/* Empties Ldr and ties it, Heap and Mapper to Loader. */
VOID LdrpInitializeLoader(PLDRP_LOADER Loader, PPEB_LDR_DATA Ldr, PVOID Heap, const LDRP_MAPPER *Mapper);

/*
 * Records an image that is already mapped (the process's image, ntdll) as a
 * pinned, statically linked module at the end of the load-order lists, under
 * FullPath (copied). IsNtdll puts it on the initialization-order list too,
 * as already initialized (NT lists ntdll there first). STATUS_NO_MEMORY,
 * STATUS_INVALID_IMAGE_FORMAT (no NT headers), STATUS_NAME_TOO_LONG (a path
 * over 0xFFFC bytes).
 */
NT_CHECK_RESULT NTSTATUS LdrpAddMappedModule(PLDRP_LOADER Loader, PVOID Base, PCUNICODE_STRING FullPath,
                                             BOOLEAN IsNtdll, PLDRP_MODULE *Module);

/*
 * Process start-up, after the image and ntdll were added: binds the image's
 * imports (loading every DLL they need, recursively, relocating the ones not
 * at their base), pins everything it loaded, then calls DLL_PROCESS_ATTACH
 * (Reserved = 1) in initialization order. On failure the message has been
 * DbgPrinted and the status is the process's exit status
 * (STATUS_DLL_NOT_FOUND, STATUS_ENTRYPOINT_NOT_FOUND, STATUS_ORDINAL_NOT_FOUND,
 * STATUS_DLL_INIT_FAILED, ...).
 */
NT_CHECK_RESULT NTSTATUS LdrpInitializeProcessImports(PLDRP_LOADER Loader, PLDRP_MODULE Image);

/* LdrLoadDll's work (see ntldr.h), the loader lock held. */
NT_CHECK_RESULT NTSTATUS LdrpLoadDll(PLDRP_LOADER Loader, PCUNICODE_STRING DllName, PVOID *DllHandle);
/* LdrGetDllHandle's work. */
NT_CHECK_RESULT NTSTATUS LdrpGetDllHandle(PLDRP_LOADER Loader, PCUNICODE_STRING DllName, PVOID *DllHandle);
/* LdrGetProcedureAddress's work; Name is NUL-terminated (or NULL: Ordinal). */
NT_CHECK_RESULT NTSTATUS LdrpGetProcedureAddress(PLDRP_LOADER Loader, PVOID DllHandle, PCSTR Name,
                                                 ULONG Ordinal, PVOID *Address);
/* LdrUnloadDll's work. */
NT_CHECK_RESULT NTSTATUS LdrpUnloadDll(PLDRP_LOADER Loader, PVOID DllHandle);
/* LdrDisableThreadCalloutsForDll's work. */
NT_CHECK_RESULT NTSTATUS LdrpDisableThreadCallouts(PLDRP_LOADER Loader, PVOID DllHandle);
/* DLL_THREAD_ATTACH (initialization order) or DLL_THREAD_DETACH (reverse)
 * to every attached DLL that wants thread calls. */
VOID LdrpCallThreadRoutines(PLDRP_LOADER Loader, ULONG Reason);
/* DLL_PROCESS_DETACH (Reserved = 1) to every attached DLL, reverse
 * initialization order; then no more entry point calls. */
VOID LdrpShutdownProcess(PLDRP_LOADER Loader);

/* The module whose view starts at Base, or NULL. */
PLDRP_MODULE LdrpFindModuleByBase(PLDRP_LOADER Loader, PVOID Base);

/* ---- ldrinit.c: the process's loader and what the kernel gives it ---- */

/* The loader of this process and its lock (PEB->LoaderLock). */
extern LDRP_LOADER LdrpLoader;
extern RTL_CRITICAL_SECTION LdrpLoaderLock;
/* The mapper made of Nt services. */
extern const LDRP_MAPPER LdrpNtMapper;

/* i386.S: calls EntryPoint(DllBase, Reason, Reserved) (stdcall), saving and
 * restoring every callee-saved register and the stack pointer, so an entry
 * point declared with the wrong convention cannot unbalance the loader. */
ULONG LdrpCallInitRoutine(PVOID EntryPoint, PVOID DllBase, ULONG Reason, PVOID Reserved);

#endif
