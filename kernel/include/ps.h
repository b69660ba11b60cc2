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
    HANDLE_TABLE ObjectTable;
    BOOLEAN IsSystem;        /* may create objects in \Windows (NT: the SYSTEM token) */
    NTSTATUS ExitStatus;
    LIST_ENTRY ActiveProcessLinks;
    CHAR ImageFileName[PROCESS_IMAGE_NAME];
} EPROCESS, *PEPROCESS;

typedef struct _ETHREAD {
    KTHREAD Tcb;
    CLIENT_ID Cid;
    NTSTATUS ExitStatus;
    LIST_ENTRY ThreadListEntry;
} ETHREAD, *PETHREAD;

extern EPROCESS PsIdleProcess;
extern POBJECT_TYPE PsProcessType, PsThreadType;
NT_CHECK_RESULT NTSTATUS PsInitSystem(VOID);
extern PEPROCESS PsInitialSystemProcess;

#define PsGetCurrentProcess() CONTAINING_RECORD(KeGetCurrentThread()->Process, EPROCESS, Pcb)

#endif
