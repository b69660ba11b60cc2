/*
 * basesrv.c - the base server module: what kernel32 tells csrss about
 * processes and threads, and the base half of shutdown.
 *
 * Why: on NT, kernel32 makes processes and threads itself with Nt*
 * services, then reports them to csrss (BasepCreateProcess,
 * BasepCreateThread) so the Win32 subsystem can track them; ExitProcess
 * says goodbye first (BasepExitProcess). A report names the caller's
 * handles: basesrv duplicates them out of the caller's process and asks
 * the kernel whose they really are, so a client cannot register a process
 * or thread under someone else's id. Shutdown levels (NT's
 * SetProcessShutdownParameters) order the processes at shutdown.
 */
#include "../csrsrv.h"

#ifndef STATUS_REVISION_MISMATCH
#define STATUS_REVISION_MISMATCH ((NTSTATUS)0xC0000059)
#endif
#define DUPLICATE_SAME_ACCESS 0x2
#define SHUTDOWN_LEVEL_MAX 0x4FF
#define SHUTDOWN_EXIT_STATUS ((NTSTATUS)0x40010004) /* NT's DBG_TERMINATE_PROCESS */

/* Duplicates the caller's Handle into csrss; NULL on failure. */
static HANDLE take_handle(PCSR_PROCESS Caller, HANDLE Handle) {
    HANDLE mine = NULL;
    if (!NT_SUCCESS(NtDuplicateObject(Caller->ProcessHandle, Handle, NtCurrentProcess(), &mine, 0, 0,
                                      DUPLICATE_SAME_ACCESS)))
        return NULL;
    return mine;
}

/* The thread's real ClientId; FALSE if Thread is not a thread handle. */
static BOOLEAN thread_identity(HANDLE Thread, PCLIENT_ID Cid) {
    THREAD_BASIC_INFORMATION tbi;
    if (!NT_SUCCESS(NtQueryInformationThread(Thread, ThreadBasicInformation, &tbi, sizeof tbi, NULL)))
        return FALSE;
    *Cid = tbi.ClientId;
    return TRUE;
}

static NTSTATUS BaseSrvCreateProcess(PCSR_API_MESSAGE Message, PCSR_PROCESS Caller) {
    BASE_CREATEPROCESS_MSG *a = &Message->u.CreateProcess;
    HANDLE process = take_handle(Caller, a->ProcessHandle);
    HANDLE thread = process ? take_handle(Caller, a->ThreadHandle) : NULL;
    PROCESS_BASIC_INFORMATION pbi;
    CLIENT_ID cid;
    NTSTATUS status = STATUS_INVALID_HANDLE;
    if (thread &&
        NT_SUCCESS(NtQueryInformationProcess(process, ProcessBasicInformation, &pbi, sizeof pbi, NULL)) &&
        thread_identity(thread, &cid) && cid.UniqueProcess == (HANDLE)pbi.UniqueProcessId)
        status = STATUS_SUCCESS;
    if (!NT_SUCCESS(status)) {
        if (process)
            NtClose(process);
        if (thread)
            NtClose(thread);
        return status;
    }
    CsrLock();
    PCSR_PROCESS p = CsrLockedFindProcess(cid.UniqueProcess);
    if (p) {
        NtClose(process); /* already known (it connected first): keep the entry's handle */
    } else {
        p = CsrLockedInsertProcess(cid.UniqueProcess, process);
    }
    PCSR_THREAD t = p ? CsrLockedFindThread(p, cid, TRUE) : NULL;
    if (t && !t->ThreadHandle) {
        t->ThreadHandle = thread;
        thread = NULL;
    }
    if (p) {
        p->ShutdownLevel = Caller->ShutdownLevel; /* inherited, as NT does */
    }
    CsrUnlock();
    if (thread)
        NtClose(thread);
    if (!p || !t)
        return STATUS_NO_MEMORY;
    a->ClientId = cid;
    return STATUS_SUCCESS;
}

static NTSTATUS BaseSrvCreateThread(PCSR_API_MESSAGE Message, PCSR_PROCESS Caller) {
    BASE_CREATETHREAD_MSG *a = &Message->u.CreateThread;
    HANDLE thread = take_handle(Caller, a->ThreadHandle);
    CLIENT_ID cid;
    if (!thread)
        return STATUS_INVALID_HANDLE;
    if (!thread_identity(thread, &cid) || cid.UniqueProcess != Caller->ClientId.UniqueProcess) {
        NtClose(thread);
        return STATUS_INVALID_HANDLE; /* only the caller's own threads */
    }
    CsrLock();
    PCSR_THREAD t = Caller->Removed ? NULL : CsrLockedFindThread(Caller, cid, TRUE);
    if (t && !t->ThreadHandle) {
        t->ThreadHandle = thread;
        thread = NULL;
    }
    CsrUnlock();
    if (thread)
        NtClose(thread);
    if (!t)
        return STATUS_NO_MEMORY;
    a->ClientId = cid;
    return STATUS_SUCCESS;
}

static NTSTATUS BaseSrvExitProcess(PCSR_API_MESSAGE Message, PCSR_PROCESS Caller) {
    CsrLock();
    Caller->Exiting = TRUE;
    Caller->ExitCode = Message->u.ExitProcess.ExitCode;
    CsrUnlock();
    return STATUS_SUCCESS;
}

static NTSTATUS BaseSrvShutdownParam(PCSR_API_MESSAGE Message, PCSR_PROCESS Caller) {
    BASE_SHUTDOWNPARAM_MSG *a = &Message->u.ShutdownParam;
    if (a->ShutdownLevel > SHUTDOWN_LEVEL_MAX)
        return STATUS_INVALID_PARAMETER;
    CsrLock();
    Caller->ShutdownLevel = a->ShutdownLevel;
    Caller->ShutdownFlags = a->ShutdownFlags;
    CsrUnlock();
    return STATUS_SUCCESS;
}

static NTSTATUS BaseSrvShutdownParamQuery(PCSR_API_MESSAGE Message, PCSR_PROCESS Caller) {
    CsrLock();
    Message->u.ShutdownParamQuery.ShutdownLevel = Caller->ShutdownLevel;
    Message->u.ShutdownParamQuery.ShutdownFlags = Caller->ShutdownFlags;
    CsrUnlock();
    return STATUS_SUCCESS;
}

static NTSTATUS BaseSrvConnect(PCSR_PROCESS Process, PVOID Info, ULONG Length) {
    (void)Process;
    PBASESRV_API_CONNECTINFO info = Info;
    if (Length < sizeof *info)
        return STATUS_INVALID_PARAMETER;
    if (info->ExpectedVersion != BASESRV_VERSION)
        return STATUS_REVISION_MISMATCH;
    CsrLock();
    info->ProcessCount = CsrProcessCount;
    CsrUnlock();
    return STATUS_SUCCESS;
}

/* Shutdown: a Win32 process is ended outright (no console or window to
 * ask yet). */
static BOOLEAN BaseSrvShutdownProcess(PCSR_PROCESS Process) {
    return Process->ProcessHandle &&
           NT_SUCCESS(NtTerminateProcess(Process->ProcessHandle, SHUTDOWN_EXIT_STATUS));
}

#define BASESRV_ROUTINE(Name, Type, Field) [Name] = BaseSrv##Field,
#define BASESRV_LENGTH(Name, Type, Field) [Name] = sizeof(Type),
static const PCSR_API_ROUTINE BaseSrvDispatch[BasepMaxApiNumber] = {BASESRV_API_LIST(BASESRV_ROUTINE)};
static const USHORT BaseSrvArgumentLength[BasepMaxApiNumber] = {BASESRV_API_LIST(BASESRV_LENGTH)};
static const UCHAR BaseSrvMaxCapturePointers[BasepMaxApiNumber] = {0}; /* no basesrv API takes pointers */

const CSR_SERVER_DLL BaseSrvServerDll = {
    .Name = "basesrv",
    .ServerId = BASESRV_SERVERDLL_INDEX,
    .ApiCount = BasepMaxApiNumber,
    .DispatchTable = BaseSrvDispatch,
    .ArgumentLength = BaseSrvArgumentLength,
    .MaxCapturePointers = BaseSrvMaxCapturePointers,
    .ConnectRoutine = BaseSrvConnect,
    .ShutdownProcessRoutine = BaseSrvShutdownProcess,
};
