/*
 * sched.c - the scheduler: ready queues, the context switch, time slices.
 *
 * Why: NT schedules threads, not processes, by 32 priority levels: 16-31 are
 * real-time (fixed), 1-15 variable (boosted when a wait ends, decaying back
 * as time slices run out), 0 is the idle thread's. The highest-priority
 * ready thread runs; equal priorities share the processor round-robin.
 *
 * This kernel is not preemptible in kernel mode: a thread running kernel code
 * keeps the processor until it waits, yields, or returns to user mode. When a
 * better thread becomes ready (a wait ends, a time slice runs out),
 * NeedReschedule is set and the switch happens at the next trap exit to user
 * mode or in the idle loop. That keeps every kernel structure safe with
 * nothing more than interrupts off around the dispatcher's own lists.
 */
#define KD_COMPONENT "ke"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/x86.h"

extern KTSS KiTss;
VOID KiSwapContext(ULONG *SaveEsp, ULONG NewEsp);
VOID KiSetTebSelectorBase(ULONG Base);

static LIST_ENTRY KiDispatcherReadyListHead[MAXIMUM_PRIORITY];
static ULONG KiReadySummary; /* bit n set: queue n is not empty */

VOID KiReleaseDispatcherLock(ULONG State) {
    KeRestoreInterrupts(State);
}

static void insert_ready(PKTHREAD Thread, BOOLEAN AtHead) {
    Thread->State = Ready;
    if (AtHead)
        InsertHeadList(&KiDispatcherReadyListHead[(int)Thread->Priority], &Thread->QueueEntry);
    else
        InsertTailList(&KiDispatcherReadyListHead[(int)Thread->Priority], &Thread->QueueEntry);
    KiReadySummary |= 1u << Thread->Priority;
}

static PKTHREAD remove_highest(void) {
    if (!KiReadySummary)
        return NULL;
    int prio = 31 - __builtin_clz(KiReadySummary);
    PLIST_ENTRY e = RemoveHeadList(&KiDispatcherReadyListHead[prio]);
    if (IsListEmpty(&KiDispatcherReadyListHead[prio]))
        KiReadySummary &= ~(1u << prio);
    return CONTAINING_RECORD(e, KTHREAD, QueueEntry);
}

/* Called with the dispatcher lock held. */
VOID KiReadyThread(PKTHREAD Thread) {
    insert_ready(Thread, FALSE);
    PKTHREAD current = KeGetCurrentThread();
    if (current && Thread->Priority > current->Priority)
        KiPcr.PrcbData.NeedReschedule = TRUE;
}

VOID KeReadyThread(PKTHREAD Thread) {
    ULONG s = KiAcquireDispatcherLock();
    KiReadyThread(Thread);
    KiReleaseDispatcherLock(s);
}

/* Switches from the current thread to Next. Dispatcher lock held. */
static void switch_to(PKTHREAD Next) {
    PKTHREAD prev = KeGetCurrentThread();
    if (Next == prev) {
        Next->State = Running;
        return;
    }
    Next->State = Running;
    Next->Counters.ContextSwitches++; /* counted on the thread switched in */
    KiPcr.PrcbData.Counters.ContextSwitches++;
    if (Next->ApcStateProcess != prev->ApcStateProcess) {
        KiWriteCr3(Next->ApcStateProcess->DirectoryTableBase);
        Next->Counters.AddressSpaceSwitches++;
        KiPcr.PrcbData.Counters.AddressSpaceSwitches++;
    }
    KiTss.Esp0 = Next->StackBase;
    if (Next->Teb)
        KiSetTebSelectorBase((ULONG)Next->Teb);
    KiPcr.PrcbData.CurrentThread = Next;
    KiSwapContext(&prev->KernelStack, Next->KernelStack);
    /* Back on the previous thread's stack: someone switched to us. */
}

/* The current thread has left the Running state (it waits, was readied, or
 * ended); runs the best ready thread, or idle. Returns when the current thread
 * runs again, with its WaitStatus. Dispatcher lock held on entry and exit. */
NTSTATUS KiSwapThread(VOID) {
    PKTHREAD next = remove_highest();
    if (!next)
        next = KiPcr.PrcbData.IdleThread;
    KiPcr.PrcbData.NeedReschedule = FALSE;
    switch_to(next);
    return KeGetCurrentThread()->WaitStatus;
}

/* Switches straight to Target, which the caller has just made runnable and
 * removed from every queue: NT's event-pair handoff. */
VOID KiSwapThreadTo(PKTHREAD Target) {
    KiPcr.PrcbData.DirectHandoffs++;
    KiPcr.PrcbData.NeedReschedule = FALSE;
    switch_to(Target);
}

/* Puts the running thread back on its ready queue and picks again. */
static void preempt_current(void) {
    PKTHREAD t = KeGetCurrentThread();
    if (t == KiPcr.PrcbData.IdleThread) {
        t->State = Ready;
    } else if (t->Quantum <= 0) {
        t->Quantum = THREAD_QUANTUM;
        insert_ready(t, FALSE); /* used its slice: behind its equals */
    } else {
        insert_ready(t, TRUE); /* preempted early: first in line */
    }
    KiSwapThread();
}

VOID KeYieldExecution(VOID) {
    ULONG s = KiAcquireDispatcherLock();
    PKTHREAD t = KeGetCurrentThread();
    t->Quantum = THREAD_QUANTUM;
    insert_ready(t, FALSE);
    KiSwapThread();
    KiReleaseDispatcherLock(s);
}

VOID KiCheckPreemption(PKTRAP_FRAME TrapFrame) {
    PKTHREAD t = KeGetCurrentThread();
    if (!t || !KiPcr.PrcbData.NeedReschedule)
        return;
    if (!(TrapFrame->SegCs & RPL_USER) && t != KiPcr.PrcbData.IdleThread)
        return; /* kernel code is not preempted */
    ULONG s = KiAcquireDispatcherLock();
    if (KiPcr.PrcbData.NeedReschedule)
        preempt_current();
    KiReleaseDispatcherLock(s);
}

/* Clock tick: charge the time slice. When it is used up, lower a boosted
 * priority one step towards the base and let an equal or better thread in. */
VOID KiQuantumEnd(VOID) {
    PKTHREAD t = KeGetCurrentThread();
    if (!t || t == KiPcr.PrcbData.IdleThread) {
        if (KiReadySummary)
            KiPcr.PrcbData.NeedReschedule = TRUE;
        return;
    }
    if (--t->Quantum > 0)
        return;
    if (t->Priority < LOW_REALTIME_PRIORITY && t->Priority > t->BasePriority)
        t->Priority--;
    if (KiReadySummary >> t->Priority) /* someone at our priority or above */
        KiPcr.PrcbData.NeedReschedule = TRUE;
    else
        t->Quantum = THREAD_QUANTUM;
}

CHAR KeSetPriorityThread(PKTHREAD Thread, CHAR Priority) {
    ULONG s = KiAcquireDispatcherLock();
    CHAR old = Thread->Priority;
    Thread->BasePriority = Priority;
    if (Thread->State == Ready) {
        RemoveEntryList(&Thread->QueueEntry);
        if (IsListEmpty(&KiDispatcherReadyListHead[(int)old]))
            KiReadySummary &= ~(1u << old);
        Thread->Priority = Priority;
        KiReadyThread(Thread);
    } else {
        Thread->Priority = Priority;
        if (Thread == KeGetCurrentThread() && Priority < HIGH_PRIORITY && (KiReadySummary >> (Priority + 1)))
            KiPcr.PrcbData.NeedReschedule = TRUE;
    }
    KiReleaseDispatcherLock(s);
    return old;
}

VOID KiInitializeScheduler(PKTHREAD IdleThread, PKPROCESS IdleProcess) {
    for (ULONG i = 0; i < MAXIMUM_PRIORITY; i++)
        InitializeListHead(&KiDispatcherReadyListHead[i]);
    /* The boot thread becomes the idle thread: it already has a stack. */
    IdleThread->Process = IdleThread->ApcStateProcess = IdleProcess;
    IdleThread->Priority = IdleThread->BasePriority = LOW_PRIORITY;
    IdleThread->State = Running;
    IdleThread->StackBase = KiTss.Esp0;
    InitializeListHead(&IdleThread->MutantListHead);
    KiPcr.PrcbData.IdleThread = IdleThread;
    KiPcr.PrcbData.CurrentThread = IdleThread;
}

VOID KiIdleLoop(VOID) {
    for (;;) {
        if (KeExecutiveCallbacks.IdleWork)
            KeExecutiveCallbacks.IdleWork(); /* runs with interrupts on */
        _disable();
        if (KiReadySummary) {
            KeGetCurrentThread()->State = Ready;
            KiSwapThread();
        }
        /* sti;hlt is atomic: no interrupt slips in between. */
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}

/* Runs the current thread in Process's address space until KeDetachProcess
 * (NT's KeAttachProcess): how the kernel reads or builds another process's
 * user memory. Attachments do not nest. */
VOID KeAttachProcess(PKPROCESS Process) {
    PKTHREAD t = KeGetCurrentThread();
    ULONG s = KiAcquireDispatcherLock();
    if (t->ApcStateProcess != t->Process)
        KeBugCheckEx(INVALID_PROCESS_ATTACH_ATTEMPT, (ULONG_PTR)Process, (ULONG_PTR)t->ApcStateProcess, 0, 0);
    if (Process != t->Process) {
        t->ApcStateProcess = Process;
        KiWriteCr3(Process->DirectoryTableBase);
        KeCountEvent(AddressSpaceSwitches, 1);
    }
    KiReleaseDispatcherLock(s);
}

VOID KeDetachProcess(VOID) {
    PKTHREAD t = KeGetCurrentThread();
    ULONG s = KiAcquireDispatcherLock();
    if (t->ApcStateProcess != t->Process) {
        t->ApcStateProcess = t->Process;
        KiWriteCr3(t->Process->DirectoryTableBase);
        KeCountEvent(AddressSpaceSwitches, 1);
    }
    KiReleaseDispatcherLock(s);
}
