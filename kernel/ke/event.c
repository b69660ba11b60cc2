/*
 * event.c - events and event pairs.
 *
 * Why: a notification event stays signalled and releases every waiter; a
 * synchronization event releases one waiter and resets itself. An event
 * pair is NT 3.51's rendezvous for quick LPC: the client sets High and waits
 * on Low, the server sets Low and waits on High. Done naively that is a
 * wake-up (the partner goes on the ready queue) then a block (the scheduler
 * picks the best ready thread); KiSetEventAndWait instead switches straight
 * to the thread it woke, which is where NT 3.51 got its graphics speed.
 */
#include "../include/ke.h"

PKTHREAD KiWaitTestEx(DISPATCHER_HEADER *Object, LONG Increment, BOOLEAN ReadyWoken);
PKTHREAD KiWakeSoleWaiter(PKEVENT Event, LONG Increment);
VOID KiWaitTest(DISPATCHER_HEADER *Object, LONG Increment);

VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State) {
    Event->Header.Type = Type == NotificationEvent ? EventNotificationObject : EventSynchronizationObject;
    Event->Header.SignalState = State ? 1 : 0;
    InitializeListHead(&Event->Header.WaitListHead);
}

LONG KeSetEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait) {
    (void)Wait;
    ULONG s = KiAcquireDispatcherLock();
    LONG old = Event->Header.SignalState;
    Event->Header.SignalState = 1;
    if (!old)
        KiWaitTest(&Event->Header, Increment);
    KiReleaseDispatcherLock(s);
    return old;
}

LONG KeResetEvent(PKEVENT Event) {
    ULONG s = KiAcquireDispatcherLock();
    LONG old = Event->Header.SignalState;
    Event->Header.SignalState = 0;
    KiReleaseDispatcherLock(s);
    return old;
}

/* Signals the event just long enough to release the waiters it can, then
 * leaves it reset. */
LONG KePulseEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait) {
    (void)Wait;
    ULONG s = KiAcquireDispatcherLock();
    LONG old = Event->Header.SignalState;
    if (!old) {
        Event->Header.SignalState = 1;
        KiWaitTest(&Event->Header, Increment);
    }
    Event->Header.SignalState = 0;
    KiReleaseDispatcherLock(s);
    return old;
}

LONG KeReadStateEvent(PKEVENT Event) {
    return Event->Header.SignalState;
}

VOID KeInitializeEventPair(PKEVENT_PAIR Pair) {
    KeInitializeEvent(&Pair->EventLow, SynchronizationEvent, FALSE);
    KeInitializeEvent(&Pair->EventHigh, SynchronizationEvent, FALSE);
}

/* Sets SetEvent and waits on WaitEvent. If the set wakes a thread, the
 * processor goes straight to it; otherwise this is an ordinary wait. */
static NTSTATUS KiSetEventAndWait(PKEVENT SetEvent, PKEVENT WaitEvent, KPROCESSOR_MODE WaitMode) {
    PKTHREAD t = KeGetCurrentThread();
    ULONG s = KiAcquireDispatcherLock();
    if (t->TerminatePending && WaitMode == UserMode) {
        KiReleaseDispatcherLock(s);
        return STATUS_THREAD_IS_TERMINATING;
    }
    KeCountEvent(QuickLpcCalls, 1);
    PKTHREAD woken = KiWakeSoleWaiter(SetEvent, EVENT_INCREMENT);
    if (!woken && !SetEvent->Header.SignalState) {
        SetEvent->Header.SignalState = 1;
        woken = KiWaitTestEx(&SetEvent->Header, EVENT_INCREMENT, FALSE);
    }
    NTSTATUS status;
    if (WaitEvent->Header.SignalState > 0) {
        WaitEvent->Header.SignalState = 0; /* synchronization event: consumed */
        if (woken)
            KiReadyThread(woken);
        status = STATUS_WAIT_0;
    } else {
        status = KiWaitAloneAndSwitch(t, &WaitEvent->Header, WaitMode, woken);
    }
    KiReleaseDispatcherLock(s);
    return status;
}

NTSTATUS KeSetHighWaitLowEventPair(PKEVENT_PAIR Pair, KPROCESSOR_MODE WaitMode) {
    return KiSetEventAndWait(&Pair->EventHigh, &Pair->EventLow, WaitMode);
}

NTSTATUS KeSetLowWaitHighEventPair(PKEVENT_PAIR Pair, KPROCESSOR_MODE WaitMode) {
    return KiSetEventAndWait(&Pair->EventLow, &Pair->EventHigh, WaitMode);
}
