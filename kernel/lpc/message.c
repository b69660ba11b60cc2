/*
 * message.c - LPC messages: datagrams, request/reply, and the server's
 * receive loop (NtRequestPort, NtRequestWaitReplyPort, NtReplyPort,
 * NtReplyWaitReceivePort, NtListenPort).
 *
 * Why: every message is copied from the sender into a kernel pool buffer,
 * its header checked and its identity (ClientId, MessageId, Type) written
 * by the kernel, and copied out to the receiver; nothing in one process's
 * memory is ever referenced on behalf of another. A reply is accepted only
 * when a thread is really waiting for that MessageId from that ClientId on
 * a queue the replier serves. Each message sent and each byte of message
 * data copied in or out is counted (KeCountEvent, kernel/ke/counters.c).
 */
#include "lpcp.h"

LIST_ENTRY LpcpWaiters = {&LpcpWaiters, &LpcpWaiters};
static ULONG LpcpMessageIdCounter;

CLIENT_ID LpcpCurrentClientId(VOID) {
    PKTHREAD t = KeGetCurrentThread();
    CLIENT_ID cid = {PsGetCurrentProcess()->UniqueProcessId, NULL};
    /* A thread with a TEB was made by PspCreateThread and is an ETHREAD;
     * kernel test threads are bare KTHREADs, named by their address. */
    cid.UniqueThread = t->Teb ? CONTAINING_RECORD(t, ETHREAD, Tcb)->Cid.UniqueThread : (HANDLE)t;
    return cid;
}

ULONG LpcpNextMessageId(VOID) {
    if (++LpcpMessageIdCounter == 0)
        LpcpMessageIdCounter = 1; /* 0 means "no message" */
    return LpcpMessageIdCounter;
}

/* Message buffers come from a zone before the pool, as NT 3.51's did
 * (LpcpZone): a request and its reply are two buffers per round trip, and
 * a pool allocation and free cost as much as the rest of the kernel's work
 * on a null message. The zone is a fixed array, threaded on a free list
 * through the buffers' own Entry.Flink, changed under the LPC lock; when it
 * is used up, buffers come from the pool and go back to it. Being outside
 * the pool, the zone never shows as LpcM pool in use, so the tests' leak
 * checks still see every buffer that overflowed it. */
#define LPCP_ZONE_MESSAGES 16
static LPCP_MESSAGE LpcpZone[LPCP_ZONE_MESSAGES];
static PLPCP_MESSAGE LpcpZoneFree;

VOID LpcpInitializeZone(VOID) {
    for (ULONG i = 0; i < LPCP_ZONE_MESSAGES; i++) {
        LpcpZone[i].Entry.Flink = (PLIST_ENTRY)LpcpZoneFree;
        LpcpZoneFree = &LpcpZone[i];
    }
}

/* A buffer with nothing initialized. */
static PLPCP_MESSAGE allocate_raw(VOID) {
    ULONG s = LpcpLock();
    PLPCP_MESSAGE m = LpcpZoneFree;
    if (m)
        LpcpZoneFree = (PLPCP_MESSAGE)m->Entry.Flink;
    LpcpUnlock(s);
    return m ? m : ExAllocatePoolWithTag(NonPagedPool, sizeof(LPCP_MESSAGE), LPCP_MESSAGE_TAG);
}

/* Only the header and PortContext are cleared: the data bytes are always
 * written before they are read (DataLength of them, copied in). */
PLPCP_MESSAGE LpcpAllocateMessage(VOID) {
    PLPCP_MESSAGE m = allocate_raw();
    if (m) {
        m->PortContext = NULL;
        m->Header = (PORT_MESSAGE){0};
    }
    return m;
}

VOID LpcpFreeMessage(PLPCP_MESSAGE Message) {
    if (Message < LpcpZone || Message >= LpcpZone + LPCP_ZONE_MESSAGES) {
        ExFreePoolWithTag(Message, LPCP_MESSAGE_TAG);
        return;
    }
    ULONG s = LpcpLock();
    Message->Entry.Flink = (PLIST_ENTRY)LpcpZoneFree;
    LpcpZoneFree = Message;
    LpcpUnlock(s);
}

NTSTATUS LpcpCaptureMessage(const PORT_MESSAGE *CallerMessage, ULONG MaxLength, PLPCP_MESSAGE *Captured) {
    PORT_MESSAGE h;
    NTSTATUS status = ExCopyFromCaller(&h, CallerMessage, sizeof h);
    if (!NT_SUCCESS(status))
        return status;
    if (h.TotalLength > MaxLength || h.DataLength > MaxLength - sizeof(PORT_MESSAGE))
        return STATUS_PORT_MESSAGE_TOO_LONG;
    if ((ULONG)h.TotalLength != (ULONG)h.DataLength + sizeof(PORT_MESSAGE))
        return STATUS_INVALID_PARAMETER;
    PLPCP_MESSAGE m = allocate_raw(); /* every header field is written below or by the caller */
    if (!m)
        return STATUS_INSUFFICIENT_RESOURCES;
    m->PortContext = NULL;
    m->Header = h;
    /* The data is read again from the caller: what was checked is the
     * header copy, and only DataLength bytes go into the buffer. */
    status = ExCopyFromCaller(m->Bytes + sizeof(PORT_MESSAGE), (const UCHAR *)CallerMessage + sizeof(PORT_MESSAGE),
                              h.DataLength);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        return status;
    }
    m->Header.DataInfoOffset = 0;
    m->Header.ClientViewSize = 0;
    m->Header.ClientId = LpcpCurrentClientId(); /* never the sender's word */
    KeCountEvent(BytesCopied, h.DataLength);
    *Captured = m;
    return STATUS_SUCCESS;
}

NTSTATUS LpcpEnqueue(PLPCP_PORT_OBJECT Port, PLPCP_MESSAGE Message) {
    if (Port->Closed)
        return STATUS_PORT_DISCONNECTED;
    if (Port->QueueDepth >= LPCP_MAX_QUEUED)
        return STATUS_INSUFFICIENT_RESOURCES;
    LONG previous;
    NTSTATUS status = KeReleaseSemaphore(&Port->Semaphore, 1, 1, &previous);
    if (!NT_SUCCESS(status))
        return status;
    InsertTailList(&Port->MsgQueue, &Message->Entry);
    Port->QueueDepth++;
    KeCountEvent(LpcMessages, 1); /* every kind of message that goes on a queue */
    return STATUS_SUCCESS;
}

VOID LpcpWakeWaiter(PLPCP_WAITER Waiter, NTSTATUS Status) {
    if (!Waiter->Linked)
        return;
    RemoveEntryList(&Waiter->Link);
    Waiter->Linked = FALSE;
    if (Waiter->ServerPort && Waiter->ServerPort->ConnectWaiter == Waiter)
        Waiter->ServerPort->ConnectWaiter = NULL;
    Waiter->Status = Status;
    KeSetEvent(&Waiter->Event, EVENT_INCREMENT, FALSE);
}

NTSTATUS LpcpWait(PLPCP_WAITER Waiter) {
    NTSTATUS status = KeWaitForSingleObject(&Waiter->Event, KeGetPreviousMode(), FALSE, NULL);
    ULONG s = LpcpLock();
    if (Waiter->Linked) { /* the wait was broken (thread termination): nobody woke us */
        RemoveEntryList(&Waiter->Link);
        Waiter->Linked = FALSE;
        if (Waiter->ServerPort && Waiter->ServerPort->ConnectWaiter == Waiter)
            Waiter->ServerPort->ConnectWaiter = NULL;
        Waiter->Status = NT_SUCCESS(status) ? STATUS_PORT_DISCONNECTED : status;
    }
    LpcpUnlock(s);
    return Waiter->Status;
}

PLPCP_PORT_OBJECT LpcpSendTarget(PLPCP_PORT_OBJECT Port) {
    if (Port->Closed || !Port->ConnectedPort)
        return NULL;
    if (Port->Kind == LPCP_CLIENT_COMMUNICATION)
        return Port->ConnectionPort->Closed ? NULL : Port->ConnectionPort;
    if (Port->Kind == LPCP_SERVER_COMMUNICATION)
        return Port->ConnectedPort;
    return NULL;
}

PLPCP_PORT_OBJECT LpcpReceiveQueue(PLPCP_PORT_OBJECT Port) {
    return Port->Kind == LPCP_SERVER_COMMUNICATION ? Port->ConnectionPort : Port;
}

static NTSTATUS port_by_handle(HANDLE Handle, PLPCP_PORT_OBJECT *Port) {
    return ObReferenceObjectByHandle(Handle, 0, LpcPortObjectType, KeGetPreviousMode(), (PVOID *)Port, NULL);
}

/* A connection port's queue and replies belong to the process that created
 * it: a handle to it obtained any other way (OBJ_OPENIF on its name) must
 * not let another process receive or answer its clients' messages. */
static NTSTATUS server_port_by_handle(HANDLE Handle, PLPCP_PORT_OBJECT *Port) {
    NTSTATUS status = port_by_handle(Handle, Port);
    if (NT_SUCCESS(status) && (*Port)->Kind == LPCP_CONNECTION_PORT && (*Port)->ServerProcess != PsGetCurrentProcess()) {
        ObDereferenceObject(*Port);
        return STATUS_ACCESS_DENIED;
    }
    return status;
}

/* The PortContext of the server end a message from Port is addressed to. */
static PVOID context_for(PLPCP_PORT_OBJECT Port) {
    return Port->Kind == LPCP_CLIENT_COMMUNICATION && Port->ConnectedPort ? Port->ConnectedPort->PortContext : NULL;
}

NTSTATUS NTAPI NtRequestPort(HANDLE PortHandle, PPORT_MESSAGE RequestMessage) {
    PLPCP_PORT_OBJECT port;
    NTSTATUS status = port_by_handle(PortHandle, &port);
    if (!NT_SUCCESS(status))
        return status;
    PLPCP_MESSAGE m;
    status = LpcpCaptureMessage(RequestMessage, port->MaxMessageLength, &m);
    if (NT_SUCCESS(status)) {
        ULONG s = LpcpLock();
        PLPCP_PORT_OBJECT target = LpcpSendTarget(port);
        m->Header.Type = LPC_DATAGRAM;
        m->Header.MessageId = LpcpNextMessageId();
        m->PortContext = context_for(port);
        status = target ? LpcpEnqueue(target, m) : STATUS_PORT_DISCONNECTED;
        LpcpUnlock(s);
        if (!NT_SUCCESS(status))
            LpcpFreeMessage(m);
    }
    ObDereferenceObject(port);
    return status;
}

NTSTATUS NTAPI NtRequestWaitReplyPort(HANDLE PortHandle, PPORT_MESSAGE RequestMessage, PPORT_MESSAGE ReplyMessage) {
    PLPCP_PORT_OBJECT port;
    NTSTATUS status = port_by_handle(PortHandle, &port);
    if (!NT_SUCCESS(status))
        return status;
    PLPCP_MESSAGE m = NULL;
    /* The request is captured before the reply buffer is probed: callers
     * (CsrClientCallServer among them) pass one buffer for both. */
    status = LpcpCaptureMessage(RequestMessage, port->MaxMessageLength, &m);
    if (NT_SUCCESS(status)) {
        PORT_MESSAGE probe;
        status = ExCopyFromCaller(&probe, ReplyMessage, sizeof probe); /* a reply we could not deliver would be lost */
        if (NT_SUCCESS(status))
            status = ExCopyToCaller(ReplyMessage, &probe, sizeof probe);
        if (!NT_SUCCESS(status))
            LpcpFreeMessage(m);
    }
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(port);
        return status;
    }
    LPCP_WAITER w = {.Kind = LPCP_WAIT_REPLY, .ClientId = m->Header.ClientId, .ClientPort = port};
    KeInitializeEvent(&w.Event, NotificationEvent, FALSE);
    ULONG s = LpcpLock();
    PLPCP_PORT_OBJECT target = LpcpSendTarget(port);
    m->Header.Type = LPC_REQUEST;
    m->Header.MessageId = w.MessageId = LpcpNextMessageId();
    m->PortContext = context_for(port);
    status = target ? LpcpEnqueue(target, m) : STATUS_PORT_DISCONNECTED;
    if (NT_SUCCESS(status)) {
        w.QueuePort = target;
        InsertTailList(&LpcpWaiters, &w.Link);
        w.Linked = TRUE;
    }
    LpcpUnlock(s);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        ObDereferenceObject(port);
        return status;
    }
    status = LpcpWait(&w);
    if (w.Reply) {
        if (NT_SUCCESS(status)) {
            status = ExCopyToCaller(ReplyMessage, w.Reply->Bytes, w.Reply->Header.TotalLength);
            if (NT_SUCCESS(status))
                KeCountEvent(BytesCopied, w.Reply->Header.DataLength);
        }
        LpcpFreeMessage(w.Reply);
    }
    ObDereferenceObject(port);
    return status;
}

/* Hands a captured reply to the thread awaiting it through Port's queue. */
static NTSTATUS deliver_reply(PLPCP_PORT_OBJECT Port, PLPCP_MESSAGE Reply, CLIENT_ID To) {
    PLPCP_PORT_OBJECT queue = LpcpReceiveQueue(Port);
    ULONG s = LpcpLock();
    NTSTATUS status = STATUS_REPLY_MESSAGE_MISMATCH;
    for (PLIST_ENTRY e = LpcpWaiters.Flink; e != &LpcpWaiters; e = e->Flink) {
        PLPCP_WAITER w = CONTAINING_RECORD(e, LPCP_WAITER, Link);
        if (w->Kind != LPCP_WAIT_REPLY || w->MessageId != Reply->Header.MessageId ||
            w->ClientId.UniqueProcess != To.UniqueProcess || w->ClientId.UniqueThread != To.UniqueThread)
            continue;
        if (w->QueuePort != queue || !w->Delivered)
            break; /* not a request this port has received */
        w->Reply = Reply;
        LpcpWakeWaiter(w, STATUS_SUCCESS);
        KeCountEvent(LpcMessages, 1);
        status = STATUS_SUCCESS;
        break;
    }
    LpcpUnlock(s);
    return status;
}

/* Captures and sends ReplyMessage through Port. */
static NTSTATUS reply(PLPCP_PORT_OBJECT Port, PPORT_MESSAGE ReplyMessage) {
    PLPCP_MESSAGE m;
    NTSTATUS status = LpcpCaptureMessage(ReplyMessage, Port->MaxMessageLength, &m);
    if (!NT_SUCCESS(status))
        return status;
    PORT_MESSAGE h;
    status = ExCopyFromCaller(&h, ReplyMessage, sizeof h); /* whom it answers, from the caller's header */
    if (NT_SUCCESS(status)) {
        m->Header.MessageId = h.MessageId;
        m->Header.Type = LPC_REPLY;
        status = deliver_reply(Port, m, h.ClientId);
    }
    if (!NT_SUCCESS(status))
        LpcpFreeMessage(m);
    return status;
}

NTSTATUS NTAPI NtReplyPort(HANDLE PortHandle, PPORT_MESSAGE ReplyMessage) {
    PLPCP_PORT_OBJECT port;
    NTSTATUS status = server_port_by_handle(PortHandle, &port);
    if (!NT_SUCCESS(status))
        return status;
    status = reply(port, ReplyMessage);
    ObDereferenceObject(port);
    return status;
}

/* Marks the waiter of a request just taken off a queue as delivered. Lock held. */
static VOID mark_delivered(PLPCP_PORT_OBJECT Queue, const PORT_MESSAGE *Message) {
    if (Message->Type != LPC_REQUEST && Message->Type != LPC_CONNECTION_REQUEST)
        return;
    for (PLIST_ENTRY e = LpcpWaiters.Flink; e != &LpcpWaiters; e = e->Flink) {
        PLPCP_WAITER w = CONTAINING_RECORD(e, LPCP_WAITER, Link);
        if (w->MessageId == Message->MessageId && w->QueuePort == Queue) {
            w->Delivered = TRUE;
            return;
        }
    }
}

NTSTATUS NTAPI NtReplyWaitReceivePort(HANDLE PortHandle, PVOID *PortContext, PPORT_MESSAGE ReplyMessage,
                                      PPORT_MESSAGE ReceiveMessage) {
    PLPCP_PORT_OBJECT port;
    NTSTATUS status = server_port_by_handle(PortHandle, &port);
    if (!NT_SUCCESS(status))
        return status;
    PVOID context = NULL;
    if (PortContext)
        status = ExCopyToCaller(PortContext, &context, sizeof context);
    /* The reply first: servers answer and receive through one buffer. */
    if (NT_SUCCESS(status) && ReplyMessage)
        status = reply(port, ReplyMessage);
    if (NT_SUCCESS(status)) {
        PORT_MESSAGE probe = {0}; /* a receive buffer we could not fill would lose the message */
        status = ExCopyToCaller(ReceiveMessage, &probe, sizeof probe);
    }
    PLPCP_PORT_OBJECT queue = LpcpReceiveQueue(port);
    while (NT_SUCCESS(status)) {
        status = KeWaitForSingleObject(&queue->Semaphore, KeGetPreviousMode(), FALSE, NULL);
        if (status != STATUS_WAIT_0)
            break;
        ULONG s = LpcpLock();
        if (IsListEmpty(&queue->MsgQueue)) {
            /* Woken to learn the peer is gone (a client port), or a count
             * left by a message already drained: try again or give up. */
            BOOLEAN gone = queue->Closed || (queue->Kind == LPCP_CLIENT_COMMUNICATION && !queue->ConnectedPort);
            LpcpUnlock(s);
            if (gone)
                status = STATUS_PORT_DISCONNECTED;
            continue;
        }
        PLPCP_MESSAGE m = CONTAINING_RECORD(RemoveHeadList(&queue->MsgQueue), LPCP_MESSAGE, Entry);
        queue->QueueDepth--;
        LpcpUnlock(s);
        context = m->PortContext;
        status = ExCopyToCaller(ReceiveMessage, m->Bytes, m->Header.TotalLength);
        if (NT_SUCCESS(status) && PortContext)
            status = ExCopyToCaller(PortContext, &context, sizeof context);
        s = LpcpLock();
        if (NT_SUCCESS(status)) {
            KeCountEvent(BytesCopied, m->Header.DataLength);
            mark_delivered(queue, &m->Header);
            LpcpUnlock(s);
            LpcpFreeMessage(m);
        } else {
            /* The receiver's buffer went bad: the message stays for the next receive. */
            InsertHeadList(&queue->MsgQueue, &m->Entry);
            queue->QueueDepth++;
            LONG previous;
            NTSTATUS again = KeReleaseSemaphore(&queue->Semaphore, 1, 1, &previous);
            (void)again; /* the count we took is given back; it cannot exceed the limit */
            LpcpUnlock(s);
        }
        break;
    }
    ObDereferenceObject(port);
    return status;
}

NTSTATUS NTAPI NtListenPort(HANDLE PortHandle, PPORT_MESSAGE ConnectionRequest) {
    for (;;) {
        NTSTATUS status = NtReplyWaitReceivePort(PortHandle, NULL, NULL, ConnectionRequest);
        if (!NT_SUCCESS(status))
            return status;
        PORT_MESSAGE h;
        status = ExCopyFromCaller(&h, ConnectionRequest, sizeof h);
        if (!NT_SUCCESS(status) || h.Type == LPC_CONNECTION_REQUEST)
            return status;
        /* Anything else that arrives while listening is dropped, as NT does. */
    }
}
