/*
 * lpcp.h - what the two halves of kernel/lpc share: the waiter records of
 * blocked senders and connectors, the one LPC lock, and the message helpers.
 *
 * Why: a connecting client and a client awaiting a reply both sleep on a
 * record that the server side must find again (by MessageId and ClientId)
 * to wake it; ports.c (connections) and message.c (requests and replies)
 * both touch those records, so their layout and their rules live here.
 *
 * Locking: this kernel runs on one processor, and every LPC structure
 * (queues, peer links, the waiter list) changes only with interrupts
 * disabled (LpcpLock/LpcpUnlock). Signalling an event or semaphore under it
 * is safe: readying a thread never switches at once. The one switch made
 * under it is KeSignalAndWaitForSingleObject's, at the end of a send or a
 * reply, when every structure is consistent; the thread switched to runs
 * with its own saved interrupt state.
 */
#ifndef KERNEL_LPC_LPCP_H
#define KERNEL_LPC_LPCP_H

#include <nt/ntapi.h>
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/mmtypes.h"
#include "../include/lpc.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"

#define LPCP_MESSAGE_TAG NT_TAG('L', 'p', 'c', 'M')
#define LPCP_PORT_TAG NT_TAG('P', 'o', 'r', 't')
#define LPCP_MAX_QUEUED 256 /* messages waiting on one queue before senders are refused */

enum { LPCP_WAIT_CONNECT = 1, LPCP_WAIT_REPLY = 2 };

/* One blocked thread, on its own kernel stack. It is on LpcpWaiters while
 * Linked; whoever unlinks it (under the lock) sets Status and signals Event,
 * and from then on only its owner touches it. */
typedef struct _LPCP_WAITER {
    LIST_ENTRY Link;
    BOOLEAN Linked;
    BOOLEAN Delivered;             /* the receiver has taken the request */
    UCHAR Kind;                    /* LPCP_WAIT_xxx */
    ULONG MessageId;
    CLIENT_ID ClientId;
    PLPCP_PORT_OBJECT QueuePort;   /* whose queue got the request */
    PLPCP_PORT_OBJECT ClientPort;  /* the sender's communication port */
    PLPCP_PORT_OBJECT ServerPort;  /* connect: the accepted server port, until completed */
    PLPCP_MESSAGE Reply;           /* the reply, or the server's connection information */
    /* connect only: the port views (the client's section, referenced, and
     * where each side sees which); a reply wait leaves these unset */
    struct _EPROCESS *ClientProcess;
    PVOID ClientSection;
    ULONG ClientViewOffsetPages;
    SIZE_T ClientViewSize;
    PVOID ClientViewRemoteBase;    /* the client's view, in the server */
    SIZE_T ServerViewSize;
    PVOID ServerViewRemoteBase;    /* the server's view, in the client */
    NTSTATUS Status;
    KEVENT Event;
} LPCP_WAITER, *PLPCP_WAITER;

extern LIST_ENTRY LpcpWaiters;

static inline ULONG LpcpLock(VOID) { return KeDisableInterrupts(); }
static inline VOID LpcpUnlock(ULONG State) { KeRestoreInterrupts(State); }

/* The calling thread's CLIENT_ID, as the kernel knows it. */
CLIENT_ID LpcpCurrentClientId(VOID);
ULONG LpcpNextMessageId(VOID); /* lock held */
/* Threads the message zone on its free list (LpcInitSystem). */
VOID LpcpInitializeZone(VOID);
/* A message buffer, its header and PortContext cleared; NULL if none is left. */
PLPCP_MESSAGE LpcpAllocateMessage(VOID);
VOID LpcpFreeMessage(PLPCP_MESSAGE Message);
/* Copies a caller's message into a fresh buffer, checking the lengths
 * against MaxLength: STATUS_PORT_MESSAGE_TOO_LONG if it is longer,
 * STATUS_INVALID_PARAMETER if TotalLength is not DataLength + header. The
 * header's ClientId becomes the caller's own; the one it named goes to
 * *NamedClient when that is given (a reply's addressee). Type, MessageId
 * and PortContext are the caller's to set. */
NT_CHECK_RESULT NTSTATUS LpcpCaptureMessage(const PORT_MESSAGE *CallerMessage, ULONG MaxLength,
                                            PLPCP_MESSAGE *Captured, CLIENT_ID *NamedClient);
/* Puts Message on Port's queue and wakes one receiver; lock held. */
NT_CHECK_RESULT NTSTATUS LpcpEnqueue(PLPCP_PORT_OBJECT Port, PLPCP_MESSAGE Message);
/* Unlinks Waiter and wakes it with Status; lock held. */
VOID LpcpWakeWaiter(PLPCP_WAITER Waiter, NTSTATUS Status);
/* Sleeps on Waiter until it is woken or the wait is broken; returns with
 * the waiter unlinked either way. */
NTSTATUS LpcpWait(PLPCP_WAITER Waiter);
/* The port a message sent through Port is queued on, or NULL if cut off. Lock held. */
PLPCP_PORT_OBJECT LpcpSendTarget(PLPCP_PORT_OBJECT Port);
/* The port whose queue a receive on Port reads. */
PLPCP_PORT_OBJECT LpcpReceiveQueue(PLPCP_PORT_OBJECT Port);

#endif
