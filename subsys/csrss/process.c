/*
 * process.c - the Win32 processes and threads csrss knows.
 *
 * Why: csrss must find a client again by its ClientId (which the kernel
 * writes into every message and no client can forge), know which threads
 * have quick-LPC servers, and forget everything when a client ends, so a
 * dying process cannot leave a server thread or a mapped window behind.
 * The list is short (one entry per Win32 process), so it is a plain list.
 */
#include "csrsrv.h"

RTL_CRITICAL_SECTION CsrProcessLock;
LIST_ENTRY CsrProcessList = {&CsrProcessList, &CsrProcessList};
ULONG CsrProcessCount;

PCSR_PROCESS CsrLockedFindProcess(HANDLE Pid) {
    for (PLIST_ENTRY e = CsrProcessList.Flink; e != &CsrProcessList; e = e->Flink) {
        PCSR_PROCESS p = CONTAINING_RECORD(e, CSR_PROCESS, Link);
        if (p->ClientId.UniqueProcess == Pid)
            return p;
    }
    return NULL;
}

PCSR_PROCESS CsrLockedInsertProcess(HANDLE Pid, HANDLE ProcessHandle) {
    PCSR_PROCESS p = RtlAllocateHeap(CsrHeap(), HEAP_ZERO_MEMORY, sizeof *p);
    if (!p) {
        NtClose(ProcessHandle);
        return NULL;
    }
    p->References = 1;
    p->ClientId.UniqueProcess = Pid;
    p->ProcessHandle = ProcessHandle;
    p->ShutdownLevel = 0x280; /* NT's default for applications */
    InitializeListHead(&p->ThreadList);
    InsertTailList(&CsrProcessList, &p->Link);
    CsrProcessCount++;
    return p;
}

VOID CsrReferenceProcess(PCSR_PROCESS Process) {
    __sync_add_and_fetch(&Process->References, 1);
}

VOID CsrDereferenceProcess(PCSR_PROCESS Process) {
    if (__sync_sub_and_fetch(&Process->References, 1) == 0) {
        if (Process->ProcessHandle) /* closed last: a request in progress may still use it */
            NtClose(Process->ProcessHandle);
        RtlFreeHeap(CsrHeap(), 0, Process);
    }
}

PCSR_THREAD CsrLockedFindThread(PCSR_PROCESS Process, CLIENT_ID Cid, BOOLEAN Create) {
    for (PLIST_ENTRY e = Process->ThreadList.Flink; e != &Process->ThreadList; e = e->Flink) {
        PCSR_THREAD t = CONTAINING_RECORD(e, CSR_THREAD, Link);
        if (t->ClientId.UniqueThread == Cid.UniqueThread)
            return t;
    }
    if (!Create || Cid.UniqueProcess != Process->ClientId.UniqueProcess)
        return NULL;
    PCSR_THREAD t = RtlAllocateHeap(CsrHeap(), HEAP_ZERO_MEMORY, sizeof *t);
    if (t) {
        t->ClientId = Cid;
        InsertTailList(&Process->ThreadList, &t->Link);
    }
    return t;
}

VOID CsrLockedRemoveThread(PCSR_PROCESS Process, PCSR_THREAD Thread) {
    if (Thread->Qlpc)
        CsrLockedQlpcStop(Process, Thread);
    RemoveEntryList(&Thread->Link);
    if (Thread->ThreadHandle)
        NtClose(Thread->ThreadHandle);
    RtlFreeHeap(CsrHeap(), 0, Thread);
}

VOID CsrRemoveProcess(PCSR_PROCESS Process) {
    CsrLock();
    if (Process->Removed) {
        CsrUnlock();
        return;
    }
    Process->Removed = TRUE;
    RemoveEntryList(&Process->Link);
    CsrProcessCount--;
    while (!IsListEmpty(&Process->ThreadList))
        CsrLockedRemoveThread(Process, CONTAINING_RECORD(Process->ThreadList.Flink, CSR_THREAD, Link));
    HANDLE port = Process->ServerPort;
    Process->ServerPort = NULL;
    Process->ConnectionId = 0;
    CsrUnlock();
    for (ULONG i = 0; i < CSR_SERVER_DLL_MAX; i++)
        if (CsrServerDlls[i] && CsrServerDlls[i]->DisconnectRoutine)
            CsrServerDlls[i]->DisconnectRoutine(Process);
    if (port)
        NtClose(port);              /* the client's later calls fail with STATUS_PORT_DISCONNECTED */
    CsrDereferenceProcess(Process); /* the list's reference */
}

ULONG CsrShutdownProcesses(VOID) {
    enum { MAX_SHUTDOWN = 64 };
    PCSR_PROCESS order[MAX_SHUTDOWN];
    ULONG n = 0, ended = 0;
    CsrLock();
    for (PLIST_ENTRY e = CsrProcessList.Flink; e != &CsrProcessList && n < MAX_SHUTDOWN; e = e->Flink) {
        PCSR_PROCESS p = CONTAINING_RECORD(e, CSR_PROCESS, Link);
        CsrReferenceProcess(p);
        ULONG i = n++; /* insertion sort: highest shutdown level first, as NT asks them */
        while (i > 0 && order[i - 1]->ShutdownLevel < p->ShutdownLevel) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = p;
    }
    CsrUnlock();
    for (ULONG i = 0; i < n; i++) {
        for (ULONG s = CSR_SERVER_DLL_MAX; s-- > 0;)
            if (CsrServerDlls[s] && CsrServerDlls[s]->ShutdownProcessRoutine &&
                CsrServerDlls[s]->ShutdownProcessRoutine(order[i])) {
                ended++;
                break;
            }
        CsrDereferenceProcess(order[i]);
    }
    return ended;
}
