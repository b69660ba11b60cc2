/*
 * terminate.c - thread termination ports: NtRegisterThreadTerminatePort and
 * the LPC_CLIENT_DIED message a thread's end sends through them.
 *
 * Why: a server that keeps per-thread state for a client (csrss's quick-LPC
 * server threads, one per client GUI thread) must learn when that thread
 * ends, not only when its whole process does. As on NT, the client thread
 * registers its communication port; when the thread exits, the kernel
 * queues an LPC_CLIENT_DIED datagram through each registered port, carrying
 * the dead thread's ClientId (set by the kernel, like every sender id) and
 * 8 bytes of data (NT's CreateTime; zero here). Each registration holds a
 * reference to its port until the thread is gone.
 */
#include "lpcp.h"

#define LPCP_TERMINATION_TAG NT_TAG('L', 'p', 'c', 'T')
#define LPCP_MAX_TERMINATION_PORTS 8 /* per thread; a loop of registrations cannot exhaust pool */

typedef struct _LPCP_TERMINATION_PORT {
    struct _LPCP_TERMINATION_PORT *Next;
    PLPCP_PORT_OBJECT Port;
} LPCP_TERMINATION_PORT, *PLPCP_TERMINATION_PORT;

NTSTATUS NTAPI NtRegisterThreadTerminatePort(HANDLE PortHandle) {
    PLPCP_PORT_OBJECT port;
    NTSTATUS status = ObReferenceObjectByHandle(PortHandle, 0, LpcPortObjectType, KeGetPreviousMode(),
                                                (PVOID *)&port, NULL);
    if (!NT_SUCCESS(status))
        return status;
    PKTHREAD kt = KeGetCurrentThread();
    if (!kt->Teb ||
        port->Kind == LPCP_CONNECTION_PORT) { /* a bare kernel thread, or nothing to send through */
        ObDereferenceObject(port);
        return STATUS_INVALID_PARAMETER;
    }
    PETHREAD t = CONTAINING_RECORD(kt, ETHREAD, Tcb);
    ULONG count = 0;
    for (PLPCP_TERMINATION_PORT e = t->TerminationPorts; e; e = e->Next)
        count++;
    PLPCP_TERMINATION_PORT entry =
        count < LPCP_MAX_TERMINATION_PORTS
            ? ExAllocatePoolWithTag(NonPagedPool, sizeof *entry, LPCP_TERMINATION_TAG)
            : NULL;
    if (!entry) {
        ObDereferenceObject(port);
        return STATUS_QUOTA_EXCEEDED;
    }
    entry->Port = port;
    entry->Next = t->TerminationPorts;
    t->TerminationPorts = entry;
    return STATUS_SUCCESS;
}

/* Queues LPC_CLIENT_DIED through Port, from the current thread. */
static VOID send_client_died(PLPCP_PORT_OBJECT Port) {
    PLPCP_MESSAGE m = LpcpAllocateMessage();
    if (!m)
        return; /* the server will still learn of the process through LPC_PORT_CLOSED */
    m->Header.Type = LPC_CLIENT_DIED;
    m->Header.DataLength = sizeof(LARGE_INTEGER);
    m->Header.TotalLength = sizeof(PORT_MESSAGE) + sizeof(LARGE_INTEGER);
    memset(m->Bytes + sizeof(PORT_MESSAGE), 0, sizeof(LARGE_INTEGER)); /* the CreateTime we do not keep */
    m->Header.ClientId = LpcpCurrentClientId();
    ULONG s = LpcpLock();
    PLPCP_PORT_OBJECT target = LpcpSendTarget(Port);
    m->Header.MessageId = LpcpNextMessageId();
    m->PortContext = Port->Kind == LPCP_CLIENT_COMMUNICATION && Port->ConnectedPort
                         ? Port->ConnectedPort->PortContext
                         : NULL;
    NTSTATUS status = target ? LpcpEnqueue(target, m) : STATUS_PORT_DISCONNECTED;
    LpcpUnlock(s);
    if (!NT_SUCCESS(status))
        LpcpFreeMessage(m);
}

VOID LpcExitThread(PETHREAD Thread) {
    BOOLEAN running = &Thread->Tcb == KeGetCurrentThread();
    while (Thread->TerminationPorts) {
        PLPCP_TERMINATION_PORT e = Thread->TerminationPorts;
        Thread->TerminationPorts = e->Next;
        if (running)
            send_client_died(e->Port);
        ObDereferenceObject(e->Port);
        ExFreePoolWithTag(e, LPCP_TERMINATION_TAG);
    }
}
