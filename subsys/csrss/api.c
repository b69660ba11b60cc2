/*
 * api.c - csrsrv's request threads: connections, client deaths, and the
 * checked dispatch of every CSR API message.
 *
 * Why: csrss serves every Win32 process, so nothing a client sends may
 * crash it or reach another client. A request thread loops on
 * NtReplyWaitReceivePort (answering the previous request and receiving the
 * next in one system call, as NT's CsrApiRequestThread does) and each
 * message goes through the same gate before a server module sees it:
 *
 *  1. the sender is found by the ClientId the kernel wrote, and the port
 *     context (a connection number, never a pointer) must match its entry;
 *  2. ApiNumber = (ServerId << 16) | ApiId must name a module and an API
 *     in that module's dispatch table;
 *  3. the message must carry at least the bytes that API's entry in the
 *     validation table asks for (bytes past what was sent are zero, never
 *     stale data from an earlier message);
 *  4. a capture buffer must lie inside the client's port view, its length
 *     and pointer count must be sane, and every pointer it lists must sit
 *     inside the API's arguments and point inside the buffer.
 *
 * A malformed request gets an error status; CSR_MAX_BAD_REQUESTS of them
 * in a row and the client is cut off (its connection is closed, so its
 * next call fails with STATUS_PORT_DISCONNECTED), as DESIGN.md section 8 asks.
 */
#include "csrsrv.h"

#ifndef STATUS_ILLEGAL_FUNCTION
#define STATUS_ILLEGAL_FUNCTION ((NTSTATUS)0xC00000AF)
#endif

#define CSR_CAPTURE_HEADER_SIZE (sizeof(CSR_CAPTURE_BUFFER) - sizeof(ULONG_PTR))

static volatile LONG CsrConnectionCounter;

/* The server modules. GDI is one of them only in NT 3.51's layout; the
 * GDI=kernel build (NT 4.0's) compiles csrss with CSRSS_GDI_IN_KERNEL and
 * without subsys/csrss/gdisrv or the engine. */
const CSR_SERVER_DLL *CsrServerDlls[CSR_SERVER_DLL_MAX] = {
    [CSRSRV_SERVERDLL_INDEX] = &CsrSrvServerDll,
    [BASESRV_SERVERDLL_INDEX] = &BaseSrvServerDll,
#ifndef CSRSS_GDI_IN_KERNEL
    [GDISRV_SERVERDLL_INDEX] = &GdiSrvServerDll,
#endif
};

/* The process a message came from: listed, with the same connection. */
static PCSR_PROCESS find_sender(PPORT_MESSAGE Message, PVOID Context) {
    PCSR_PROCESS p = CsrLockedFindProcess(Message->ClientId.UniqueProcess);
    return p && p->ConnectionId && p->ConnectionId == (ULONG)(ULONG_PTR)Context ? p : NULL;
}

/* Drops processes csrss was told about (BasepCreateProcess) that ended
 * without ever connecting. Lock not held. */
static VOID reap_unconnected(VOID) {
    LARGE_INTEGER now = {.QuadPart = 0};
    for (;;) {
        PCSR_PROCESS gone = NULL;
        CsrLock();
        for (PLIST_ENTRY e = CsrProcessList.Flink; e != &CsrProcessList; e = e->Flink) {
            PCSR_PROCESS p = CONTAINING_RECORD(e, CSR_PROCESS, Link);
            if (!p->Connected && NtWaitForSingleObject(p->ProcessHandle, FALSE, &now) == STATUS_SUCCESS) {
                gone = p;
                break;
            }
        }
        CsrUnlock();
        if (!gone)
            return;
        CsrRemoveProcess(gone);
    }
}

static VOID handle_connect(PCSR_API_MESSAGE Message) {
    PCSR_API_CONNECTINFO info = (PCSR_API_CONNECTINFO)((PCHAR)Message + sizeof(PORT_MESSAGE));
    HANDLE pid = Message->h.ClientId.UniqueProcess;
    HANDLE port = NULL;
    BOOLEAN accept = Message->h.DataLength >= sizeof *info && info->Version == CSR_VERSION;
    reap_unconnected();
    CsrLock();
    PCSR_PROCESS p = CsrLockedFindProcess(pid);
    if (p && p->Connected)
        accept = FALSE; /* one connection per process */
    if (accept && !p) {
        HANDLE process;
        OBJECT_ATTRIBUTES oa;
        CLIENT_ID cid = {pid, NULL};
        InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
        accept = NT_SUCCESS(NtOpenProcess(&process, PROCESS_ALL_ACCESS, &oa, &cid)) &&
                 (p = CsrLockedInsertProcess(pid, process)) != NULL;
    }
    ULONG id = 0;
    if (accept) {
        id = (ULONG)__sync_add_and_fetch(&CsrConnectionCounter, 1);
        if (id == 0)
            id = (ULONG)__sync_add_and_fetch(&CsrConnectionCounter, 1);
        info->ServerProcessId = (ULONG)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
        info->ServerViewBase = NULL;
    }
    REMOTE_PORT_VIEW view = {sizeof view, 0, NULL};
    NTSTATUS status = NtAcceptConnectPort(&port, (PVOID)(ULONG_PTR)id, &Message->h, accept, NULL, &view);
    if (accept && NT_SUCCESS(status)) {
        p->Connected = TRUE;
        p->ConnectionId = id;
        p->ServerPort = port;
        p->ViewBase = view.ViewBase;
        p->ViewSize = view.ViewBase ? view.ViewSize : 0;
    }
    CsrUnlock();
    if (accept && NT_SUCCESS(status)) {
        status = NtCompleteConnectPort(port);
        if (!NT_SUCCESS(status))
            CsrRemoveProcess(p);
    }
    if (!accept)
        DbgPrint("csrss: refused a connection from pid %u\n", (ULONG)(ULONG_PTR)pid);
}

/* LPC_CLIENT_DIED for one thread (its termination port) or LPC_PORT_CLOSED
 * for the whole connection. */
static VOID handle_death(PPORT_MESSAGE Message, PVOID Context) {
    CsrLock();
    PCSR_PROCESS p = find_sender(Message, Context);
    if (p && Message->Type == LPC_CLIENT_DIED) {
        PCSR_THREAD t = CsrLockedFindThread(p, Message->ClientId, FALSE);
        if (t)
            CsrLockedRemoveThread(p, t);
        p = NULL;
    }
    if (p)
        CsrReferenceProcess(p);
    CsrUnlock();
    if (p) {
        CsrRemoveProcess(p);
        CsrDereferenceProcess(p);
    }
}

/* Step 4: the capture buffer and its pointers. The buffer's header is read
 * once into locals; the client can rewrite its view at any time. */
static NTSTATUS validate_capture(PCSR_API_MESSAGE Message, PCSR_PROCESS Process, ULONG ArgumentLength,
                                 ULONG MaxPointers) {
    PCHAR cb = (PCHAR)Message->CaptureBuffer;
    PCHAR view = Process->ViewBase;
    SIZE_T viewSize = Process->ViewSize;
    if (!view || MaxPointers == 0 || ((ULONG_PTR)cb & 3) || cb < view ||
        (SIZE_T)(cb - view) > viewSize - CSR_CAPTURE_HEADER_SIZE)
        return STATUS_INVALID_PARAMETER;
    volatile CSR_CAPTURE_BUFFER *shared = (volatile CSR_CAPTURE_BUFFER *)cb;
    ULONG length = shared->Length;
    ULONG count = shared->CountMessagePointers;
    if (count > MaxPointers || length < CSR_CAPTURE_HEADER_SIZE + count * sizeof(ULONG_PTR) ||
        length > viewSize - (SIZE_T)(cb - view))
        return STATUS_INVALID_PARAMETER;
    for (ULONG i = 0; i < count; i++) {
        ULONG_PTR offset = shared->MessagePointerOffsets[i];
        if (offset < CSR_API_MESSAGE_HEADER_SIZE ||
            offset + sizeof(PVOID) > CSR_API_MESSAGE_HEADER_SIZE + ArgumentLength || (offset & 3))
            return STATUS_INVALID_PARAMETER;
        PCHAR pointer = *(PCHAR *)((PCHAR)Message + offset);
        if (pointer && (pointer < cb || pointer >= cb + length))
            return STATUS_INVALID_PARAMETER;
    }
    Message->Reserved = length; /* CsrValidateMessageBuffer's bound */
    return STATUS_SUCCESS;
}

BOOLEAN CsrValidateMessageBuffer(PCSR_API_MESSAGE Message, PVOID *Buffer, ULONG Count, ULONG Size) {
    PCHAR cb = (PCHAR)Message->CaptureBuffer, p = *Buffer;
    ULONG length = Message->Reserved;
    if (!cb || !p || p < cb || p > cb + length)
        return FALSE;
    unsigned long long bytes = (unsigned long long)Count * Size;
    return bytes <= (unsigned long long)(cb + length - p);
}

/* Steps 2-4 and the call; returns the client's status and counts bad requests. */
static NTSTATUS dispatch(PCSR_API_MESSAGE Message, PCSR_PROCESS Process) {
    ULONG serverId = CSR_API_NUMBER_TO_SERVER_ID(Message->ApiNumber);
    ULONG apiId = CSR_API_NUMBER_TO_API_ID(Message->ApiNumber);
    const CSR_SERVER_DLL *dll = serverId < CSR_SERVER_DLL_MAX ? CsrServerDlls[serverId] : NULL;
    NTSTATUS status = STATUS_SUCCESS;
    if (!dll || apiId >= dll->ApiCount || !dll->DispatchTable[apiId])
        status = STATUS_ILLEGAL_FUNCTION;
    else if (Message->h.DataLength <
             CSR_API_MESSAGE_HEADER_SIZE - sizeof(PORT_MESSAGE) + dll->ArgumentLength[apiId])
        status = STATUS_INVALID_PARAMETER;
    else if (Message->CaptureBuffer)
        status =
            validate_capture(Message, Process, dll->ArgumentLength[apiId], dll->MaxCapturePointers[apiId]);
    if (!NT_SUCCESS(status)) {
        Process->BadRequests++;
        return status;
    }
    Process->BadRequests = 0;
    return dll->DispatchTable[apiId](Message, Process);
}

NTSTATUS CsrApiRequestThread(PVOID Parameter) {
    (void)Parameter;
    CSR_API_MESSAGE m;
    PPORT_MESSAGE reply = NULL;
    for (;;) {
        PVOID context = NULL;
        NTSTATUS status = NtReplyWaitReceivePort(CsrApiPort, &context, reply, &m.h);
        reply = NULL;
        if (!NT_SUCCESS(status)) {
            if (status == STATUS_INVALID_HANDLE || status == STATUS_OBJECT_TYPE_MISMATCH)
                break; /* the port itself is gone */
            continue;  /* a reply to a client that died meanwhile */
        }
        /* Bytes past TotalLength are left from an earlier message; nothing
         * reads them: every API's arguments must have arrived in full
         * (step 3), and capture pointers may only sit inside them. */
        switch (m.h.Type) {
        case LPC_CONNECTION_REQUEST: handle_connect(&m); break;
        case LPC_CLIENT_DIED:
        case LPC_PORT_CLOSED: handle_death(&m.h, context); break;
        case LPC_REQUEST: {
            CsrLock();
            PCSR_PROCESS p = find_sender(&m.h, context);
            if (p)
                CsrReferenceProcess(p);
            CsrUnlock();
            if (!p) {
                m.ReturnValue = STATUS_PORT_DISCONNECTED;
                reply = &m.h;
                break;
            }
            if (m.h.TotalLength < CSR_API_MESSAGE_HEADER_SIZE) {
                m.ReturnValue = STATUS_INVALID_PARAMETER;
                p->BadRequests++;
            } else {
                m.ReturnValue = dispatch(&m, p);
            }
            if (p->BadRequests >= CSR_MAX_BAD_REQUESTS) {
                static ULONG cutOffs;
                if (cutOffs++ % 100 == 0) /* a client that keeps coming back must not flood the log */
                    DbgPrint(
                        "csrss: pid %u sent %u malformed requests in a row; disconnecting it (%u so far)\n",
                        (ULONG)(ULONG_PTR)p->ClientId.UniqueProcess, p->BadRequests, cutOffs);
                if (!NT_SUCCESS(NtReplyPort(CsrApiPort, &m.h)))
                    DbgPrint("csrss: the last reply to pid %u was lost\n",
                             (ULONG)(ULONG_PTR)p->ClientId.UniqueProcess);
                CsrRemoveProcess(p);
            } else {
                reply = &m.h;
            }
            CsrDereferenceProcess(p);
            break;
        }
        default: /* datagrams and anything else carry no request csrss serves */ break;
        }
    }
    NtTerminateThread(NtCurrentThread(), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

/* ---- csrsrv's own APIs ---- */

static NTSTATUS CsrSrvClientConnect(PCSR_API_MESSAGE Message, PCSR_PROCESS Process) {
    CSR_CLIENT_CONNECT_MSG *a = &Message->u.ClientConnect;
    ULONG serverId = a->ServerId, length = a->ConnectionInformationLength;
    UCHAR copy[128];
    const CSR_SERVER_DLL *dll = serverId < CSR_SERVER_DLL_MAX ? CsrServerDlls[serverId] : NULL;
    if (!dll)
        return STATUS_ILLEGAL_FUNCTION;
    if (length > sizeof copy || !CsrValidateMessageBuffer(Message, &a->ConnectionInformation, length, 1))
        return STATUS_INVALID_PARAMETER;
    memcpy(copy, a->ConnectionInformation, length);
    NTSTATUS status = dll->ConnectRoutine ? dll->ConnectRoutine(Process, copy, length) : STATUS_SUCCESS;
    if (NT_SUCCESS(status)) {
        memcpy(a->ConnectionInformation, copy, length);
        CsrLock();
        Process->ConnectedServers |= 1u << serverId;
        CsrUnlock();
    }
    return status;
}

static NTSTATUS CsrSrvThreadConnect(PCSR_API_MESSAGE Message, PCSR_PROCESS Process) {
    CSR_THREAD_CONNECT_MSG *a = &Message->u.ThreadConnect;
    CsrLock();
    PCSR_THREAD t = CsrLockedFindThread(Process, Message->h.ClientId, TRUE);
    BOOLEAN busy = t && t->Qlpc;
    CsrUnlock();
    if (!t)
        return STATUS_NO_MEMORY;
    if (busy)
        return STATUS_INVALID_PARAMETER; /* one quick-LPC server per thread */
    return CsrQlpcConnect(Process, Message->h.ClientId, a->SectionHandle, a->EventPairHandle,
                          &a->ServerWindowBase);
}

static NTSTATUS CsrSrvNullApi(PCSR_API_MESSAGE Message, PCSR_PROCESS Process) {
    (void)Process;
    Message->u.NullApi.Value++;
    return STATUS_SUCCESS;
}

static NTSTATUS CsrSrvChecksum(PCSR_API_MESSAGE Message, PCSR_PROCESS Process) {
    (void)Process;
    CSR_CHECKSUM_MSG *a = &Message->u.Checksum;
    if (!CsrValidateMessageBuffer(Message, &a->Buffer, a->Length, 1))
        return STATUS_INVALID_PARAMETER;
    ULONG sum = 0;
    const volatile UCHAR *p = a->Buffer;
    for (ULONG i = 0; i < a->Length; i++)
        sum += p[i];
    a->Sum = sum;
    return STATUS_SUCCESS;
}

static NTSTATUS CsrSrvQuickLpc(PCSR_PROCESS Process, ULONG ApiId, PUCHAR Data, PULONG Length) {
    (void)Process;
    if (ApiId != CSRSRV_QLPC_NULL)
        return STATUS_ILLEGAL_FUNCTION;
    if (*Length >= sizeof(ULONG))
        ((volatile ULONG *)Data)[0]++;
    return STATUS_SUCCESS;
}

#define CSRSRV_LENGTH(Name, Type, Field) [Name] = sizeof(Type),
static const PCSR_API_ROUTINE CsrSrvDispatch[CsrpMaxApiNumber] = {
    [CsrpClientConnect] = CsrSrvClientConnect,
    [CsrpThreadConnect] = CsrSrvThreadConnect,
    [CsrpNullApi] = CsrSrvNullApi,
    [CsrpChecksum] = CsrSrvChecksum,
};
static const USHORT CsrSrvArgumentLength[CsrpMaxApiNumber] = {CSRSRV_API_LIST(CSRSRV_LENGTH)};
static const UCHAR CsrSrvMaxCapturePointers[CsrpMaxApiNumber] = {[CsrpClientConnect] = 1, [CsrpChecksum] = 1};

const CSR_SERVER_DLL CsrSrvServerDll = {
    .Name = "csrsrv",
    .ServerId = CSRSRV_SERVERDLL_INDEX,
    .ApiCount = CsrpMaxApiNumber,
    .DispatchTable = CsrSrvDispatch,
    .ArgumentLength = CsrSrvArgumentLength,
    .MaxCapturePointers = CsrSrvMaxCapturePointers,
    .QuickLpcDispatch = CsrSrvQuickLpc,
};
