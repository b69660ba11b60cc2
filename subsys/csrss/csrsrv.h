/*
 * csrsrv.h - csrsrv's structures: the Win32 processes and threads csrss
 * knows, and the shape of a server module.
 *
 * Why: csrss is a server of servers. csrsrv (this folder) owns the ports,
 * the request threads and the lists of client processes and threads;
 * server modules (basesrv today; consrv, winsrv and GDI later) each bring a
 * dispatch table and a validation table indexed by ApiId, and optional
 * connect, disconnect, shutdown and quick-LPC routines. csrsrv checks
 * everything a client controls (the API number, the message length, the
 * capture buffer and each pointer in it) before a module sees the message,
 * so a module's routine may trust its argument structure's size and any
 * pointer it validates with CsrValidateMessageBuffer.
 *
 * Locking: the process list and every CSR_PROCESS/CSR_THREAD field change
 * only under CsrProcessLock. A CSR_PROCESS is reference-counted: a request
 * thread holds a reference while it dispatches, so a client dying in the
 * middle of a call cannot free the process under it.
 */
#ifndef CSRSS_CSRSRV_H
#define CSRSS_CSRSRV_H

#include <csr/csrmsg.h>
#include <nt/list.h>
#include <nt/ntapi.h>
#include <nt/ntcrt.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

#define CSR_REQUEST_THREADS 2
#define CSR_MAX_BAD_REQUESTS 16 /* malformed requests in a row before a client is cut off */
#define CSR_MAX_QLPC_THREADS 64 /* quick-LPC server threads per client process */
#define CSR_QLPC_DATA_MAX (CSR_QLPC_WINDOW_SIZE - 16)

typedef struct _CSR_PROCESS CSR_PROCESS, *PCSR_PROCESS;

/* A client thread csrss knows (from BasepCreateThread, a quick-LPC
 * connect, or its process's first request). */
typedef struct _CSR_THREAD {
    LIST_ENTRY Link; /* on its process's ThreadList */
    CLIENT_ID ClientId;
    HANDLE ThreadHandle;           /* csrss's handle, or NULL */
    struct _CSR_QLPC_THREAD *Qlpc; /* its quick-LPC server, or NULL */
} CSR_THREAD, *PCSR_THREAD;

struct _CSR_PROCESS {
    LIST_ENTRY Link;      /* on CsrProcessList */
    LONG References;      /* the list's one, one per request in progress, one per quick-LPC thread */
    ULONG ConnectionId;   /* the port context of its connection (0: not connected) */
    BOOLEAN Removed;      /* off the list; freed at the last reference */
    BOOLEAN Connected;    /* has a connection to \Windows\ApiPort */
    BOOLEAN Exiting;      /* said BasepExitProcess */
    CLIENT_ID ClientId;   /* UniqueThread unused */
    HANDLE ProcessHandle; /* csrss's handle to the client process */
    HANDLE ServerPort;    /* csrss's end of the connection */
    PCHAR ViewBase;       /* the client's port view, in csrss */
    SIZE_T ViewSize;
    ULONG BadRequests;
    ULONG QlpcThreads;
    ULONG ExitCode;
    ULONG ShutdownLevel, ShutdownFlags;
    ULONG ConnectedServers; /* bit per server module that accepted the client */
    LIST_ENTRY ThreadList;
};

/* An API routine: the message is csrss's private copy, already checked
 * against the validation table; capture pointers in it are csrss's view
 * addresses, each known to lie in the capture buffer. Returns the status
 * the client gets. */
typedef NTSTATUS (*PCSR_API_ROUTINE)(PCSR_API_MESSAGE Message, PCSR_PROCESS Process);

typedef struct _CSR_SERVER_DLL {
    PCSTR Name;
    ULONG ServerId;
    ULONG ApiCount;
    const PCSR_API_ROUTINE *DispatchTable; /* ApiCount entries */
    const USHORT *ArgumentLength;          /* validation: bytes of the union each API needs */
    const UCHAR *MaxCapturePointers;       /* validation: capture pointers each API may carry */
    /* Called for CsrClientConnectToServer with this module's id; Info is
     * csrss's copy (Length bytes), written back to the client. */
    NTSTATUS (*ConnectRoutine)(PCSR_PROCESS Process, PVOID Info, ULONG Length);
    /* The client process is gone (called without the lock held). */
    VOID (*DisconnectRoutine)(PCSR_PROCESS Process);
    /* Shutdown: ends the process if this module owns it; TRUE if it did. */
    BOOLEAN (*ShutdownProcessRoutine)(PCSR_PROCESS Process);
    /* A quick-LPC request for this module, on the client thread's server
     * thread (which holds a reference to Process); Data is csrss's view of
     * the window's data, shared with the client and changeable under its
     * feet (Length bytes in, at most CSR_QLPC_DATA_MAX). Sets *Length to
     * the answer's size. */
    NTSTATUS (*QuickLpcDispatch)(PCSR_PROCESS Process, ULONG ApiId, PUCHAR Data, PULONG Length);
} CSR_SERVER_DLL, *PCSR_SERVER_DLL;

extern const CSR_SERVER_DLL CsrSrvServerDll, BaseSrvServerDll, GdiSrvServerDll;
/* gdisrv: maps the display and starts the GDI engine. */
NTSTATUS GdiSrvInitialize(VOID);
extern const CSR_SERVER_DLL *CsrServerDlls[CSR_SERVER_DLL_MAX];
extern RTL_CRITICAL_SECTION CsrProcessLock;
extern LIST_ENTRY CsrProcessList;
extern HANDLE CsrApiPort;
extern ULONG CsrProcessCount;

#define CsrLock() RtlEnterCriticalSection(&CsrProcessLock)
#define CsrUnlock() RtlLeaveCriticalSection(&CsrProcessLock)
#define CsrHeap() (NtCurrentPeb()->ProcessHeap)

/* process.c */
/* The listed process with UniqueProcess Pid, or NULL; lock held, no reference added. */
PCSR_PROCESS CsrLockedFindProcess(HANDLE Pid);
/* Adds a process entry for Pid with csrss's ProcessHandle (taken over); lock held.
 * NULL when out of memory (the handle is then closed). */
PCSR_PROCESS CsrLockedInsertProcess(HANDLE Pid, HANDLE ProcessHandle);
VOID CsrReferenceProcess(PCSR_PROCESS Process);
VOID CsrDereferenceProcess(PCSR_PROCESS Process);
/* Takes the process off the list, closes its connection, stops its
 * quick-LPC threads and tells every module (lock not held). */
VOID CsrRemoveProcess(PCSR_PROCESS Process);
/* The thread entry for Cid in Process, created if Create; lock held. */
PCSR_THREAD CsrLockedFindThread(PCSR_PROCESS Process, CLIENT_ID Cid, BOOLEAN Create);
/* The thread is gone: stops its quick-LPC thread, frees the entry. Lock held. */
VOID CsrLockedRemoveThread(PCSR_PROCESS Process, PCSR_THREAD Thread);
/* The skeleton of shutdown; returns how many processes were ended. */
ULONG CsrShutdownProcesses(VOID);

/* api.c */
/* TRUE if Count elements of Size bytes at *Buffer lie in the message's
 * capture buffer (NT's CsrValidateMessageBuffer). */
BOOLEAN CsrValidateMessageBuffer(PCSR_API_MESSAGE Message, PVOID *Buffer, ULONG Count, ULONG Size);
NTSTATUS CsrApiRequestThread(PVOID Parameter);

/* qlpc.c */
/* CsrpThreadConnect: duplicates the client thread's section and event
 * pair, maps the window and starts the thread's server thread. */
NTSTATUS CsrQlpcConnect(PCSR_PROCESS Process, CLIENT_ID Thread, HANDLE ClientSection, HANDLE ClientEventPair,
                        PVOID *ServerWindow);
/* Asks the thread's quick-LPC server to stop and forgets it. Lock held. */
VOID CsrLockedQlpcStop(PCSR_PROCESS Process, PCSR_THREAD Thread);

/* sbapi.c */
NTSTATUS CsrSbApiRequestThread(PVOID Parameter);

#endif
