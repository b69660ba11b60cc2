/*
 * exit.c - ending threads and processes.
 *
 * Why: a thread only ever ends itself, in kernel mode, on its own stack:
 * another thread asking it to end (NtTerminateThread, NtTerminateProcess, a
 * fatal exception) marks it TerminatePending and wakes it from a user-mode
 * wait; it notices on its way back to user mode and exits there. The last
 * thread out of a process closes the process's handles, frees its address
 * space and signals the process. A thread cannot free the stack it runs on,
 * so its final reference is dropped later by the reaper (the idle thread).
 */
#define KD_COMPONENT "ps"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/lpc.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/x86.h"
#include <nt/ntapi.h>

#define PROCESS_TERMINATE 0x0001
#define THREAD_TERMINATE 0x0001

VOID KiWaitTest(DISPATCHER_HEADER *Object, LONG Increment);

static LIST_ENTRY PspReaperList = {&PspReaperList, &PspReaperList};

/* Idle-thread work: drop the self-references of threads that have exited. */
VOID PspReapThreads(VOID) {
    for (;;) {
        ULONG s = KeDisableInterrupts();
        if (IsListEmpty(&PspReaperList)) {
            KeRestoreInterrupts(s);
            return;
        }
        PETHREAD t = CONTAINING_RECORD(RemoveHeadList(&PspReaperList), ETHREAD, ReaperLink);
        KeRestoreInterrupts(s);
        ObDereferenceObject(t);
    }
}

static PKWIN32_PROCESS_CALLOUT PspW32ProcessCallout;

VOID PsEstablishWin32Callouts(PKWIN32_PROCESS_CALLOUT ProcessCallout) {
    PspW32ProcessCallout = ProcessCallout;
}

static void exit_process(PEPROCESS P, NTSTATUS Status) {
    if (!P->Exiting)
        P->ExitStatus = Status;
    P->Exiting = TRUE;
    if (PspW32ProcessCallout)
        PspW32ProcessCallout(P); /* its GDI objects, while its address space is whole */
    ObKillHandleTable(P);
    MmCleanProcessAddressSpace(P);
    P->AddressSpaceDeleted = TRUE;
    ULONG s = KiAcquireDispatcherLock();
    P->Pcb.Header.SignalState = 1;
    KiWaitTest(&P->Pcb.Header, 0);
    KiReleaseDispatcherLock(s);
    KdPrint("process %s (pid %u) exited with status 0x%08X", P->ImageFileName,
            (ULONG)(ULONG_PTR)P->UniqueProcessId, (ULONG)P->ExitStatus);
}

VOID PspExitThread(NTSTATUS Status) {
    PETHREAD t = CONTAINING_RECORD(KeGetCurrentThread(), ETHREAD, Tcb);
    PEPROCESS p = CONTAINING_RECORD(t->Tcb.Process, EPROCESS, Pcb);
    _enable();
    t->ExitStatus = Status;
    LpcExitThread(t); /* while the thread's identity is still whole */
    t->HasTerminated = TRUE;
    ULONG s = KeDisableInterrupts();
    RemoveEntryList(&t->ThreadListEntry);
    BOOLEAN last = --p->ActiveThreads == 0;
    KeRestoreInterrupts(s);
    if (last)
        exit_process(p, Status);
    s = KeDisableInterrupts();
    InsertTailList(&PspReaperList, &t->ReaperLink);
    KeRestoreInterrupts(s);
    KeTerminateThread(Status);
}

/* Asks T (not the caller) to end with Status; it exits at its next chance. */
static void terminate_other(PETHREAD T, NTSTATUS Status) {
    ULONG s = KiAcquireDispatcherLock();
    if (!T->Tcb.TerminatePending && !T->HasTerminated) {
        T->Tcb.TerminatePending = TRUE;
        T->ExitStatus = Status;
        if (T->Tcb.State == Initialized) { /* never ran: start it, it exits at once */
            T->SuspendCount = 0;
            KiReadyThread(&T->Tcb);
        }
    }
    KiReleaseDispatcherLock(s);
    KeAlertWaitingThread(&T->Tcb, STATUS_THREAD_IS_TERMINATING);
}

/* Called by Ke on the way back to user mode when TerminatePending is set. */
VOID PspTerminatePendingThread(VOID) {
    PETHREAD t = CONTAINING_RECORD(KeGetCurrentThread(), ETHREAD, Tcb);
    PspExitThread(t->ExitStatus);
}

/* Ends every thread of P but the caller; TRUE if the caller is in P. */
static BOOLEAN terminate_threads(PEPROCESS P, NTSTATUS Status) {
    PETHREAD self = CONTAINING_RECORD(KeGetCurrentThread(), ETHREAD, Tcb);
    BOOLEAN callerInside = FALSE;
    ULONG s = KeDisableInterrupts();
    for (PLIST_ENTRY e = P->ThreadListHead.Flink; e != &P->ThreadListHead; e = e->Flink) {
        PETHREAD t = CONTAINING_RECORD(e, ETHREAD, ThreadListEntry);
        if (t == self)
            callerInside = TRUE;
        else
            terminate_other(t, Status);
    }
    KeRestoreInterrupts(s);
    return callerInside;
}

NTSTATUS PspTerminateProcess(PEPROCESS P, NTSTATUS Status) {
    if (!P->Exiting) {
        P->Exiting = TRUE;
        P->ExitStatus = Status;
    }
    if (P->ActiveThreads == 0 && !P->AddressSpaceDeleted)
        exit_process(P, Status); /* a process with no thread yet */
    else if (terminate_threads(P, Status))
        PspExitThread(Status);
    return STATUS_SUCCESS;
}

/* A fatal user-mode exception: the process ends with the exception code. */
VOID PspUserException(NTSTATUS Code) {
    PEPROCESS p = PsGetCurrentProcess();
    KdPrint("process %s (pid %u) ended by exception 0x%08X", p->ImageFileName,
            (ULONG)(ULONG_PTR)p->UniqueProcessId, (ULONG)Code);
    (void)PspTerminateProcess(p, Code);
}

NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus) {
    if (!ProcessHandle) { /* NT: every thread but the caller */
        PEPROCESS p = PsGetCurrentProcess();
        p->ExitStatus = ExitStatus;
        (void)terminate_threads(p, ExitStatus);
        return STATUS_SUCCESS;
    }
    PEPROCESS p;
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_TERMINATE, PsProcessType,
                                                KeGetPreviousMode(), (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status))
        return status;
    if (p == PsInitialSystemProcess) {
        ObDereferenceObject(p);
        return STATUS_ACCESS_DENIED;
    }
    if (p == PsGetCurrentProcess())
        ObDereferenceObject(p); /* we may not come back */
    status = PspTerminateProcess(p, ExitStatus);
    if (p != PsGetCurrentProcess())
        ObDereferenceObject(p);
    return status;
}

NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus) {
    PETHREAD self = CONTAINING_RECORD(KeGetCurrentThread(), ETHREAD, Tcb);
    if (!ThreadHandle || ThreadHandle == NtCurrentThread())
        PspExitThread(ExitStatus);
    PETHREAD t;
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle, THREAD_TERMINATE, PsThreadType,
                                                KeGetPreviousMode(), (PVOID *)&t, NULL);
    if (!NT_SUCCESS(status))
        return status;
    if (t == self) {
        ObDereferenceObject(t);
        PspExitThread(ExitStatus);
    }
    terminate_other(t, ExitStatus);
    ObDereferenceObject(t);
    return STATUS_SUCCESS;
}

/* Thread delete procedure: it has exited (or never started). */
VOID PspDeleteThread(PVOID Object) {
    PETHREAD t = Object;
    LpcExitThread(t); /* registrations of a thread that never ran */
    if (t->EventPair)
        ObDereferenceObject(t->EventPair);
    if (t->Tcb.StackBase)
        KeDeleteThread(&t->Tcb);
    if (t->ProcessReferenced)
        ObDereferenceObject(CONTAINING_RECORD(t->Tcb.Process, EPROCESS, Pcb));
}
