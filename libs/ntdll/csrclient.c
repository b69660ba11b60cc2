/*
 * csrclient.c - ntdll's half of the CSR protocol: connecting a process to
 * csrss, calling its APIs, capture buffers in the port view, and quick LPC.
 *
 * Why: every Win32 DLL that talks to csrss (kernel32 now, gdi32 and user32
 * later) goes through these few calls, as on NT, so a process has exactly
 * one connection to \Windows\ApiPort and one 64 KiB port view, whatever DLLs
 * it loads. The protocol itself is libs/include/csr/csrmsg.h.
 *
 * The port view: at connect time the client creates a 64 KiB section and
 * offers it with NtConnectPort; the kernel maps it into both processes and
 * reports both bases. Capture buffers are carved out of it with a small
 * first-fit allocator over 256-byte units (a bitmap under a spin lock: the
 * buffers live only for one call). Before a call the pointers in the
 * message that point into the capture buffer are rewritten to csrss's
 * addresses of the same bytes, and the capture buffer's list of pointer
 * positions becomes offsets into the message; csrss checks every one
 * against the view. After the reply both are turned back.
 *
 * Quick LPC: a thread's first CsrQuickLpcWindow creates its own 64 KiB
 * section and an event pair, registers the connection port as the thread's
 * termination port (so csrss hears LPC_CLIENT_DIED when the thread ends and
 * can stop the server thread), and asks csrss (CsrpThreadConnect) for a
 * dedicated server thread. The TEB's CsrClientThread points at the state;
 * the pair is also made the thread's own event pair, so each call is
 * NtSetHighWaitLowThread, NT 3.51's handle-free quick-LPC system call.
 */
#include <csr/csr.h>
#include <nt/ntapi.h>
#include <nt/ntcontext.h>
#include <nt/ntcrt.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

#include "ntdllp.h"

#define CSRP_UNIT 256
#define CSRP_UNITS (CSR_PORT_VIEW_SIZE / CSRP_UNIT)
#define CSRP_SECTION_ALL_ACCESS 0x000F001F
#define CSRP_EVENT_PAIR_ALL_ACCESS 0x001F0000
#define CSRP_PAGE_READWRITE 0x04
#define CSRP_SEC_COMMIT 0x08000000
#define CSRP_VIEW_UNMAP 2

static HANDLE CsrPortHandle;
static PCHAR CsrPortViewBase;      /* the view in this process */
static ULONG_PTR CsrPortViewDelta; /* csrss's address of a view byte minus ours */
static ULONG CsrProcessId;
static volatile LONG CsrConnectLock, CsrHeapLock;
static ULONG CsrUnitLength[CSRP_UNITS]; /* a block's length in units at its first unit; 0 = free */
static UCHAR CsrUnitUsed[CSRP_UNITS];

/* The per-thread quick-LPC state (TEB->CsrClientThread). */
typedef struct _CSRP_QLPC_THREAD {
    HANDLE Section;
    HANDLE EventPair;
    PVOID Window;
} CSRP_QLPC_THREAD, *PCSRP_QLPC_THREAD;

static VOID lock(volatile LONG *Lock) {
    while (__sync_lock_test_and_set(Lock, 1))
        NtYieldExecution();
}

static VOID unlock(volatile LONG *Lock) {
    __sync_lock_release(Lock);
}

/* First-fit over the units; returns the block or NULL. */
static PVOID view_alloc(ULONG Length) {
    ULONG units = (Length + CSRP_UNIT - 1) / CSRP_UNIT;
    if (units == 0 || units > CSRP_UNITS || !CsrPortViewBase)
        return NULL;
    lock(&CsrHeapLock);
    for (ULONG start = 0; start + units <= CSRP_UNITS;) {
        ULONG run = 0;
        while (run < units && !CsrUnitUsed[start + run])
            run++;
        if (run == units) {
            for (ULONG i = 0; i < units; i++)
                CsrUnitUsed[start + i] = 1;
            CsrUnitLength[start] = units;
            unlock(&CsrHeapLock);
            return CsrPortViewBase + start * CSRP_UNIT;
        }
        start += run + 1;
    }
    unlock(&CsrHeapLock);
    return NULL;
}

static VOID view_free(PVOID Block) {
    ULONG_PTR offset = (ULONG_PTR)((PCHAR)Block - CsrPortViewBase);
    if (!CsrPortViewBase || (PCHAR)Block < CsrPortViewBase || offset >= CSR_PORT_VIEW_SIZE ||
        offset % CSRP_UNIT)
        return;
    ULONG first = (ULONG)(offset / CSRP_UNIT);
    lock(&CsrHeapLock);
    ULONG units = CsrUnitLength[first];
    CsrUnitLength[first] = 0;
    for (ULONG i = 0; i < units && first + i < CSRP_UNITS; i++)
        CsrUnitUsed[first + i] = 0;
    unlock(&CsrHeapLock);
}

/* The one connection to \Windows\ApiPort, made on first use. */
static NTSTATUS connect_api_port(VOID) {
    if (CsrPortHandle)
        return STATUS_SUCCESS;
    lock(&CsrConnectLock);
    NTSTATUS status = STATUS_SUCCESS;
    if (!CsrPortHandle) {
        HANDLE section;
        LARGE_INTEGER size = {.QuadPart = CSR_PORT_VIEW_SIZE};
        status = NtCreateSection(&section, CSRP_SECTION_ALL_ACCESS, NULL, &size, CSRP_PAGE_READWRITE,
                                 CSRP_SEC_COMMIT, NULL);
        if (NT_SUCCESS(status)) {
            PORT_VIEW view = {sizeof(PORT_VIEW), section, 0, CSR_PORT_VIEW_SIZE, NULL, NULL};
            REMOTE_PORT_VIEW server = {sizeof(REMOTE_PORT_VIEW), 0, NULL};
            CSR_API_CONNECTINFO info = {CSR_VERSION, 0, NULL};
            ULONG infoLength = sizeof info;
            UNICODE_STRING name;
            HANDLE port;
            RtlInitUnicodeString(&name, CSR_API_PORT_NAME);
            status = NtConnectPort(&port, &name, NULL, &view, &server, NULL, &info, &infoLength);
            NtClose(section); /* the views keep it alive */
            if (NT_SUCCESS(status)) {
                CsrPortViewBase = view.ViewBase;
                CsrPortViewDelta = (ULONG_PTR)view.ViewRemoteBase - (ULONG_PTR)view.ViewBase;
                CsrProcessId = info.ServerProcessId;
                CsrPortHandle = port;
            }
        }
    }
    unlock(&CsrConnectLock);
    return status;
}

NTSTATUS NTAPI CsrClientConnectToServer(PWSTR ObjectDirectory, ULONG ServerId, PVOID ConnectionInformation,
                                        PULONG ConnectionInformationLength, PBOOLEAN ServerToServerCall) {
    (void)ObjectDirectory;
    if (ServerToServerCall)
        *ServerToServerCall = FALSE;
    if (ServerId >= CSR_SERVER_DLL_MAX)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = connect_api_port();
    if (!NT_SUCCESS(status) || ServerId == CSRSRV_SERVERDLL_INDEX || !ConnectionInformation)
        return status;
    ULONG length = ConnectionInformationLength ? *ConnectionInformationLength : 0;
    PCSR_CAPTURE_BUFFER cb = CsrAllocateCaptureBuffer(1, length);
    if (!cb)
        return STATUS_NO_MEMORY;
    CSR_API_MESSAGE m;
    m.u.ClientConnect.ServerId = ServerId;
    m.u.ClientConnect.ConnectionInformationLength = length;
    CsrCaptureMessageBuffer(cb, ConnectionInformation, length, &m.u.ClientConnect.ConnectionInformation);
    status = CsrClientCallServer(&m, cb, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpClientConnect),
                                 sizeof m.u.ClientConnect);
    if (NT_SUCCESS(status))
        memcpy(ConnectionInformation, m.u.ClientConnect.ConnectionInformation, length);
    CsrFreeCaptureBuffer(cb);
    return status;
}

PCSR_CAPTURE_BUFFER NTAPI CsrAllocateCaptureBuffer(ULONG CountMessagePointers, ULONG Length) {
    if (CountMessagePointers > CSR_MAX_CAPTURE_POINTERS || Length > CSR_PORT_VIEW_SIZE)
        return NULL;
    ULONG header = sizeof(CSR_CAPTURE_BUFFER) + CountMessagePointers * sizeof(ULONG_PTR);
    ULONG total = header + CountMessagePointers * 3 + Length; /* room for rounding each piece up to 4 */
    PCSR_CAPTURE_BUFFER cb = view_alloc(total);
    if (!cb)
        return NULL;
    cb->Length = total;
    cb->RelatedCaptureBuffer = NULL;
    cb->CountMessagePointers = 0;
    cb->FreeSpace = (PCHAR)cb + header;
    return cb;
}

VOID NTAPI CsrFreeCaptureBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer) {
    if (CaptureBuffer)
        view_free(CaptureBuffer);
}

ULONG NTAPI CsrAllocateMessagePointer(PCSR_CAPTURE_BUFFER CaptureBuffer, ULONG Length, PVOID *Pointer) {
    ULONG rounded = (Length + 3) & ~3u;
    PCHAR end = (PCHAR)CaptureBuffer + CaptureBuffer->Length;
    if (CaptureBuffer->CountMessagePointers >= CSR_MAX_CAPTURE_POINTERS ||
        rounded > (ULONG)(end - CaptureBuffer->FreeSpace)) {
        *Pointer = NULL;
        return 0;
    }
    *Pointer = CaptureBuffer->FreeSpace;
    CaptureBuffer->FreeSpace += rounded;
    /* Until the call, the entry holds the address of the message field. */
    CaptureBuffer->MessagePointerOffsets[CaptureBuffer->CountMessagePointers++] = (ULONG_PTR)Pointer;
    return rounded;
}

VOID NTAPI CsrCaptureMessageBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer, PVOID Buffer, ULONG Length,
                                   PVOID *CapturedBuffer) {
    if (CsrAllocateMessagePointer(CaptureBuffer, Length, CapturedBuffer) && Buffer && Length)
        memcpy(*CapturedBuffer, Buffer, Length);
}

VOID NTAPI CsrCaptureMessageString(PCSR_CAPTURE_BUFFER CaptureBuffer, PCSTR String, ULONG Length,
                                   ULONG MaximumLength, PSTRING CapturedString) {
    if (Length > MaximumLength)
        Length = MaximumLength;
    CapturedString->Length = 0;
    CapturedString->MaximumLength = 0;
    if (!CsrAllocateMessagePointer(CaptureBuffer, MaximumLength, (PVOID *)&CapturedString->Buffer))
        return;
    if (String && Length)
        memcpy(CapturedString->Buffer, String, Length);
    if (Length < MaximumLength)
        CapturedString->Buffer[Length] = 0;
    CapturedString->Length = (USHORT)Length;
    CapturedString->MaximumLength = (USHORT)MaximumLength;
}

/* Rewrites the message's capture pointers for csrss (ToServer) or back. */
static VOID convert_pointers(PCSR_API_MESSAGE Message, PCSR_CAPTURE_BUFFER CaptureBuffer, BOOLEAN ToServer) {
    for (ULONG i = 0; i < CaptureBuffer->CountMessagePointers; i++) {
        ULONG_PTR *entry = &CaptureBuffer->MessagePointerOffsets[i];
        PVOID *field;
        if (ToServer) {
            field = (PVOID *)*entry;
            *entry = (ULONG_PTR)((PCHAR)field - (PCHAR)Message);
        } else {
            field = (PVOID *)((PCHAR)Message + *entry);
            *entry = (ULONG_PTR)field;
        }
        if (*field)
            *field = (PCHAR)*field + (ToServer ? CsrPortViewDelta : -CsrPortViewDelta);
    }
    Message->CaptureBuffer =
        ToServer ? (PCSR_CAPTURE_BUFFER)((PCHAR)CaptureBuffer + CsrPortViewDelta) : CaptureBuffer;
}

NTSTATUS NTAPI CsrClientCallServer(PCSR_API_MESSAGE ApiMessage, PCSR_CAPTURE_BUFFER CaptureBuffer,
                                   ULONG ApiNumber, ULONG ArgumentLength) {
    if (ArgumentLength > sizeof ApiMessage->u)
        return ApiMessage->ReturnValue = STATUS_INVALID_PARAMETER;
    NTSTATUS status = connect_api_port();
    if (!NT_SUCCESS(status))
        return ApiMessage->ReturnValue = status;
    ApiMessage->h.DataLength = (USHORT)(CSR_API_MESSAGE_HEADER_SIZE - sizeof(PORT_MESSAGE) + ArgumentLength);
    ApiMessage->h.TotalLength = (USHORT)(CSR_API_MESSAGE_HEADER_SIZE + ArgumentLength);
    ApiMessage->h.Type = 0;
    ApiMessage->h.DataInfoOffset = 0;
    ApiMessage->h.ClientViewSize = 0;
    ApiMessage->ApiNumber = ApiNumber;
    ApiMessage->ReturnValue = STATUS_SUCCESS;
    ApiMessage->Reserved = 0;
    ApiMessage->CaptureBuffer = NULL;
    if (CaptureBuffer)
        convert_pointers(ApiMessage, CaptureBuffer, TRUE);
    status = NtRequestWaitReplyPort(CsrPortHandle, &ApiMessage->h, &ApiMessage->h);
    if (CaptureBuffer)
        convert_pointers(ApiMessage, CaptureBuffer, FALSE);
    if (!NT_SUCCESS(status))
        ApiMessage->ReturnValue = status;
    return ApiMessage->ReturnValue;
}

ULONG NTAPI CsrGetProcessId(VOID) {
    return CsrProcessId;
}

/* Makes the calling thread's quick-LPC state; NULL on any failure. */
static PCSRP_QLPC_THREAD qlpc_connect(VOID) {
    if (!NT_SUCCESS(connect_api_port()))
        return NULL;
    PCSRP_QLPC_THREAD q = RtlAllocateHeap(NtCurrentPeb()->ProcessHeap, HEAP_ZERO_MEMORY, sizeof *q);
    if (!q)
        return NULL;
    LARGE_INTEGER size = {.QuadPart = CSR_QLPC_WINDOW_SIZE};
    SIZE_T viewSize = 0;
    NTSTATUS status = NtCreateSection(&q->Section, CSRP_SECTION_ALL_ACCESS, NULL, &size, CSRP_PAGE_READWRITE,
                                      CSRP_SEC_COMMIT, NULL);
    if (NT_SUCCESS(status))
        status = NtMapViewOfSection(q->Section, NtCurrentProcess(), &q->Window, 0, 0, NULL, &viewSize,
                                    CSRP_VIEW_UNMAP, 0, CSRP_PAGE_READWRITE);
    if (NT_SUCCESS(status))
        status = NtCreateEventPair(&q->EventPair, CSRP_EVENT_PAIR_ALL_ACCESS, NULL);
    if (NT_SUCCESS(status)) /* the pair becomes the thread's own: no handle lookups per call */
        status =
            NtSetInformationThread(NtCurrentThread(), ThreadEventPair, &q->EventPair, sizeof q->EventPair);
    if (NT_SUCCESS(status))
        status = NtRegisterThreadTerminatePort(CsrPortHandle);
    if (NT_SUCCESS(status)) {
        CSR_API_MESSAGE m;
        m.u.ThreadConnect.SectionHandle = q->Section;
        m.u.ThreadConnect.EventPairHandle = q->EventPair;
        m.u.ThreadConnect.ServerWindowBase = NULL;
        status = CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpThreadConnect),
                                     sizeof m.u.ThreadConnect);
    }
    if (NT_SUCCESS(status))
        return q;
    if (q->Window)
        NtUnmapViewOfSection(NtCurrentProcess(), q->Window);
    if (q->Section)
        NtClose(q->Section);
    if (q->EventPair)
        NtClose(q->EventPair);
    RtlFreeHeap(NtCurrentPeb()->ProcessHeap, 0, q);
    return NULL;
}

PVOID NTAPI CsrQuickLpcWindow(VOID) {
    PTEB teb = NtCurrentTeb();
    if (!teb->CsrClientThread)
        teb->CsrClientThread = qlpc_connect();
    return teb->CsrClientThread ? ((PCSRP_QLPC_THREAD)teb->CsrClientThread)->Window : NULL;
}

NTSTATUS NTAPI CsrQuickLpcCall(VOID) {
    if (!NtCurrentTeb()->CsrClientThread)
        return STATUS_PORT_DISCONNECTED;
    return NtSetHighWaitLowThread();
}
