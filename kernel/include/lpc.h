/*
 * lpc.h - local procedure call ports inside the kernel (kernel/lpc).
 *
 * Why: LPC is how NT's subsystems talk: a server (csrss) creates a named
 * connection port, each client connects and gets a private communication
 * port whose peer is a server communication port, and messages are copied
 * through kernel buffers (a zone, then the pool) from one side's queue to
 * the other. These are
 * the kernel's views of those objects; the wire format is <nt/ntlpc.h>.
 */
#ifndef KERNEL_LPC_H
#define KERNEL_LPC_H

#include <nt/ntlpc.h>
#include "ketypes.h"
#include "ob.h"

/* LPCP_PORT_OBJECT.Kind */
#define LPCP_CONNECTION_PORT      1 /* named; receives connection requests and every client's messages */
#define LPCP_SERVER_COMMUNICATION 2 /* the server's end of one connection */
#define LPCP_CLIENT_COMMUNICATION 3 /* the client's end; receives what the server sends it */

/* A message in a queue: a kernel copy of the sender's bytes. */
typedef struct _LPCP_MESSAGE {
    LIST_ENTRY Entry;
    PVOID PortContext; /* the server port's context, handed to the receiver */
    union {
        PORT_MESSAGE Header;
        UCHAR Bytes[PORT_MAXIMUM_MESSAGE_LENGTH];
    };
} LPCP_MESSAGE, *PLPCP_MESSAGE;

typedef struct _LPCP_PORT_OBJECT {
    ULONG Kind;
    BOOLEAN Closed;                              /* its last handle went */
    struct _LPCP_PORT_OBJECT *ConnectionPort;    /* comm ports: referenced */
    struct _LPCP_PORT_OBJECT *ConnectedPort;     /* comm ports: the peer, not referenced; NULL once cut */
    struct _EPROCESS *ServerProcess;             /* connection port: who may accept on it */
    PVOID PortContext;                           /* server comm port: given at accept */
    struct _LPCP_WAITER *ConnectWaiter;          /* server comm port: accepted, not yet completed */
    ULONG MaxMessageLength;
    ULONG MaxConnectionInfoLength;
    ULONG QueueDepth;
    LIST_ENTRY MsgQueue;                         /* LPCP_MESSAGEs to receive */
    KSEMAPHORE Semaphore;                        /* one count per queued message */
    struct _EPROCESS *ViewProcess;               /* comm ports: referenced; where ViewBases live */
    PVOID ViewBases[2];                          /* port views mapped there for this connection */
} LPCP_PORT_OBJECT, *PLPCP_PORT_OBJECT;

extern POBJECT_TYPE LpcPortObjectType;

/* Creates the Port object type (phase 0, after Ob). */
NT_CHECK_RESULT NTSTATUS LpcInitSystem(VOID);

/* A thread's end: sends LPC_CLIENT_DIED through each port it registered
 * with NtRegisterThreadTerminatePort (only when Thread is the caller) and
 * drops the registrations. */
struct _ETHREAD;
VOID LpcExitThread(struct _ETHREAD *Thread);

#endif
