/*
 * port.c - the Port object type and LPC connections: NtCreatePort,
 * NtConnectPort, NtAcceptConnectPort, NtCompleteConnectPort, and what
 * happens when a port's last handle closes.
 *
 * Why: a server publishes a named connection port; a client's NtConnectPort
 * queues an LPC_CONNECTION_REQUEST (carrying its connection information) and
 * sleeps; the server receives it, accepts (making a server communication
 * port, the peer of the client's) or rejects, answering with connection
 * information of its own, and NtCompleteConnectPort wakes the client. When
 * one end goes away the other learns it: the server gets LPC_PORT_CLOSED
 * (and LPC_CLIENT_DIED if the client's process is exiting) and the client's
 * pending and later calls fail with STATUS_PORT_DISCONNECTED.
 *
 * Port views: the client may offer a section (PORT_VIEW) at connect time
 * and the server another at accept time; each is mapped into both processes
 * and each side learns both bases (PORT_VIEW) and the peer's view
 * (REMOTE_PORT_VIEW). A communication port remembers the views mapped into
 * its own process and unmaps them when it is deleted.
 */
#include "lpcp.h"

POBJECT_TYPE LpcPortObjectType;

#define SECTION_MAP_WRITE 0x0002
#define SECTION_MAP_READ 0x0004

static VOID init_port(PLPCP_PORT_OBJECT Port, ULONG Kind, ULONG MaxMessageLength) {
    Port->Kind = Kind;
    Port->MaxMessageLength = MaxMessageLength;
    InitializeListHead(&Port->MsgQueue);
    KeInitializeSemaphore(&Port->Semaphore, 0, 0x7FFFFFFF);
}

/* Cuts Port off from its peer and its waiters (its last handle closed, or
 * it is being deleted). Exiting: the owning process is exiting. */
static VOID disconnect(PLPCP_PORT_OBJECT Port, BOOLEAN Exiting) {
    PLPCP_MESSAGE closed = NULL, died = NULL;
    if (Port->Kind == LPCP_CLIENT_COMMUNICATION) {
        closed = LpcpAllocateMessage();
        died = Exiting ? LpcpAllocateMessage() : NULL;
    }
    ULONG s = LpcpLock();
    if (Port->Closed) {
        LpcpUnlock(s);
        if (closed)
            LpcpFreeMessage(closed);
        if (died)
            LpcpFreeMessage(died);
        return;
    }
    Port->Closed = TRUE;
    PLPCP_PORT_OBJECT peer = Port->ConnectedPort;
    Port->ConnectedPort = NULL;
    if (peer)
        peer->ConnectedPort = NULL;
    /* Whoever sleeps on a request this port's end can no longer answer:
     * one queued on this port (a client's to its server, or a server's to
     * its client), or one sent by the client end. */
    PLPCP_PORT_OBJECT client = Port->Kind == LPCP_SERVER_COMMUNICATION ? peer : Port;
    for (PLIST_ENTRY e = LpcpWaiters.Flink; e != &LpcpWaiters;) {
        PLPCP_WAITER w = CONTAINING_RECORD(e, LPCP_WAITER, Link);
        e = e->Flink;
        if (w->QueuePort == Port || (client && w->ClientPort == client) || w->ServerPort == Port)
            LpcpWakeWaiter(w, STATUS_PORT_DISCONNECTED);
    }
    LONG previous;
    NTSTATUS status = STATUS_SUCCESS;
    if (Port->Kind == LPCP_SERVER_COMMUNICATION && peer)
        status = KeReleaseSemaphore(&peer->Semaphore, 1, 1, &previous); /* a receiving client learns of it */
    else if (Port->Kind != LPCP_SERVER_COMMUNICATION)
        status = KeReleaseSemaphore(&Port->Semaphore, 1, 1, &previous); /* so do its own receivers */
    (void)status; /* the limit is far beyond any count reached */
    if (Port->Kind == LPCP_CLIENT_COMMUNICATION && peer && !Port->ConnectionPort->Closed) {
        PLPCP_MESSAGE notes[2] = {died, closed};
        USHORT types[2] = {LPC_CLIENT_DIED, LPC_PORT_CLOSED};
        for (int i = 0; i < 2; i++) {
            if (!notes[i])
                continue;
            notes[i]->Header.Type = types[i];
            notes[i]->Header.TotalLength = sizeof(PORT_MESSAGE);
            notes[i]->Header.MessageId = LpcpNextMessageId();
            notes[i]->Header.ClientId = (CLIENT_ID){PsGetCurrentProcess()->UniqueProcessId, NULL};
            notes[i]->PortContext = peer->PortContext;
            if (NT_SUCCESS(LpcpEnqueue(Port->ConnectionPort, notes[i])))
                notes[i] = NULL;
        }
        died = notes[0];
        closed = notes[1];
    }
    LpcpUnlock(s);
    if (closed)
        LpcpFreeMessage(closed);
    if (died)
        LpcpFreeMessage(died);
}

static VOID close_port(struct _EPROCESS *Process, PVOID Object, ULONG HandleCount) {
    if (HandleCount == 1) /* the last handle */
        disconnect(Object, Process->Exiting);
}

static VOID delete_port(PVOID Object) {
    PLPCP_PORT_OBJECT port = Object;
    if (!port->Kind)
        return; /* its initialization failed: nothing was set up */
    disconnect(port, FALSE);
    while (!IsListEmpty(&port->MsgQueue))
        LpcpFreeMessage(CONTAINING_RECORD(RemoveHeadList(&port->MsgQueue), LPCP_MESSAGE, Entry));
    if (port->ConnectionPort)
        ObDereferenceObject(port->ConnectionPort);
    if (!port->ViewProcess)
        return;
    for (int i = 0; i < 2; i++) {
        if (!port->ViewBases[i] || port->ViewProcess->AddressSpaceDeleted)
            continue;
        /* Failure means the process unmapped the view itself: nothing left to do. */
        NTSTATUS status = MmUnmapViewOfSection(port->ViewProcess, (ULONG_PTR)port->ViewBases[i]);
        (void)status;
    }
    ObDereferenceObject(port->ViewProcess);
}

/* Copies a caller's PORT_VIEW and references its (data) section. */
static NTSTATUS capture_view(PPORT_VIEW CallerView, PORT_VIEW *View, PSECTION *Section) {
    NTSTATUS status = ExCopyFromCaller(View, CallerView, sizeof *View);
    if (!NT_SUCCESS(status))
        return status;
    if (View->Length != sizeof *View || (View->SectionOffset & (PAGE_SIZE - 1)) || !View->ViewSize)
        return STATUS_INVALID_PARAMETER;
    status = ObReferenceObjectByHandle(View->SectionHandle, SECTION_MAP_READ | SECTION_MAP_WRITE,
                                       MmSectionObjectType, KeGetPreviousMode(), (PVOID *)Section, NULL);
    if (NT_SUCCESS(status) && (*Section)->IsImage) {
        ObDereferenceObject(*Section);
        status = STATUS_INVALID_PARAMETER;
    }
    return status;
}

/* Maps Section into Process and records the view on Port (slot Slot), which
 * unmaps it when deleted. *Size: asked in, mapped out. */
static NTSTATUS map_view(PLPCP_PORT_OBJECT Port, ULONG Slot, PSECTION Section, PEPROCESS Process,
                         ULONG OffsetPages, SIZE_T *Size, PVOID *Base) {
    *Base = NULL;
    if (Process->Exiting || Process->AddressSpaceDeleted)
        return STATUS_PROCESS_IS_TERMINATING;
    NTSTATUS status = MmMapViewOfSection(Section, Process, Base, OffsetPages, Size, PAGE_READWRITE, FALSE);
    if (!NT_SUCCESS(status))
        return status;
    if (!Port->ViewProcess) {
        ObReferenceObject(Process);
        Port->ViewProcess = Process;
    }
    Port->ViewBases[Slot] = *Base;
    return STATUS_SUCCESS;
}

NTSTATUS LpcInitSystem(VOID) {
    LpcpInitializeZone();
    OBJECT_TYPE init = {.PoolTag = LPCP_PORT_TAG,
                        .ValidAccessMask = PORT_ALL_ACCESS,
                        .GenericMapping = {READ_CONTROL | PORT_CONNECT, READ_CONTROL | PORT_CONNECT, 0,
                                           PORT_ALL_ACCESS},
                        .DispatcherOffset = -1,
                        .CloseProcedure = close_port,
                        .DeleteProcedure = delete_port};
    return ObCreateObjectType(L"Port", &init, &LpcPortObjectType);
}

typedef struct { ULONG MaxConnectionInfoLength, MaxMessageLength; } PORT_INIT;

static NTSTATUS init_connection_port(PVOID Body, PVOID Context) {
    PORT_INIT *p = Context;
    ULONG max = p->MaxMessageLength ? p->MaxMessageLength : PORT_MAXIMUM_MESSAGE_LENGTH;
    if (max < sizeof(PORT_MESSAGE) || max > PORT_MAXIMUM_MESSAGE_LENGTH ||
        p->MaxConnectionInfoLength > PORT_MAXIMUM_DATA_LENGTH)
        return STATUS_INVALID_PARAMETER;
    PLPCP_PORT_OBJECT port = Body;
    init_port(port, LPCP_CONNECTION_PORT, max);
    port->MaxConnectionInfoLength = p->MaxConnectionInfoLength;
    port->ServerProcess = PsGetCurrentProcess();
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreatePort(PHANDLE PortHandle, POBJECT_ATTRIBUTES ObjectAttributes, ULONG MaxConnectionInfoLength,
                            ULONG MaxMessageLength, ULONG MaxPoolUsage) {
    (void)MaxPoolUsage; /* queues are bounded by LPCP_MAX_QUEUED instead */
    PORT_INIT p = {MaxConnectionInfoLength, MaxMessageLength};
    return ObpCreateNamedObject(PortHandle, PORT_ALL_ACCESS, ObjectAttributes, LpcPortObjectType,
                                sizeof(LPCP_PORT_OBJECT), init_connection_port, &p);
}

/* Reports the peer's view (empty when it offered none). */
static NTSTATUS put_remote_view(PREMOTE_PORT_VIEW View, SIZE_T Size, PVOID Base) {
    REMOTE_PORT_VIEW r = {sizeof r, Size, Base};
    return View ? ExCopyToCaller(View, &r, sizeof r) : STATUS_SUCCESS;
}

/* Queues Client's connection request on Connection and sleeps until the
 * server answers. Consumes nothing; *Waiter comes zeroed but for the view. */
static NTSTATUS request_connection(PLPCP_PORT_OBJECT Connection, PLPCP_PORT_OBJECT Client, const UCHAR *Info,
                                   ULONG InfoLength, PLPCP_WAITER Waiter) {
    PLPCP_MESSAGE m = LpcpAllocateMessage();
    if (!m)
        return STATUS_INSUFFICIENT_RESOURCES;
    m->Header.Type = LPC_CONNECTION_REQUEST;
    m->Header.DataLength = (USHORT)InfoLength;
    m->Header.TotalLength = (USHORT)(sizeof(PORT_MESSAGE) + InfoLength);
    m->Header.ClientId = LpcpCurrentClientId();
    memcpy(m->Bytes + sizeof(PORT_MESSAGE), Info, InfoLength);
    m->Header.ClientViewSize = (ULONG)Waiter->ClientViewSize;
    Waiter->Kind = LPCP_WAIT_CONNECT;
    Waiter->ClientId = m->Header.ClientId;
    Waiter->ClientPort = Client;
    Waiter->QueuePort = Connection;
    KeInitializeEvent(&Waiter->Event, NotificationEvent, FALSE);
    ULONG s = LpcpLock();
    m->Header.MessageId = Waiter->MessageId = LpcpNextMessageId();
    NTSTATUS status = LpcpEnqueue(Connection, m);
    if (NT_SUCCESS(status)) {
        InsertTailList(&LpcpWaiters, &Waiter->Link);
        Waiter->Linked = TRUE;
    }
    LpcpUnlock(s);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(m);
        return status;
    }
    return LpcpWait(Waiter);
}

/* *ConnectionInformationLength bytes of ConnectionInformation go to the
 * server (clipped to the port's MaxConnectionInfoLength); the server's answer
 * comes back in the same buffer, at most that many bytes, and its length in
 * *ConnectionInformationLength, whether the server accepted or refused. */
NTSTATUS NTAPI NtConnectPort(PHANDLE PortHandle, PUNICODE_STRING PortName, PVOID SecurityQos, PPORT_VIEW ClientView,
                             PREMOTE_PORT_VIEW ServerView, PULONG MaxMessageLength, PVOID ConnectionInformation,
                             PULONG ConnectionInformationLength) {
    (void)SecurityQos; /* no impersonation yet */
    HANDLE handle = NULL;
    ULONG infoLength = 0;
    static const ULONG zero = 0;
    UCHAR info[PORT_MAXIMUM_DATA_LENGTH];
    NTSTATUS status = ExCopyToCaller(PortHandle, &handle, sizeof handle);
    PORT_VIEW cv = {0};
    if (NT_SUCCESS(status) && ClientView)
        status = ExCopyFromCaller(&cv, ClientView, sizeof cv); /* early: before anything is made */
    if (NT_SUCCESS(status))
        status = put_remote_view(ServerView, 0, NULL);
    if (NT_SUCCESS(status) && MaxMessageLength)
        status = ExCopyToCaller(MaxMessageLength, &zero, sizeof zero);
    if (NT_SUCCESS(status) && ConnectionInformationLength)
        status = ExCopyFromCaller(&infoLength, ConnectionInformationLength, sizeof infoLength);
    if (!ConnectionInformation)
        infoLength = 0;
    ULONG capacity = infoLength; /* the caller's buffer, for the server's answer */
    if (infoLength > sizeof info)
        infoLength = sizeof info;
    if (NT_SUCCESS(status))
        status = ExCopyFromCaller(info, ConnectionInformation, infoLength);
    if (NT_SUCCESS(status))
        KeCountEvent(BytesCopied, infoLength);
    UNICODE_STRING name;
    if (NT_SUCCESS(status))
        status = ExCaptureUnicodeString(PortName, &name);
    if (!NT_SUCCESS(status))
        return status;
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    PLPCP_PORT_OBJECT connection, client;
    status = ObReferenceObjectByName(&oa, LpcPortObjectType, PORT_CONNECT, NULL, (PVOID *)&connection);
    ExReleaseCapturedUnicodeString(&name);
    if (!NT_SUCCESS(status))
        return status;
    if (connection->Kind != LPCP_CONNECTION_PORT) {
        ObDereferenceObject(connection);
        return STATUS_INVALID_PORT_HANDLE;
    }
    status = ObCreateObject(LpcPortObjectType, sizeof(LPCP_PORT_OBJECT), (PVOID *)&client);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(connection);
        return status;
    }
    init_port(client, LPCP_CLIENT_COMMUNICATION, connection->MaxMessageLength);
    client->ConnectionPort = connection; /* our reference passes to the client port */
    if (infoLength > connection->MaxConnectionInfoLength)
        infoLength = connection->MaxConnectionInfoLength;
    LPCP_WAITER w = {.ClientProcess = PsGetCurrentProcess()};
    PSECTION section = NULL;
    if (ClientView) {
        status = capture_view(ClientView, &cv, &section);
        if (NT_SUCCESS(status)) {
            w.ClientSection = section;
            w.ClientViewOffsetPages = cv.SectionOffset >> PAGE_SHIFT;
            w.ClientViewSize = cv.ViewSize;
            status = map_view(client, 0, section, w.ClientProcess, w.ClientViewOffsetPages, &w.ClientViewSize,
                              &cv.ViewBase);
        }
    }
    if (NT_SUCCESS(status))
        status = request_connection(connection, client, info, infoLength, &w);
    if (section)
        ObDereferenceObject(section);
    /* Accepted or refused, the server's connection information comes back. */
    ULONG answer = 0;
    if (w.Reply) {
        answer = w.Reply->Header.DataLength < capacity ? w.Reply->Header.DataLength : capacity;
        NTSTATUS copied = ExCopyToCaller(ConnectionInformation, w.Reply->Bytes + sizeof(PORT_MESSAGE), answer);
        if (NT_SUCCESS(copied))
            KeCountEvent(BytesCopied, answer);
        LpcpFreeMessage(w.Reply);
        if (NT_SUCCESS(copied) && ConnectionInformationLength)
            copied = ExCopyToCaller(ConnectionInformationLength, &answer, sizeof answer);
        if (!NT_SUCCESS(copied) && NT_SUCCESS(status))
            status = copied;
    }
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(client); /* tells the server, if it had accepted */
        return status;
    }
    ULONG max = client->MaxMessageLength;
    status = ObInsertObject(client, NULL, PORT_ALL_ACCESS, &handle);
    if (!NT_SUCCESS(status))
        return status;
    if (MaxMessageLength)
        status = ExCopyToCaller(MaxMessageLength, &max, sizeof max);
    if (NT_SUCCESS(status) && ClientView) {
        cv.ViewSize = w.ClientViewSize;
        cv.ViewRemoteBase = w.ClientViewRemoteBase;
        status = ExCopyToCaller(ClientView, &cv, sizeof cv);
    }
    if (NT_SUCCESS(status))
        status = put_remote_view(ServerView, w.ServerViewSize, w.ServerViewRemoteBase);
    if (NT_SUCCESS(status))
        status = ExCopyToCaller(PortHandle, &handle, sizeof handle);
    if (!NT_SUCCESS(status))
        ObpUndoHandle(PsGetCurrentProcess(), handle);
    return status;
}

/* Finds the connection request MessageId from Cid that this process may
 * answer, not yet answered. Lock held. */
static PLPCP_WAITER find_request(ULONG MessageId, CLIENT_ID Cid) {
    for (PLIST_ENTRY e = LpcpWaiters.Flink; e != &LpcpWaiters; e = e->Flink) {
        PLPCP_WAITER w = CONTAINING_RECORD(e, LPCP_WAITER, Link);
        if (w->Kind == LPCP_WAIT_CONNECT && w->MessageId == MessageId && !w->ServerPort && w->Delivered &&
            w->ClientId.UniqueProcess == Cid.UniqueProcess && w->ClientId.UniqueThread == Cid.UniqueThread &&
            w->QueuePort->ServerProcess == PsGetCurrentProcess())
            return w;
    }
    return NULL;
}

/* Is Waiter, claimed by Server, still waiting? Lock held. */
static BOOLEAN still_waiting(PLPCP_WAITER Waiter, PLPCP_PORT_OBJECT Server) {
    for (PLIST_ENTRY e = LpcpWaiters.Flink; e != &LpcpWaiters; e = e->Flink)
        if (e == &Waiter->Link && Waiter->ServerPort == Server)
            return TRUE;
    return FALSE;
}

/* Accepting maps views while the client may die: the request is claimed
 * (ServerPort set) under the lock, the views are mapped with the lock
 * released, and the claim is checked again before the ports are joined. */
NTSTATUS NTAPI NtAcceptConnectPort(PHANDLE PortHandle, PVOID PortContext, PPORT_MESSAGE ConnectionRequest,
                                   BOOLEAN AcceptConnection, PPORT_VIEW ServerView, PREMOTE_PORT_VIEW ClientView) {
    HANDLE handle = NULL;
    PORT_MESSAGE h;
    PORT_VIEW sv = {0};
    PLPCP_MESSAGE answer;
    NTSTATUS status = ExCopyFromCaller(&h, ConnectionRequest, sizeof h);
    if (NT_SUCCESS(status) && AcceptConnection)
        status = ExCopyToCaller(PortHandle, &handle, sizeof handle);
    if (NT_SUCCESS(status) && AcceptConnection)
        status = put_remote_view(ClientView, 0, NULL);
    if (NT_SUCCESS(status) && AcceptConnection && ServerView)
        status = ExCopyFromCaller(&sv, ServerView, sizeof sv);
    if (NT_SUCCESS(status))
        status = LpcpCaptureMessage(ConnectionRequest, PORT_MAXIMUM_MESSAGE_LENGTH, &answer, NULL);
    if (!NT_SUCCESS(status))
        return status;
    answer->Header.Type = LPC_REPLY;
    if (!AcceptConnection) {
        ULONG s = LpcpLock();
        PLPCP_WAITER w = find_request(h.MessageId, h.ClientId);
        if (w && answer->Header.DataLength <= w->QueuePort->MaxConnectionInfoLength) {
            w->Reply = answer;
            answer = NULL;
            LpcpWakeWaiter(w, STATUS_PORT_CONNECTION_REFUSED);
            KeCountEvent(LpcMessages, 1); /* the refusal is a message too */
        }
        LpcpUnlock(s);
        if (!answer)
            return STATUS_SUCCESS;
        LpcpFreeMessage(answer);
        return STATUS_REPLY_MESSAGE_MISMATCH;
    }
    PEPROCESS me = PsGetCurrentProcess();
    PSECTION serverSection = NULL;
    PLPCP_PORT_OBJECT server;
    status = ObCreateObject(LpcPortObjectType, sizeof(LPCP_PORT_OBJECT), (PVOID *)&server);
    if (!NT_SUCCESS(status)) {
        LpcpFreeMessage(answer);
        return status;
    }
    init_port(server, LPCP_SERVER_COMMUNICATION, PORT_MAXIMUM_MESSAGE_LENGTH);
    server->PortContext = PortContext;
    if (ServerView) {
        status = capture_view(ServerView, &sv, &serverSection);
        if (NT_SUCCESS(status))
            status = map_view(server, 0, serverSection, me, sv.SectionOffset >> PAGE_SHIFT, &sv.ViewSize,
                              &sv.ViewBase);
    }
    /* Claim the request, holding what the mappings need. */
    PLPCP_WAITER w = NULL;
    PLPCP_PORT_OBJECT client = NULL;
    PEPROCESS clientProcess = NULL;
    PSECTION clientSection = NULL;
    ULONG clientOffset = 0;
    SIZE_T clientSize = 0;
    if (NT_SUCCESS(status)) {
        ULONG s = LpcpLock();
        w = find_request(h.MessageId, h.ClientId);
        if (!w || answer->Header.DataLength > w->QueuePort->MaxConnectionInfoLength) {
            status = STATUS_REPLY_MESSAGE_MISMATCH;
        } else {
            w->ServerPort = server;
            client = w->ClientPort;
            ObReferenceObject(client);
            if (w->ClientSection || serverSection) {
                clientProcess = w->ClientProcess;
                ObReferenceObject(clientProcess);
            }
            if (w->ClientSection) {
                clientSection = w->ClientSection;
                ObReferenceObject(clientSection);
                clientOffset = w->ClientViewOffsetPages;
                clientSize = w->ClientViewSize;
            }
        }
        LpcpUnlock(s);
    }
    PVOID clientViewHere = NULL, serverViewThere = NULL;
    if (NT_SUCCESS(status) && clientSection)
        status = map_view(server, 1, clientSection, me, clientOffset, &clientSize, &clientViewHere);
    if (NT_SUCCESS(status) && serverSection) {
        SIZE_T size = sv.ViewSize;
        status = map_view(client, 1, serverSection, clientProcess, sv.SectionOffset >> PAGE_SHIFT, &size,
                          &serverViewThere);
    }
    if (w) {
        ULONG s = LpcpLock();
        if (!still_waiting(w, server)) {
            if (NT_SUCCESS(status))
                status = STATUS_PORT_DISCONNECTED; /* the client gave up meanwhile */
        } else if (!NT_SUCCESS(status)) {
            w->ServerPort = NULL; /* a failed mapping: the request may be answered again */
        } else {
            w->Reply = answer;
            answer = NULL;
            KeCountEvent(LpcMessages, 1); /* the answer, delivered by NtCompleteConnectPort */
            w->ClientViewRemoteBase = clientViewHere;
            w->ServerViewSize = serverSection ? sv.ViewSize : 0;
            w->ServerViewRemoteBase = serverViewThere;
            ObReferenceObject(w->QueuePort);
            server->ConnectionPort = w->QueuePort;
            server->MaxMessageLength = w->QueuePort->MaxMessageLength;
            server->ConnectedPort = client;
            client->ConnectedPort = server;
            server->ConnectWaiter = w; /* NtCompleteConnectPort wakes it */
        }
        LpcpUnlock(s);
    }
    if (client)
        ObDereferenceObject(client);
    if (clientSection)
        ObDereferenceObject(clientSection);
    if (clientProcess)
        ObDereferenceObject(clientProcess);
    if (serverSection)
        ObDereferenceObject(serverSection);
    if (answer)
        LpcpFreeMessage(answer);
    if (NT_SUCCESS(status)) {
        sv.ViewRemoteBase = serverViewThere;
        status = put_remote_view(ClientView, clientSection ? clientSize : 0, clientViewHere);
        if (NT_SUCCESS(status) && ServerView)
            status = ExCopyToCaller(ServerView, &sv, sizeof sv);
    }
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(server); /* unmaps its views; cuts the client off if joined */
        return status;
    }
    status = ObInsertObject(server, NULL, PORT_ALL_ACCESS, &handle); /* on failure the delete cuts the client off */
    if (NT_SUCCESS(status) && !NT_SUCCESS(status = ExCopyToCaller(PortHandle, &handle, sizeof handle)))
        ObpUndoHandle(me, handle);
    return status;
}

NTSTATUS NTAPI NtCompleteConnectPort(HANDLE PortHandle) {
    PLPCP_PORT_OBJECT port;
    NTSTATUS status =
        ObReferenceObjectByHandle(PortHandle, 0, LpcPortObjectType, KeGetPreviousMode(), (PVOID *)&port, NULL);
    if (!NT_SUCCESS(status))
        return status;
    ULONG s = LpcpLock();
    if (port->Kind != LPCP_SERVER_COMMUNICATION)
        status = STATUS_INVALID_PORT_HANDLE;
    else if (!port->ConnectWaiter)
        status = port->ConnectedPort ? STATUS_INVALID_PARAMETER : STATUS_PORT_DISCONNECTED;
    else
        LpcpWakeWaiter(port->ConnectWaiter, STATUS_SUCCESS);
    LpcpUnlock(s);
    ObDereferenceObject(port);
    return status;
}
