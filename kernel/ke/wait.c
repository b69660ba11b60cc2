/*
 * wait.c - waiting on dispatcher objects, and waking waiters.
 *
 * Why: this is NT's wait protocol. A waiting thread hangs one KWAIT_BLOCK on
 * each object; when an object is signalled, KiWaitTest walks its wait list
 * in order and satisfies whichever waits can now complete: a wait-any as soon
 * as this object is signalled, a wait-all only when every object in it is.
 * "Satisfying" consumes what the wait took (a synchronization event resets,
 * a semaphore count drops, a mutant gets an owner), so one signal wakes
 * exactly as many threads as it should. Timeouts are kept on a list ordered
 * by due tick and checked on every clock tick.
 */
#include "../include/ke.h"
#include "../include/mm.h"

static LIST_ENTRY KiWaitTimerList; /* threads in timed waits, by due tick */
static BOOLEAN KiWaitInitialized;

static void ensure_init(void) {
    if (!KiWaitInitialized) {
        InitializeListHead(&KiWaitTimerList);
        KiWaitInitialized = TRUE;
    }
}

/* TRUE when Object would satisfy a wait by Thread right now. */
static BOOLEAN is_signalled(DISPATCHER_HEADER *Object, PKTHREAD Thread) {
    if (Object->Type == MutantObject) {
        PKMUTANT m = (PKMUTANT)Object;
        return Object->SignalState > 0 || m->OwnerThread == Thread;
    }
    return Object->SignalState > 0;
}

/* Consumes the signal a completed wait took from Object. */
static void satisfy(DISPATCHER_HEADER *Object, PKTHREAD Thread) {
    switch (Object->Type) {
    case EventSynchronizationObject:
    case TimerSynchronizationObject: Object->SignalState = 0; break;
    case SemaphoreObject: Object->SignalState--; break;
    case MutantObject: {
        PKMUTANT m = (PKMUTANT)Object;
        if (Object->SignalState-- == 1) { /* it was free: now owned */
            m->OwnerThread = Thread;
            InsertHeadList(&Thread->MutantListHead, &m->MutantListEntry);
        }
        break;
    }
    default: break; /* notification objects, threads, processes stay signalled */
    }
}

/* The status a wait-any on a mutant returns: abandoned mutants say so once. */
static NTSTATUS satisfy_status(DISPATCHER_HEADER *Object, NTSTATUS Base) {
    if (Object->Type == MutantObject && ((PKMUTANT)Object)->Abandoned) {
        ((PKMUTANT)Object)->Abandoned = FALSE;
        return STATUS_ABANDONED_WAIT_0 + (Base - STATUS_WAIT_0);
    }
    return Base;
}

/* A woken thread of variable priority gets Increment above its base, as
 * NT's boosts do, and a fresh quantum. */
static inline void boost(PKTHREAD Thread, LONG Increment) {
    if (Thread->Priority < LOW_REALTIME_PRIORITY && Increment > 0) {
        LONG p = Thread->BasePriority + Increment;
        if (p > Thread->Priority)
            Thread->Priority = (CHAR)(p < LOW_REALTIME_PRIORITY ? p : LOW_REALTIME_PRIORITY - 1);
        Thread->Quantum = THREAD_QUANTUM;
    }
}

/* Takes Thread out of every wait list and the timer list and readies it
 * with WaitStatus, boosted by Increment (variable priorities only). */
static void unwait(PKTHREAD Thread, NTSTATUS WaitStatus, LONG Increment) {
    PKWAIT_BLOCK wb = Thread->WaitBlockList;
    if (wb) {
        do {
            RemoveEntryList(&wb->WaitListEntry);
            wb = wb->NextWaitBlock;
        } while (wb != Thread->WaitBlockList);
    }
    Thread->WaitBlockList = NULL;
    if (Thread->TimerInserted) {
        RemoveEntryList(&Thread->WaitTimerEntry);
        Thread->TimerInserted = FALSE;
    }
    Thread->WaitStatus = WaitStatus;
    boost(Thread, Increment);
}

/* The quick-LPC case of a set, without the general wait test: Event is a
 * synchronization event, unsignalled, and exactly one thread waits on it, a
 * wait-any on it alone with no timeout. That thread is unlinked and
 * returned (not readied: the caller hands it the processor), and the event
 * stays unsignalled, its signal consumed by the wait. NULL when the case
 * does not apply; then the caller signals the event the general way. */
PKTHREAD KiWakeSoleWaiter(PKEVENT Event, LONG Increment) {
    DISPATCHER_HEADER *h = &Event->Header;
    PLIST_ENTRY e = h->WaitListHead.Flink;
    if (h->SignalState || h->Type != EventSynchronizationObject || e == &h->WaitListHead ||
        e->Flink != &h->WaitListHead)
        return NULL;
    PKWAIT_BLOCK wb = CONTAINING_RECORD(e, KWAIT_BLOCK, WaitListEntry);
    PKTHREAD t = wb->Thread;
    if (wb->WaitType != WaitAny || wb->NextWaitBlock != wb || t->TimerInserted)
        return NULL;
    InitializeListHead(&h->WaitListHead);
    t->WaitBlockList = NULL;
    t->WaitStatus = STATUS_WAIT_0 + wb->WaitKey;
    boost(t, Increment);
    return t;
}

/* The fast case of a signal, without the general wait test: Object is a
 * synchronization event or a semaphore, unsignalled, and its first waiter
 * waits on it alone (a wait-any with one wait block). That thread is
 * unlinked (from its timer too) and returned, not readied: the caller hands
 * it the processor or readies it. The object stays unsignalled, its signal
 * consumed by the wait, which is what KiWaitTestEx would do. NULL when the
 * case does not apply; then the caller signals the object the general way.
 * KiWakeSoleWaiter is its narrower twin, kept for the event pairs' few
 * instructions less. */
static PKTHREAD KiWakeFirstWaiter(DISPATCHER_HEADER *Object, LONG Increment) {
    PLIST_ENTRY e = Object->WaitListHead.Flink;
    if (Object->SignalState || e == &Object->WaitListHead ||
        (Object->Type != EventSynchronizationObject && Object->Type != SemaphoreObject))
        return NULL;
    PKWAIT_BLOCK wb = CONTAINING_RECORD(e, KWAIT_BLOCK, WaitListEntry);
    PKTHREAD t = wb->Thread;
    if (wb->WaitType != WaitAny || wb->NextWaitBlock != wb)
        return NULL;
    RemoveEntryList(e);
    t->WaitBlockList = NULL;
    if (t->TimerInserted) {
        RemoveEntryList(&t->WaitTimerEntry);
        t->TimerInserted = FALSE;
    }
    t->WaitStatus = STATUS_WAIT_0 + wb->WaitKey;
    boost(t, Increment);
    return t;
}

/* Readies Thread after unwait(), unless the caller will hand off to it. */
VOID KiUnwaitThread(PKTHREAD Thread, NTSTATUS WaitStatus, LONG Increment) {
    unwait(Thread, WaitStatus, Increment);
    KiReadyThread(Thread);
}

/* Object was just signalled: complete the waits it can complete. Returns the
 * first thread woken (the event-pair handoff wants it) or NULL. When
 * ReadyWoken is FALSE, the first thread woken is not put on a ready queue. */
PKTHREAD KiWaitTestEx(DISPATCHER_HEADER *Object, LONG Increment, BOOLEAN ReadyWoken) {
    PKTHREAD first = NULL;
    PLIST_ENTRY e = Object->WaitListHead.Flink;
    while (e != &Object->WaitListHead && Object->SignalState > 0) {
        PKWAIT_BLOCK wb = CONTAINING_RECORD(e, KWAIT_BLOCK, WaitListEntry);
        PKTHREAD t = wb->Thread;
        e = e->Flink;
        NTSTATUS status;
        if (wb->WaitType == WaitAny) {
            satisfy(Object, t);
            status = satisfy_status(Object, STATUS_WAIT_0 + wb->WaitKey);
        } else {
            BOOLEAN all = TRUE;
            PKWAIT_BLOCK other = wb->NextWaitBlock;
            for (; other != wb; other = other->NextWaitBlock)
                if (other->Object && !is_signalled(other->Object, t))
                    all = FALSE;
            if (!all)
                continue;
            status = STATUS_WAIT_0;
            other = wb;
            do {
                if (other->Object) {
                    satisfy(other->Object, t);
                    if (satisfy_status(other->Object, STATUS_WAIT_0) != STATUS_WAIT_0)
                        status = STATUS_ABANDONED_WAIT_0;
                }
                other = other->NextWaitBlock;
            } while (other != wb);
        }
        if (!first && !ReadyWoken) {
            unwait(t, status, Increment);
            first = t;
        } else {
            KiUnwaitThread(t, status, Increment);
            if (!first)
                first = t;
        }
        e = Object->WaitListHead.Flink; /* the list changed under us */
    }
    return first;
}

VOID KiWaitTest(DISPATCHER_HEADER *Object, LONG Increment) {
    KiWaitTestEx(Object, Increment, TRUE);
}

ULONGLONG KiTimeoutToTick(LARGE_INTEGER Timeout) {
    const LONGLONG hundredNsPerTick = 10000000 / CLOCK_HZ;
    ULONGLONG now = KeQueryTickCount();
    if (Timeout.QuadPart < 0) {
        ULONGLONG ticks = (ULONGLONG)(-Timeout.QuadPart + hundredNsPerTick - 1) / hundredNsPerTick;
        return now + ticks;
    }
    return (ULONGLONG)(Timeout.QuadPart + hundredNsPerTick - 1) / hundredNsPerTick;
}

static void insert_wait_timer(PKTHREAD Thread, ULONGLONG DueTick) {
    ensure_init();
    Thread->WaitDueTick = DueTick;
    PLIST_ENTRY e = KiWaitTimerList.Flink;
    while (e != &KiWaitTimerList && CONTAINING_RECORD(e, KTHREAD, WaitTimerEntry)->WaitDueTick <= DueTick)
        e = e->Flink;
    InsertTailList(e, &Thread->WaitTimerEntry); /* before e */
    Thread->TimerInserted = TRUE;
}

/* Clock tick: end the timed waits that are due. Dispatcher lock held. */
VOID KiExpireWaitTimeouts(ULONGLONG Now) {
    ensure_init();
    while (!IsListEmpty(&KiWaitTimerList)) {
        PKTHREAD t = CONTAINING_RECORD(KiWaitTimerList.Flink, KTHREAD, WaitTimerEntry);
        if (t->WaitDueTick > Now)
            break;
        KiUnwaitThread(t, STATUS_TIMEOUT, 0);
    }
}

/* Queues the current thread on each object and switches away. Dispatcher
 * lock held. */
static NTSTATUS block(PKTHREAD t, ULONG Count, DISPATCHER_HEADER **Objects, WAIT_TYPE WaitType,
                      KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout,
                      PKWAIT_BLOCK Blocks) {
    for (ULONG i = 0; i < Count; i++) {
        PKWAIT_BLOCK wb = &Blocks[i];
        wb->Thread = t;
        wb->Object = Objects[i];
        wb->WaitKey = (USHORT)i;
        wb->WaitType = (USHORT)WaitType;
        wb->NextWaitBlock = &Blocks[(i + 1) % Count];
        InsertTailList(&Objects[i]->WaitListHead, &wb->WaitListEntry);
    }
    t->WaitBlockList = Count ? Blocks : NULL;
    if (Timeout)
        insert_wait_timer(t, KiTimeoutToTick(*Timeout));
    t->State = Waiting;
    t->WaitMode = (UCHAR)WaitMode;
    t->Alertable = Alertable;
    t->WaitStatus = STATUS_WAIT_0;
    return KiSwapThread();
}

NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray) {
    PKTHREAD t = KeGetCurrentThread();
    DISPATCHER_HEADER **objects = (DISPATCHER_HEADER **)Object;
    if (Count > MAXIMUM_WAIT_OBJECTS || (Count > THREAD_WAIT_OBJECTS && !WaitBlockArray))
        return STATUS_INVALID_PARAMETER;
    if (!WaitBlockArray)
        WaitBlockArray = t->WaitBlock;
    ULONG s = KiAcquireDispatcherLock();
    if (t->TerminatePending && WaitMode == UserMode) {
        KiReleaseDispatcherLock(s);
        return STATUS_THREAD_IS_TERMINATING;
    }
    NTSTATUS status = STATUS_TIMEOUT;
    BOOLEAN done = FALSE;
    if (WaitType == WaitAny) {
        for (ULONG i = 0; i < Count && !done; i++) {
            if (is_signalled(objects[i], t)) {
                satisfy(objects[i], t);
                status = satisfy_status(objects[i], STATUS_WAIT_0 + i);
                done = TRUE;
            }
        }
    } else {
        BOOLEAN all = TRUE;
        for (ULONG i = 0; i < Count; i++)
            all &= is_signalled(objects[i], t);
        if (all && Count) {
            status = STATUS_WAIT_0;
            for (ULONG i = 0; i < Count; i++) {
                satisfy(objects[i], t);
                if (satisfy_status(objects[i], STATUS_WAIT_0) != STATUS_WAIT_0)
                    status = STATUS_ABANDONED_WAIT_0;
            }
            done = TRUE;
        }
    }
    if (!done && !(Timeout && Timeout->QuadPart == 0))
        status = block(t, Count, objects, WaitType, WaitMode, Alertable, Timeout, WaitBlockArray);
    KiReleaseDispatcherLock(s);
    return status;
}

NTSTATUS KeWaitForSingleObject(PVOID Object, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                               PLARGE_INTEGER Timeout) {
    return KeWaitForMultipleObjects(1, &Object, WaitAny, WaitMode, Alertable, Timeout, NULL);
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval) {
    if (Interval->QuadPart == 0) {
        KeYieldExecution();
        return STATUS_SUCCESS;
    }
    NTSTATUS status = KeWaitForMultipleObjects(0, NULL, WaitAny, WaitMode, Alertable, Interval, NULL);
    return status == STATUS_TIMEOUT ? STATUS_SUCCESS : status;
}

VOID KeAlertWaitingThread(PKTHREAD Thread, NTSTATUS WaitStatus) {
    ULONG s = KiAcquireDispatcherLock();
    if (Thread->State == Waiting && Thread->WaitMode == UserMode)
        KiUnwaitThread(Thread, WaitStatus, 0);
    KiReleaseDispatcherLock(s);
}

/* Signals Signal and waits on Wait as one step, handing the processor
 * straight to the thread the signal wakes when the caller blocks (no ready
 * queue): LPC's send-and-wait and reply-and-receive. Signal is an event
 * (set) or a semaphore (released by one; STATUS_SEMAPHORE_LIMIT_EXCEEDED and
 * nothing done if that passes its limit); Wait is an event or a semaphore,
 * waited on without alerts or a timeout. A user-mode wait by a thread being
 * terminated still signals, then returns STATUS_THREAD_IS_TERMINATING. */
NTSTATUS KeSignalAndWaitForSingleObject(PVOID Signal, PVOID Wait, KPROCESSOR_MODE WaitMode) {
    PKTHREAD t = KeGetCurrentThread();
    DISPATCHER_HEADER *signal = Signal, *wait = Wait;
    ULONG s = KiAcquireDispatcherLock();
    if (signal->Type == SemaphoreObject && signal->SignalState >= ((PKSEMAPHORE)signal)->Limit) {
        KiReleaseDispatcherLock(s);
        return STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    }
    PKTHREAD woken = KiWakeFirstWaiter(signal, EVENT_INCREMENT);
    if (!woken) {
        LONG before = signal->SignalState;
        if (signal->Type == SemaphoreObject)
            signal->SignalState++;
        else
            signal->SignalState = 1;
        if (!before)
            woken = KiWaitTestEx(signal, EVENT_INCREMENT, FALSE);
    }
    NTSTATUS status;
    if (t->TerminatePending && WaitMode == UserMode) {
        if (woken)
            KiReadyThread(woken);
        status = STATUS_THREAD_IS_TERMINATING;
    } else if (is_signalled(wait, t)) {
        satisfy(wait, t);
        if (woken)
            KiReadyThread(woken);
        status = STATUS_WAIT_0;
    } else {
        t->Alertable = FALSE;
        status = KiWaitAloneAndSwitch(t, wait, WaitMode, woken);
    }
    KiReleaseDispatcherLock(s);
    return status;
}
