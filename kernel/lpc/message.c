/*
 * message.c - LPC messages: datagrams, request/reply, and the server's
 * receive loop (NtRequestPort, NtRequestWaitReplyPort, NtReplyPort,
 * NtReplyWaitReceivePort, NtListenPort).
 *
 * Why: every message is copied from the sender into a kernel buffer (from
 * the message zone, or the pool when that is used up), its header checked
 * and its identity (ClientId, MessageId, Type) written by the kernel, and
 * copied out to the receiver; nothing in one process's memory is ever
 * referenced on behalf of another. A reply is accepted only when a thread
 * is really waiting for that MessageId from that ClientId on a queue the
 * replier serves. Each message sent and each byte of message data copied in
 * or out is counted (KeCountEvent, kernel/ke/counters.c).
 *
 * The request/reply path is LPC's fast path: the client's request and its
 * wait for the reply, and the server's reply and its wait for the next
 * request, are each one KeSignalAndWaitForSingleObject, which hands the
 * processor straight to the thread on the other side when it is already
 * waiting (docs/benchmarks.md, issue 4's results).
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

NTSTATUS LpcpCaptureMessage(const PORT_MESSAGE *CallerMessage, ULONG MaxLength, PLPCP_MESSAGE *Captured,
                            CLIENT_ID *NamedClient) {
    PLPCP_MESSAGE m = allocate_raw(); /* every header field is written below or by the caller */
    if (!m)
        return STATUS_INSUFFICIENT_RESOURCES;
    /* The header goes straight into the buffer and is checked there, then
     * only DataLength bytes of data are read after it. */
    PORT_MESSAGE *h = &m->Header;
    NTSTATUS status = ExCopyFromCaller(h, CallerMessage, sizeof *h);
    if (NT_SUCCESS(status) &&
        (h->TotalLength > MaxLength || h->DataLength > MaxLength - sizeof(PORT_MESSAGE)))
        status = STATUS_PORT_MESSAGE_TOO_LONG;
    else if (NT_SUCCESS(status) && (ULONG)h->TotalLength != (ULONG)h->DataLength + sizeof(PORT_MESSAGE))
        status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status))
        status = ExCopyFromCaller(m->Bytes + sizeof(PORT_MESSAGE),
                                  (const UCHAR *)CallerMessage + sizeof(PORT_MESSAGE), h->DataLength);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        return status;
    }
    m->PortContext = NULL;
    h->DataInfoOffset = 0;
    h->ClientViewSize = 0;
    if (NamedClient)
        *NamedClient = h->ClientId;
    h->ClientId = LpcpCurrentClientId(); /* never the sender's word */
    KeCountEvent(BytesCopied, h->DataLength);
    *Captured = m;
    return STATUS_SUCCESS;
}

/* Puts Message on Port's queue, not yet signalled; lock held. */
static NTSTATUS queue_message(PLPCP_PORT_OBJECT Port, PLPCP_MESSAGE Message) {
    if (Port->Closed)
        return STATUS_PORT_DISCONNECTED;
    if (Port->QueueDepth >= LPCP_MAX_QUEUED)
        return STATUS_INSUFFICIENT_RESOURCES;
    InsertTailList(&Port->MsgQueue, &Message->Entry);
    Port->QueueDepth++;
    return STATUS_SUCCESS;
}

/* Takes back a message queue_message put on Port's queue; lock held. */
static VOID unqueue_message(PLPCP_PORT_OBJECT Port, PLPCP_MESSAGE Message) {
    RemoveEntryList(&Message->Entry);
    Port->QueueDepth--;
}

NTSTATUS LpcpEnqueue(PLPCP_PORT_OBJECT Port, PLPCP_MESSAGE Message) {
    NTSTATUS status = queue_message(Port, Message);
    if (!NT_SUCCESS(status))
        return status;
    LONG previous;
    status = KeReleaseSemaphore(&Port->Semaphore, 1, 1, &previous);
    if (!NT_SUCCESS(status)) {
        unqueue_message(Port, Message);
        return status;
    }
    KeCountEvent(LpcMessages, 1); /* every kind of message that goes on a queue */
    return STATUS_SUCCESS;
}

/* Unlinks Waiter with Status without waking it (the caller wakes it, or
 * hands it the processor); lock held. */
static VOID unlink_waiter(PLPCP_WAITER Waiter, NTSTATUS Status) {
    RemoveEntryList(&Waiter->Link);
    Waiter->Linked = FALSE;
    if (Waiter->ServerPort && Waiter->ServerPort->ConnectWaiter == Waiter)
        Waiter->ServerPort->ConnectWaiter = NULL;
    Waiter->Status = Status;
}

VOID LpcpWakeWaiter(PLPCP_WAITER Waiter, NTSTATUS Status) {
    if (!Waiter->Linked)
        return;
    unlink_waiter(Waiter, Status);
    KeSetEvent(&Waiter->Event, EVENT_INCREMENT, FALSE);
}

/* Waiter's wait on its event ended with WaitStatus; lock held. Whoever
 * woke it unlinked it and set its Status; if it is still linked, the wait
 * was broken (thread termination) and nobody did. */
static NTSTATUS wait_ended(PLPCP_WAITER Waiter, NTSTATUS WaitStatus) {
    if (Waiter->Linked)
        unlink_waiter(Waiter, NT_SUCCESS(WaitStatus) ? STATUS_PORT_DISCONNECTED : WaitStatus);
    return Waiter->Status;
}

NTSTATUS LpcpWait(PLPCP_WAITER Waiter) {
    NTSTATUS status = KeWaitForSingleObject(&Waiter->Event, KeGetPreviousMode(), FALSE, NULL);
    ULONG s = LpcpLock();
    status = wait_ended(Waiter, status);
    LpcpUnlock(s);
    return status;
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
    status = LpcpCaptureMessage(RequestMessage, port->MaxMessageLength, &m, NULL);
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
    status = LpcpCaptureMessage(RequestMessage, port->MaxMessageLength, &m, NULL);
    if (NT_SUCCESS(status)) {
        /* a reply we could not deliver would be lost */
        status = ExProbeForWrite(ReplyMessage, sizeof(PORT_MESSAGE), sizeof(ULONG));
        if (!NT_SUCCESS(status))
            LpcpFreeMessage(m);
    }
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(port);
        return status;
    }
    LPCP_WAITER w; /* a reply wait: the connect-only fields stay unset */
    w.Linked = w.Delivered = FALSE;
    w.Kind = LPCP_WAIT_REPLY;
    w.ClientId = m->Header.ClientId;
    w.ClientPort = port;
    w.ServerPort = NULL;
    w.Reply = NULL;
    KeInitializeEvent(&w.Event, SynchronizationEvent, FALSE);
    BOOLEAN sent = FALSE;
    ULONG s = LpcpLock();
    PLPCP_PORT_OBJECT target = LpcpSendTarget(port);
    m->Header.Type = LPC_REQUEST;
    m->Header.MessageId = w.MessageId = LpcpNextMessageId();
    m->PortContext = context_for(port);
    status = target ? queue_message(target, m) : STATUS_PORT_DISCONNECTED;
    if (NT_SUCCESS(status)) {
        w.QueuePort = target;
        InsertTailList(&LpcpWaiters, &w.Link);
        w.Linked = TRUE;
        /* Signalling the request and waiting for its reply are one step,
         * so a server thread already waiting in NtReplyWaitReceivePort
         * gets the processor straight from us. */
        status = KeSignalAndWaitForSingleObject(&target->Semaphore, &w.Event, KeGetPreviousMode());
        if (status == STATUS_SEMAPHORE_LIMIT_EXCEEDED) { /* nothing was signalled or waited for */
            unqueue_message(target, m);
            unlink_waiter(&w, status);
        } else {
            sent = TRUE;
            KeCountEvent(LpcMessages, 1);
            status = wait_ended(&w, status);
        }
    }
    LpcpUnlock(s);
    if (!sent) {
        LpcpFreeMessage(m);
        ObDereferenceObject(port);
        return status;
    }
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

/* Captures ReplyMessage, an answer sent through Port; *To is the client
 * it names (its header's ClientId), whom the reply must find waiting for
 * its header's MessageId. */
static NTSTATUS capture_reply(PLPCP_PORT_OBJECT Port, PPORT_MESSAGE ReplyMessage, PLPCP_MESSAGE *Reply,
                              CLIENT_ID *To) {
    NTSTATUS status = LpcpCaptureMessage(ReplyMessage, Port->MaxMessageLength, Reply, To);
    if (NT_SUCCESS(status))
        (*Reply)->Header.Type = LPC_REPLY;
    return status;
}

/* Finds the thread awaiting Reply from To through Port's queue and gives
 * it the reply: it is unlinked with STATUS_SUCCESS but not yet woken (the
 * caller wakes it). NULL if no such thread waits for it. Lock held. */
static PLPCP_WAITER claim_reply_waiter(PLPCP_PORT_OBJECT Port, PLPCP_MESSAGE Reply, CLIENT_ID To) {
    PLPCP_PORT_OBJECT queue = LpcpReceiveQueue(Port);
    for (PLIST_ENTRY e = LpcpWaiters.Flink; e != &LpcpWaiters; e = e->Flink) {
        PLPCP_WAITER w = CONTAINING_RECORD(e, LPCP_WAITER, Link);
        if (w->Kind != LPCP_WAIT_REPLY || w->MessageId != Reply->Header.MessageId ||
            w->ClientId.UniqueProcess != To.UniqueProcess || w->ClientId.UniqueThread != To.UniqueThread)
            continue;
        if (w->QueuePort != queue || !w->Delivered)
            return NULL; /* not a request this port has received */
        w->Reply = Reply;
        unlink_waiter(w, STATUS_SUCCESS);
        KeCountEvent(LpcMessages, 1);
        return w;
    }
    return NULL;
}

/* Captures and sends ReplyMessage through Port. */
static NTSTATUS reply(PLPCP_PORT_OBJECT Port, PPORT_MESSAGE ReplyMessage) {
    PLPCP_MESSAGE m;
    CLIENT_ID to;
    NTSTATUS status = capture_reply(Port, ReplyMessage, &m, &to);
    if (!NT_SUCCESS(status))
        return status;
    ULONG s = LpcpLock();
    PLPCP_WAITER w = claim_reply_waiter(Port, m, to);
    if (w)
        KeSetEvent(&w->Event, EVENT_INCREMENT, FALSE);
    LpcpUnlock(s);
    if (w)
        return STATUS_SUCCESS;
    LpcpFreeMessage(m);
    return STATUS_REPLY_MESSAGE_MISMATCH;
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

/* Takes the next message off Queue into the caller's ReceiveMessage (and
 * its port's context to *PortContext). WaitStatus is how a wait on the
 * queue's semaphore already made for it ended, or STATUS_PENDING when
 * none was made yet. */
static NTSTATUS receive(PLPCP_PORT_OBJECT Queue, PVOID *PortContext, PPORT_MESSAGE ReceiveMessage,
                        NTSTATUS WaitStatus) {
    for (;;) {
        if (WaitStatus == STATUS_PENDING)
            WaitStatus = KeWaitForSingleObject(&Queue->Semaphore, KeGetPreviousMode(), FALSE, NULL);
        if (WaitStatus != STATUS_WAIT_0)
            return WaitStatus;
        WaitStatus = STATUS_PENDING;
        ULONG s = LpcpLock();
        if (IsListEmpty(&Queue->MsgQueue)) {
            /* Woken to learn the peer is gone (a client port), or a count
             * left by a message already drained: try again or give up. */
            BOOLEAN gone = Queue->Closed || (Queue->Kind == LPCP_CLIENT_COMMUNICATION && !Queue->ConnectedPort);
            LpcpUnlock(s);
            if (gone)
                return STATUS_PORT_DISCONNECTED;
            continue;
        }
        PLPCP_MESSAGE m = CONTAINING_RECORD(RemoveHeadList(&Queue->MsgQueue), LPCP_MESSAGE, Entry);
        Queue->QueueDepth--;
        LpcpUnlock(s);
        PVOID context = m->PortContext;
        NTSTATUS status = ExCopyToCaller(ReceiveMessage, m->Bytes, m->Header.TotalLength);
        if (NT_SUCCESS(status) && PortContext)
            status = ExCopyToCaller(PortContext, &context, sizeof context);
        s = LpcpLock();
        if (NT_SUCCESS(status)) {
            KeCountEvent(BytesCopied, m->Header.DataLength);
            mark_delivered(Queue, &m->Header);
            LpcpUnlock(s);
            LpcpFreeMessage(m);
        } else {
            /* The receiver's buffer went bad: the message stays for the next receive. */
            InsertHeadList(&Queue->MsgQueue, &m->Entry);
            Queue->QueueDepth++;
            LONG previous;
            NTSTATUS again = KeReleaseSemaphore(&Queue->Semaphore, 1, 1, &previous);
            (void)again; /* the count we took is given back; it cannot exceed the limit */
            LpcpUnlock(s);
        }
        return status;
    }
}

/* With a reply, the reply's wake-up and the wait for the next message are
 * one step: the client waiting in NtRequestWaitReplyPort gets the
 * processor straight from us when no message is queued yet. */
NTSTATUS NTAPI NtReplyWaitReceivePort(HANDLE PortHandle, PVOID *PortContext, PPORT_MESSAGE ReplyMessage,
                                      PPORT_MESSAGE ReceiveMessage) {
    PLPCP_PORT_OBJECT port;
    NTSTATUS status = server_port_by_handle(PortHandle, &port);
    if (!NT_SUCCESS(status))
        return status;
    PVOID context = NULL;
    if (PortContext)
        status = ExCopyToCaller(PortContext, &context, sizeof context);
    /* The reply is captured first: servers answer and receive through one buffer. */
    PLPCP_MESSAGE answer = NULL;
    CLIENT_ID to;
    if (NT_SUCCESS(status) && ReplyMessage)
        status = capture_reply(port, ReplyMessage, &answer, &to);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(port);
        return status;
    }
    PORT_MESSAGE probe = {0}; /* a receive buffer we could not fill would lose the message */
    status = ExCopyToCaller(ReceiveMessage, &probe, sizeof probe);
    PLPCP_PORT_OBJECT queue = LpcpReceiveQueue(port);
    NTSTATUS waited = STATUS_PENDING;
    if (answer) {
        ULONG s = LpcpLock();
        PLPCP_WAITER w = claim_reply_waiter(port, answer, to);
        if (!w)
            status = STATUS_REPLY_MESSAGE_MISMATCH;
        else if (NT_SUCCESS(status))
            waited = KeSignalAndWaitForSingleObject(&w->Event, &queue->Semaphore, KeGetPreviousMode());
        else
            KeSetEvent(&w->Event, EVENT_INCREMENT, FALSE);
        LpcpUnlock(s);
        if (!w)
            LpcpFreeMessage(answer);
    }
    if (NT_SUCCESS(status))
        status = receive(queue, PortContext, ReceiveMessage, waited);
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
