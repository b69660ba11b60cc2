/*
 * ps.h - processes and threads as the executive sees them.
 *
 * Why: NT wraps the kernel's scheduling objects (KPROCESS, KTHREAD) in
 * executive objects (EPROCESS, ETHREAD) that add what the rest of the system
 * needs: an ID, a handle table, an address space, an exit status. Every
 * KPROCESS in this kernel sits inside an EPROCESS, so the current process is
 * always CONTAINING_RECORD of the current thread's Process.
 */
#ifndef KERNEL_PS_H
#define KERNEL_PS_H

#include "ke.h"
#include "ob.h"

#define PROCESS_IMAGE_NAME 16

typedef struct _EPROCESS {
    KPROCESS Pcb;
    HANDLE UniqueProcessId;
    HANDLE InheritedFromUniqueProcessId;
    HANDLE_TABLE ObjectTable;
    BOOLEAN IsSystem;        /* may create objects in \Windows (NT: the SYSTEM token) */
    BOOLEAN Exiting;         /* NtTerminateProcess has begun */
    BOOLEAN AddressSpaceDeleted;
    NTSTATUS ExitStatus;
    LIST_ENTRY ActiveProcessLinks;
    LIST_ENTRY ThreadListHead; /* ETHREADs */
    ULONG ActiveThreads;
    CHAR ImageFileName[PROCESS_IMAGE_NAME];
    /* memory */
    LIST_ENTRY VadListHead;  /* MMVADs by address */
    ULONG CommittedPages;    /* private pages charged to the process */
    ULONG_PTR PebAddress;
    ULONG_PTR NextTebAddress;
    PVOID SectionObject;     /* the image section, referenced */
    ULONG_PTR ImageBase;
    ULONGLONG CreateTime;
} EPROCESS, *PEPROCESS;

typedef struct _ETHREAD {
    KTHREAD Tcb;
    CLIENT_ID Cid;
    NTSTATUS ExitStatus;
    LIST_ENTRY ThreadListEntry; /* on the EPROCESS's ThreadListHead */
    LIST_ENTRY ReaperLink;      /* queued for its last dereference after exit */
    ULONG SuspendCount;
    BOOLEAN HasTerminated;
    BOOLEAN ProcessReferenced; /* holds a reference to its process (from PspCreateThread) */
    ULONG_PTR TebAddress;
    PVOID TerminationPorts; /* kernel/lpc: ports to send LPC_CLIENT_DIED through at exit */
    struct _KEVENT_PAIR *EventPair; /* NtSetInformationThread(ThreadEventPair): referenced */
} ETHREAD, *PETHREAD;

extern EPROCESS PsIdleProcess;
extern POBJECT_TYPE PsProcessType, PsThreadType;
NT_CHECK_RESULT NTSTATUS PsInitSystem(VOID);
/* Phase 1: the shared ntdll section and its LdrInitializeThunk. */
NT_CHECK_RESULT NTSTATUS PsLocateSystemDll(VOID);
/* Starts a \SystemRoot image as a child of the System process (how the
 * kernel starts smss.exe); returns the referenced process. */
NT_CHECK_RESULT NTSTATUS PsCreateSystemUserProcess(PCSTR ImagePath, PCSTR CommandLine, PEPROCESS *Process);
extern PEPROCESS PsInitialSystemProcess;

/* The Win32 subsystem's hook in the kernel (NT's PsEstablishWin32Callouts):
 * the kernel-mode GDI host (GDI=kernel) is told when a process ends, before
 * its handles and address space go, to free what the process owned. */
typedef VOID (*PKWIN32_PROCESS_CALLOUT)(PEPROCESS Process);
VOID PsEstablishWin32Callouts(PKWIN32_PROCESS_CALLOUT ProcessCallout);

#define PsGetCurrentProcess() CONTAINING_RECORD(KeGetCurrentThread()->Process, EPROCESS, Pcb)
/* The process whose user space is mapped right now (differs while attached). */
#define PsGetAddressSpaceProcess() CONTAINING_RECORD(KeGetCurrentThread()->ApcStateProcess, EPROCESS, Pcb)

#endif
