/*
 * thread.c - creating, starting and ending threads.
 *
 * Why: a thread is a kernel stack plus a KTHREAD. KeInitializeThread builds
 * the stack so that the first switch to the thread "returns" into
 * KiThreadStartup: for a system thread that calls its start routine; for a
 * user thread it falls through to the trap-exit path and the `iretd` there
 * enters user mode with the register frame the creator supplied. Ending a
 * thread signals it (waiters on the thread wake), abandons the mutants it
 * owns, and switches away for good; its stack is freed later by whoever
 * deletes the thread, since a thread cannot free the stack it runs on.
 */
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/rtl.h"
#include "../include/x86.h"

VOID KiThreadStartup(VOID);
VOID KiWaitTest(DISPATCHER_HEADER *Object, LONG Increment);
VOID KiAbandonMutants(PKTHREAD Thread);

/* The callee-saved registers KiSwapContext pops, then its return address. */
typedef struct _KSWITCH_FRAME {
    ULONG Edi, Esi, Ebx, Ebp;
    ULONG ReturnAddress;
} KSWITCH_FRAME;

VOID KeInitializeProcess(PKPROCESS Process, UCHAR BasePriority, ULONG DirectoryTableBase) {
    Process->Header.Type = ProcessObject;
    Process->Header.SignalState = 0;
    InitializeListHead(&Process->Header.WaitListHead);
    InitializeListHead(&Process->ThreadListHead);
    Process->BasePriority = BasePriority;
    Process->DirectoryTableBase = DirectoryTableBase;
    Process->ThreadCount = 0;
}

NTSTATUS KeInitializeThread(PKTHREAD Thread, PKPROCESS Process, PKSTART_ROUTINE StartRoutine,
                            PVOID StartContext, const KTRAP_FRAME *UserFrame, CHAR Priority) {
    if ((StartRoutine == NULL) == (UserFrame == NULL) || Priority <= LOW_PRIORITY || Priority > HIGH_PRIORITY)
        return STATUS_INVALID_PARAMETER;
    memset(Thread, 0, sizeof *Thread);
    NTSTATUS status = MmCreateKernelStack(KERNEL_STACK_PAGES, &Thread->StackBase, &Thread->StackLimit);
    if (!NT_SUCCESS(status))
        return status;
    Thread->Header.Type = ThreadObject;
    InitializeListHead(&Thread->Header.WaitListHead);
    InitializeListHead(&Thread->MutantListHead);
    Thread->Process = Thread->ApcStateProcess = Process;
    Thread->Priority = Thread->BasePriority = Priority;
    Thread->Quantum = THREAD_QUANTUM;
    Thread->State = Initialized;
    Thread->StartRoutine = StartRoutine;
    Thread->StartContext = StartContext;

    ULONG_PTR sp = Thread->StackBase;
    if (UserFrame) {
        sp -= sizeof(KTRAP_FRAME);
        memcpy((PVOID)sp, UserFrame, sizeof(KTRAP_FRAME));
    }
    sp -= sizeof(KSWITCH_FRAME);
    KSWITCH_FRAME *f = (KSWITCH_FRAME *)sp;
    memset(f, 0, sizeof *f);
    f->Ebx = (ULONG)Thread;
    f->ReturnAddress = (ULONG)KiThreadStartup;
    Thread->KernelStack = sp;

    ULONG s = KiAcquireDispatcherLock();
    InsertTailList(&Process->ThreadListHead, &Thread->ThreadListEntry);
    Process->ThreadCount++;
    KiReleaseDispatcherLock(s);
    return STATUS_SUCCESS;
}

/* First code of every new thread (from KiThreadStartup). The switch that got
 * here held the dispatcher lock: release it, which turns interrupts on. */
VOID KiThreadStartupC(PKTHREAD Thread) {
    KiReleaseDispatcherLock(EFLAGS_IF);
    if (Thread->StartRoutine) {
        Thread->StartRoutine(Thread->StartContext);
        KeTerminateThread(STATUS_SUCCESS);
    }
    /* A user thread: return and leave through its trap frame, unless it was
     * asked to end before it ever ran. */
    if (Thread->TerminatePending && KeExecutiveCallbacks.TerminatePendingThread)
        KeExecutiveCallbacks.TerminatePendingThread();
}

VOID KeTerminateThread(NTSTATUS ExitStatus) {
    PKTHREAD t = KeGetCurrentThread();
    (void)KiAcquireDispatcherLock();
    KiAbandonMutants(t);
    t->WaitStatus = ExitStatus;
    t->Header.SignalState = 1;
    KiWaitTest(&t->Header, 0);
    RemoveEntryList(&t->ThreadListEntry);
    t->Process->ThreadCount--;
    t->State = Terminated;
    KiSwapThread();
    for (;;)
        KiHalt(); /* not reached: nothing switches back to a terminated thread */
}

VOID KeDeleteThread(PKTHREAD Thread) {
    if (Thread->State != Terminated && Thread->State != Initialized)
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x3000, (ULONG_PTR)Thread, Thread->State, 0);
    if (Thread->State == Initialized) {
        ULONG s = KiAcquireDispatcherLock();
        RemoveEntryList(&Thread->ThreadListEntry);
        Thread->Process->ThreadCount--;
        KiReleaseDispatcherLock(s);
    }
    if (Thread->StackBase) {
        MmDeleteKernelStack(Thread->StackBase, KERNEL_STACK_PAGES);
        Thread->StackBase = 0;
    }
}
