/*
 * qlpc.c - quick LPC, NT 3.51's fast path to csrss: one server thread per
 * client GUI thread, a 64 KiB shared window and an event pair.
 *
 * Why: a full LPC call copies the message twice through the kernel and
 * wakes whichever request thread is free. Quick LPC copies nothing: the
 * client writes its request into a window both processes map, and
 * NtSetHighWaitLowEventPair hands the processor straight to its own csrss
 * thread, which runs the request in place and hands it back with
 * NtSetLowWaitHighEventPair (DESIGN.md section 7). The kernel's direct
 * handoff between the two halves of the pair is where the speed comes from;
 * both threads make the pair their own (NtSetInformationThread with
 * ThreadEventPair) and call NtSetHighWaitLowThread/NtSetLowWaitHighThread,
 * which look no handle up, as NT 3.51 did.
 *
 * Life cycle: CsrpThreadConnect duplicates the client's section and event
 * pair into csrss, maps the window and starts the server thread, which
 * holds a reference to the client's CSR_PROCESS. When the client thread
 * ends (LPC_CLIENT_DIED through its termination port) or its process goes,
 * CsrLockedQlpcStop sets Stop and the pair's high half; the server thread
 * wakes, releases a client still waiting with STATUS_PORT_DISCONNECTED,
 * unmaps the window, closes its handles and ends itself.
 */
#include "csrsrv.h"

#define DUPLICATE_SAME_ACCESS 0x2
#define VIEW_UNMAP 2
#define PAGE_READWRITE_ 0x04
#define QLPC_STACK_RESERVE (64 * 1024)
#define QLPC_STACK_COMMIT (8 * 1024)

typedef struct _CSR_QLPC_THREAD {
    HANDLE EventPair;
    HANDLE Section;
    volatile CSR_QLPC_MESSAGE *Window;
    PCSR_PROCESS Process; /* referenced */
    CLIENT_ID Client;     /* the client thread it serves */
    volatile LONG Stop;   /* set under the lock by CsrLockedQlpcStop */
} CSR_QLPC_THREAD, *PCSR_QLPC_THREAD;

/* Runs one request from the window; the header is read once. */
static VOID serve(PCSR_QLPC_THREAD Q) {
    volatile CSR_QLPC_MESSAGE *w = Q->Window;
    ULONG api = w->ApiNumber, length = w->Length;
    ULONG serverId = CSR_API_NUMBER_TO_SERVER_ID(api);
    const CSR_SERVER_DLL *dll = serverId < CSR_SERVER_DLL_MAX ? CsrServerDlls[serverId] : NULL;
    NTSTATUS status;
    if (!dll || !dll->QuickLpcDispatch)
        status = STATUS_INVALID_PARAMETER;
    else if (length > CSR_QLPC_DATA_MAX)
        status = STATUS_INVALID_PARAMETER;
    else
        status = dll->QuickLpcDispatch(Q->Process, CSR_API_NUMBER_TO_API_ID(api), (PUCHAR)w->Data, &length);
    if (length > CSR_QLPC_DATA_MAX)
        length = CSR_QLPC_DATA_MAX;
    w->ReturnValue = status;
    w->Length = length;
}

static NTSTATUS NTAPI qlpc_thread(PVOID Parameter) {
    PCSR_QLPC_THREAD q = Parameter;
    NTSTATUS status = NtWaitHighEventPair(q->EventPair);
    if (NT_SUCCESS(status)) /* the pair becomes this thread's own: no handle lookups per call */
        status =
            NtSetInformationThread(NtCurrentThread(), ThreadEventPair, &q->EventPair, sizeof q->EventPair);
    while (NT_SUCCESS(status) && !q->Stop) {
        serve(q);
        status = NtSetLowWaitHighThread();
    }
    CsrLock(); /* ending on its own (a bad event pair): the thread entry must forget it */
    if (!q->Stop) {
        PCSR_THREAD t = CsrLockedFindThread(q->Process, q->Client, FALSE);
        if (t && t->Qlpc == q) {
            t->Qlpc = NULL;
            q->Process->QlpcThreads--;
        }
    }
    CsrUnlock();
    q->Window->ReturnValue = STATUS_PORT_DISCONNECTED;
    NTSTATUS released = NtSetLowEventPair(q->EventPair); /* a client still waiting learns it */
    (void)released;                                      /* the pair may be the very handle that failed */
    NtUnmapViewOfSection(NtCurrentProcess(), (PVOID)q->Window);
    NtClose(q->Section);
    NtClose(q->EventPair);
    CsrDereferenceProcess(q->Process);
    RtlFreeHeap(CsrHeap(), 0, q);
    NtTerminateThread(NtCurrentThread(), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

NTSTATUS CsrQlpcConnect(PCSR_PROCESS Process, CLIENT_ID Thread, HANDLE ClientSection, HANDLE ClientEventPair,
                        PVOID *ServerWindow) {
    PCSR_QLPC_THREAD q = RtlAllocateHeap(CsrHeap(), HEAP_ZERO_MEMORY, sizeof *q);
    if (!q)
        return STATUS_NO_MEMORY;
    SIZE_T viewSize = CSR_QLPC_WINDOW_SIZE;
    PVOID window = NULL;
    NTSTATUS status = NtDuplicateObject(Process->ProcessHandle, ClientSection, NtCurrentProcess(),
                                        &q->Section, 0, 0, DUPLICATE_SAME_ACCESS);
    if (NT_SUCCESS(status))
        status = NtDuplicateObject(Process->ProcessHandle, ClientEventPair, NtCurrentProcess(), &q->EventPair,
                                   0, 0, DUPLICATE_SAME_ACCESS);
    /* A section smaller than the window fails here (STATUS_INVALID_VIEW_SIZE), a
     * handle of another type with STATUS_OBJECT_TYPE_MISMATCH. */
    if (NT_SUCCESS(status))
        status = NtMapViewOfSection(q->Section, NtCurrentProcess(), &window, 0, CSR_QLPC_WINDOW_SIZE, NULL,
                                    &viewSize, VIEW_UNMAP, 0, PAGE_READWRITE_);
    if (NT_SUCCESS(status) && viewSize < CSR_QLPC_WINDOW_SIZE)
        status = STATUS_INVALID_VIEW_SIZE;
    q->Window = window;
    q->Process = Process;
    q->Client = Thread;
    CsrLock();
    PCSR_THREAD t = CsrLockedFindThread(Process, Thread, FALSE);
    if (NT_SUCCESS(status) && (!t || t->Qlpc || Process->Removed))
        status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status) && Process->QlpcThreads >= CSR_MAX_QLPC_THREADS)
        status = STATUS_QUOTA_EXCEEDED;
    if (NT_SUCCESS(status)) {
        CsrReferenceProcess(Process);
        status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, QLPC_STACK_RESERVE,
                                     QLPC_STACK_COMMIT, (PVOID)qlpc_thread, q, NULL, NULL);
        if (NT_SUCCESS(status)) {
            t->Qlpc = q;
            Process->QlpcThreads++;
        } else {
            Process->References--; /* still listed: cannot reach zero */
        }
    }
    CsrUnlock();
    if (NT_SUCCESS(status)) {
        *ServerWindow = window;
        return STATUS_SUCCESS;
    }
    if (window)
        NtUnmapViewOfSection(NtCurrentProcess(), window);
    if (q->Section)
        NtClose(q->Section);
    if (q->EventPair)
        NtClose(q->EventPair);
    RtlFreeHeap(CsrHeap(), 0, q);
    return status;
}

VOID CsrLockedQlpcStop(PCSR_PROCESS Process, PCSR_THREAD Thread) {
    PCSR_QLPC_THREAD q = Thread->Qlpc;
    Thread->Qlpc = NULL;
    Process->QlpcThreads--;
    q->Stop = 1;
    NTSTATUS status = NtSetHighEventPair(q->EventPair); /* the server thread frees q once it wakes */
    (void)status;
}
