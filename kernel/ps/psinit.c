/*
 * psinit.c - the process and thread object types, and the first processes.
 *
 * Why: NT has two processes before any image runs: the idle process (the
 * boot thread, idling) and the System process, home of the kernel's own
 * threads and of every handle kernel code opens. The System process is a real
 * Process object; the idle process is not an object (nothing can open it).
 */
#define KD_COMPONENT "ps"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"

#define PROCESS_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFF)
#define THREAD_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3FF)
#define SYSTEM_PROCESS_ID ((HANDLE)4)

POBJECT_TYPE PsProcessType, PsThreadType;
EPROCESS PsIdleProcess;
PEPROCESS PsInitialSystemProcess;

VOID PspDeleteProcess(PVOID Object);
VOID PspDeleteThread(PVOID Object);
VOID PspTerminatePendingThread(VOID);
VOID PspUserException(NTSTATUS Code);
VOID PspReapThreads(VOID);
extern LIST_ENTRY PsActiveProcessHead;

static VOID init_process_lists(PEPROCESS P) {
    InitializeListHead(&P->VadListHead);
    InitializeListHead(&P->ThreadListHead);
    InitializeListHead(&P->ActiveProcessLinks);
}

NTSTATUS PsInitSystem(VOID) {
    OBJECT_TYPE init = {.PoolTag = NT_TAG('P', 'r', 'o', 'c'),
                        .ValidAccessMask = PROCESS_ALL_ACCESS,
                        .DeleteProcedure = PspDeleteProcess,
                        .GenericMapping = {STANDARD_RIGHTS_REQUIRED | 0x410, STANDARD_RIGHTS_REQUIRED | 0xBEA,
                                           SYNCHRONIZE | READ_CONTROL, PROCESS_ALL_ACCESS},
                        .DispatcherOffset = (LONG)offsetof(EPROCESS, Pcb.Header)};
    NTSTATUS status = ObCreateObjectType(L"Process", &init, &PsProcessType);
    if (!NT_SUCCESS(status))
        return status;
    init.PoolTag = NT_TAG('T', 'h', 'r', 'e');
    init.ValidAccessMask = THREAD_ALL_ACCESS;
    init.GenericMapping = (GENERIC_MAPPING){STANDARD_RIGHTS_REQUIRED | 0x48, STANDARD_RIGHTS_REQUIRED | 0x37,
                                            SYNCHRONIZE | READ_CONTROL, THREAD_ALL_ACCESS};
    init.DispatcherOffset = (LONG)offsetof(ETHREAD, Tcb.Header);
    init.DeleteProcedure = PspDeleteThread;
    status = ObCreateObjectType(L"Thread", &init, &PsThreadType);
    if (!NT_SUCCESS(status))
        return status;

    KeInitializeProcess(&PsIdleProcess.Pcb, LOW_PRIORITY, KiReadCr3());
    init_process_lists(&PsIdleProcess);
    RtlStringCopy(PsIdleProcess.ImageFileName, "Idle", PROCESS_IMAGE_NAME);
    status = ObInitializeHandleTable(&PsIdleProcess.ObjectTable);
    if (!NT_SUCCESS(status))
        return status;

    PEPROCESS sys;
    status = ObCreateObject(PsProcessType, sizeof(EPROCESS), (PVOID *)&sys);
    if (!NT_SUCCESS(status))
        return status;
    KeInitializeProcess(&sys->Pcb, 8, KiReadCr3());
    init_process_lists(sys);
    sys->UniqueProcessId = SYSTEM_PROCESS_ID;
    sys->IsSystem = TRUE;
    RtlStringCopy(sys->ImageFileName, "System", PROCESS_IMAGE_NAME);
    status = ObInitializeHandleTable(&sys->ObjectTable);
    if (!NT_SUCCESS(status))
        return status;
    PsInitialSystemProcess = sys;
    InsertTailList(&PsActiveProcessHead, &sys->ActiveProcessLinks); /* listed, as NT lists "System" */
    KeExecutiveCallbacks.TerminatePendingThread = PspTerminatePendingThread;
    KeExecutiveCallbacks.UserException = PspUserException;
    KeExecutiveCallbacks.IdleWork = PspReapThreads;
    KdPrint("System process (pid %u) and the Process and Thread types are ready",
            (ULONG)(ULONG_PTR)sys->UniqueProcessId);
    return STATUS_SUCCESS;
}
