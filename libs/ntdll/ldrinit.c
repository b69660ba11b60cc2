/*
 * ldrinit.c - where user mode begins: LdrInitializeThunk, and the Ldr*
 * exports built on the loader core.
 *
 * Why: the kernel starts every new thread at LdrInitializeThunk with the
 * thread's real starting CONTEXT on its stack (docs/processes.md). The first
 * thread of a process sets the process up - heap, loader lock, PEB->Ldr, the
 * image's DLLs - and every thread then tells the DLLs it exists, before
 * NtContinue jumps to where the creator wanted the thread to start. This is
 * also where the loader core meets the real system: its mapper is made of
 * NtOpenFile, NtCreateSection(SEC_IMAGE) and NtMapViewOfSection, and DLL
 * entry points are called through an assembly thunk. Every export takes
 * PEB->LoaderLock (a critical section at PEB+0xA0, as NT 3.51/4.0) around the
 * core, so LoadLibrary from two threads, or from a DllMain, is safe.
 */
#include <nt/ntapi.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

#include "ldrp.h"
#include "ntdllp.h"

#ifndef STATUS_OBJECT_NAME_NOT_FOUND
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034)
#endif
#ifndef STATUS_NO_SUCH_FILE
#define STATUS_NO_SUCH_FILE ((NTSTATUS)0xC000000F)
#endif

/* NtMapViewOfSection's InheritDisposition: the view is inherited (NT's ViewShare). */
#define LDRP_VIEW_SHARE 1

/* What an unnamed process's image is called when its creator gave no
 * ProcessParameters (the kernel starts the first process without any). */
#define LDRP_DEFAULT_IMAGE_PATH u"\\SystemRoot\\System32\\image.exe"
#define LDRP_NTDLL_PATH u"\\SystemRoot\\System32\\ntdll.dll"

LDRP_LOADER LdrpLoader;
RTL_CRITICAL_SECTION LdrpLoaderLock;
static PEB_LDR_DATA LdrpPebLdr;

/* 0: no thread has started; 1: the first is initializing the process; 2: done. */
static volatile LONG LdrpProcessState;

/* ---- the mapper made of Nt services ---- */

static void close_handle(HANDLE Handle) {
    NTSTATUS status = NtClose(Handle);
    if (!NT_SUCCESS(status))
        DbgPrint("LDR: NtClose(%p) failed: status 0x%08x\n", Handle, (ULONG)status);
}

static NTSTATUS nt_map_image(PVOID Context, PCUNICODE_STRING FullPath, PVOID *Base, SIZE_T *ViewSize) {
    OBJECT_ATTRIBUTES attributes;
    IO_STATUS_BLOCK iosb;
    HANDLE file, section;
    (void)Context;

    InitializeObjectAttributes(&attributes, (PUNICODE_STRING)FullPath, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtOpenFile(&file, SYNCHRONIZE | FILE_READ_DATA | FILE_EXECUTE, &attributes, &iosb,
                                 FILE_SHARE_READ | FILE_SHARE_DELETE,
                                 FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND || status == STATUS_OBJECT_PATH_NOT_FOUND ||
        status == STATUS_NO_SUCH_FILE)
        return STATUS_DLL_NOT_FOUND;
    if (!NT_SUCCESS(status))
        return status;
    status = NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, file);
    close_handle(file);
    if (!NT_SUCCESS(status))
        return status;
    *Base = NULL;
    *ViewSize = 0;
    status = NtMapViewOfSection(section, NtCurrentProcess(), Base, 0, 0, NULL, ViewSize, LDRP_VIEW_SHARE, 0,
                                PAGE_READWRITE);
    close_handle(section);
    return status; /* STATUS_SUCCESS or STATUS_IMAGE_NOT_AT_BASE when mapped */
}

static NTSTATUS nt_unmap_image(PVOID Context, PVOID Base) {
    (void)Context;
    return NtUnmapViewOfSection(NtCurrentProcess(), Base);
}

static BOOLEAN nt_call_entry(PVOID Context, PVOID EntryPoint, PVOID DllBase, ULONG Reason, PVOID Reserved) {
    (void)Context;
    return LdrpCallInitRoutine(EntryPoint, DllBase, Reason, Reserved) != 0;
}

const LDRP_MAPPER LdrpNtMapper = {nt_map_image, nt_unmap_image, nt_call_entry, NULL};

/* ---- start-up ---- */

/* The first thread's work: everything a process needs before its own code
 * runs. Returns the failure status the process must end with. */
static NTSTATUS initialize_process(PVOID NtdllBase) {
    PPEB peb = NtCurrentPeb();

    peb->ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    if (peb->ProcessHeap == NULL) {
        DbgPrint("LDR: cannot create the process heap\n");
        return STATUS_NO_MEMORY;
    }
    NTSTATUS status = RtlInitializeCriticalSection(&LdrpLoaderLock);
    if (!NT_SUCCESS(status))
        return status;
    peb->LoaderLock = &LdrpLoaderLock;
    RtlNormalizeProcessParams(peb->ProcessParameters);

    status = RtlEnterCriticalSection(&LdrpLoaderLock);
    if (!NT_SUCCESS(status))
        return status;
    LdrpInitializeLoader(&LdrpLoader, &LdrpPebLdr, peb->ProcessHeap, &LdrpNtMapper);
    peb->Ldr = &LdrpPebLdr;

    UNICODE_STRING image_path, ntdll_path;
    if (peb->ProcessParameters != NULL && peb->ProcessParameters->ImagePathName.Length != 0)
        image_path = peb->ProcessParameters->ImagePathName;
    else
        RtlInitUnicodeString(&image_path, LDRP_DEFAULT_IMAGE_PATH);
    RtlInitUnicodeString(&ntdll_path, LDRP_NTDLL_PATH);

    PLDRP_MODULE image, ntdll;
    status = LdrpAddMappedModule(&LdrpLoader, peb->ImageBaseAddress, &image_path, FALSE, &image);
    if (NT_SUCCESS(status))
        status = LdrpAddMappedModule(&LdrpLoader, NtdllBase, &ntdll_path, TRUE, &ntdll);
    if (!NT_SUCCESS(status)) {
        DbgPrint("LDR: cannot record the image or ntdll: status 0x%08x\n", (ULONG)status);
    } else {
        /* The kernel maps the image at its base; should it ever not, the
         * image is fixed up here as NT 3.51 did. */
        PIMAGE_NT_HEADERS32 nt = RtlImageNtHeader(image->Entry.DllBase);
        if (nt->OptionalHeader.ImageBase != (ULONG)(ULONG_PTR)image->Entry.DllBase) {
            status = LdrRelocateImageTo(image->Entry.DllBase, image->Entry.SizeOfImage,
                                        (ULONG)(ULONG_PTR)image->Entry.DllBase);
            if (!NT_SUCCESS(status))
                DbgPrint("LDR: the image cannot be relocated: status 0x%08x\n", (ULONG)status);
            else
                image->Entry.Flags |= LDRP_IMAGE_NOT_AT_BASE;
        }
        if (NT_SUCCESS(status))
            status = LdrpInitializeProcessImports(&LdrpLoader, image);
    }
    NTSTATUS leave = RtlLeaveCriticalSection(&LdrpLoaderLock);
    return NT_SUCCESS(status) ? leave : status;
}

VOID NTAPI LdrInitializeThunk(PCONTEXT Context, PVOID NtdllBase) {
    LONG expected = 0;
    if (__atomic_compare_exchange_n(&LdrpProcessState, &expected, 1, FALSE, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        NTSTATUS status = initialize_process(NtdllBase);
        if (!NT_SUCCESS(status))
            RtlpTerminateProcess(status);
        __atomic_store_n(&LdrpProcessState, 2, __ATOMIC_RELEASE);
    } else {
        /* A later thread. It cannot exist before the first thread made the
         * loader lock (only code running after that creates threads), and
         * the lock holds it back until the process is initialized. */
        NTSTATUS status = RtlEnterCriticalSection(&LdrpLoaderLock);
        if (!NT_SUCCESS(status))
            RtlpTerminateProcess(status);
        LdrpCallThreadRoutines(&LdrpLoader, DLL_THREAD_ATTACH);
        status = RtlLeaveCriticalSection(&LdrpLoaderLock);
        if (!NT_SUCCESS(status))
            RtlpTerminateProcess(status);
    }
    NTSTATUS status = NtContinue(Context, FALSE);
    DbgPrint("LDR: NtContinue failed: status 0x%08x\n", (ULONG)status);
    RtlpTerminateProcess(status);
}

/* ---- the exports ---- */

/* Runs the core's Work under the loader lock; the first failure wins. */
#define WITH_LOADER_LOCK(Status, Work)                                                                       \
    do {                                                                                                     \
        (Status) = RtlEnterCriticalSection(&LdrpLoaderLock);                                                 \
        if (NT_SUCCESS(Status)) {                                                                            \
            (Status) = (Work);                                                                               \
            NTSTATUS leave_ = RtlLeaveCriticalSection(&LdrpLoaderLock);                                      \
            if (NT_SUCCESS(Status))                                                                          \
                (Status) = leave_;                                                                           \
        }                                                                                                    \
    } while (0)

NTSTATUS NTAPI LdrLoadDll(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                          PVOID *DllHandle) {
    NTSTATUS status;
    (void)DllPath;
    (void)DllCharacteristics;
    WITH_LOADER_LOCK(status, LdrpLoadDll(&LdrpLoader, DllName, DllHandle));
    return status;
}

NTSTATUS NTAPI LdrGetDllHandle(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                               PVOID *DllHandle) {
    NTSTATUS status;
    (void)DllPath;
    (void)DllCharacteristics;
    WITH_LOADER_LOCK(status, LdrpGetDllHandle(&LdrpLoader, DllName, DllHandle));
    return status;
}

NTSTATUS NTAPI LdrGetProcedureAddress(PVOID DllHandle, PANSI_STRING ProcedureName, ULONG ProcedureNumber,
                                      PVOID *ProcedureAddress) {
    CHAR small[128];
    PCHAR name = NULL;
    NTSTATUS status;

    if (ProcedureAddress == NULL)
        return STATUS_INVALID_PARAMETER;
    if (ProcedureName != NULL) {
        /* The counted name, NUL-terminated for the export search. */
        if (ProcedureName->Length != 0 && ProcedureName->Buffer == NULL)
            return STATUS_INVALID_PARAMETER;
        name = small;
        if (ProcedureName->Length >= sizeof small) {
            name = RtlAllocateHeap(NtCurrentPeb()->ProcessHeap, 0, (SIZE_T)ProcedureName->Length + 1);
            if (name == NULL)
                return STATUS_NO_MEMORY;
        }
        if (ProcedureName->Length != 0)
            __builtin_memcpy(name, ProcedureName->Buffer, ProcedureName->Length);
        name[ProcedureName->Length] = '\0';
    }
    WITH_LOADER_LOCK(
        status, LdrpGetProcedureAddress(&LdrpLoader, DllHandle, name, ProcedureNumber, ProcedureAddress));
    if (name != NULL && name != small && !RtlFreeHeap(NtCurrentPeb()->ProcessHeap, 0, name))
        DbgPrint("LDR: the heap refused to free %p\n", (PVOID)name);
    return status;
}

NTSTATUS NTAPI LdrUnloadDll(PVOID DllHandle) {
    NTSTATUS status;
    WITH_LOADER_LOCK(status, LdrpUnloadDll(&LdrpLoader, DllHandle));
    return status;
}

NTSTATUS NTAPI LdrDisableThreadCalloutsForDll(PVOID DllHandle) {
    NTSTATUS status;
    WITH_LOADER_LOCK(status, LdrpDisableThreadCallouts(&LdrpLoader, DllHandle));
    return status;
}

NTSTATUS NTAPI LdrShutdownProcess(VOID) {
    NTSTATUS status;
    WITH_LOADER_LOCK(status, (LdrpShutdownProcess(&LdrpLoader), STATUS_SUCCESS));
    return status;
}

NTSTATUS NTAPI LdrShutdownThread(VOID) {
    NTSTATUS status;
    WITH_LOADER_LOCK(status, (LdrpCallThreadRoutines(&LdrpLoader, DLL_THREAD_DETACH), STATUS_SUCCESS));
    return status;
}
