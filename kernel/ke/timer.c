/*
 * timer.c - timer objects and the work of each clock tick.
 *
 * Why: a timer is a dispatcher object that signals itself at a due time
 * (and again every period). Due times are kept as absolute clock ticks on one
 * list ordered by due tick, so each clock interrupt only looks at the head.
 * The tick is 10 ms, so that is the resolution of every timeout here.
 */
#include "../include/ke.h"

VOID KiWaitTest(DISPATCHER_HEADER *Object, LONG Increment);
VOID KiExpireWaitTimeouts(ULONGLONG Now);

static LIST_ENTRY KiTimerListHead = {&KiTimerListHead, &KiTimerListHead};

VOID KeInitializeTimer(PKTIMER Timer, TIMER_TYPE Type) {
    Timer->Header.Type = Type == NotificationTimer ? TimerNotificationObject : TimerSynchronizationObject;
    Timer->Header.SignalState = 0;
    Timer->Header.Inserted = FALSE;
    InitializeListHead(&Timer->Header.WaitListHead);
    InitializeListHead(&Timer->TimerListEntry);
    Timer->PeriodTicks = 0;
}

static void insert_timer(PKTIMER Timer) {
    PLIST_ENTRY e = KiTimerListHead.Flink;
    while (e != &KiTimerListHead && CONTAINING_RECORD(e, KTIMER, TimerListEntry)->DueTick <= Timer->DueTick)
        e = e->Flink;
    InsertTailList(e, &Timer->TimerListEntry);
    Timer->Header.Inserted = TRUE;
}

BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, ULONG Period) {
    ULONG s = KiAcquireDispatcherLock();
    BOOLEAN was = Timer->Header.Inserted;
    if (was)
        RemoveEntryList(&Timer->TimerListEntry);
    Timer->Header.SignalState = 0;
    Timer->DueTick = KiTimeoutToTick(DueTime);
    Timer->PeriodTicks = Period ? (Period * CLOCK_HZ + 999) / 1000 : 0;
    insert_timer(Timer);
    KiReleaseDispatcherLock(s);
    return was;
}

BOOLEAN KeCancelTimer(PKTIMER Timer) {
    ULONG s = KiAcquireDispatcherLock();
    BOOLEAN was = Timer->Header.Inserted;
    if (was) {
        RemoveEntryList(&Timer->TimerListEntry);
        Timer->Header.Inserted = FALSE;
    }
    KiReleaseDispatcherLock(s);
    return was;
}

/* Called from the clock interrupt with the dispatcher lock held. */
VOID KiClockTick(VOID) {
    ULONGLONG now = KeQueryTickCount();
    while (!IsListEmpty(&KiTimerListHead)) {
        PKTIMER t = CONTAINING_RECORD(KiTimerListHead.Flink, KTIMER, TimerListEntry);
        if (t->DueTick > now)
            break;
        RemoveEntryList(&t->TimerListEntry);
        t->Header.Inserted = FALSE;
        t->Header.SignalState = 1;
        KiWaitTest(&t->Header, 0);
        if (t->PeriodTicks) {
            t->DueTick += t->PeriodTicks;
            insert_timer(t);
        }
    }
    KiExpireWaitTimeouts(now);
    KiQuantumEnd();
}

ULONGLONG KeQueryInterruptTime(VOID) {
    return KeQueryTickCount() * (10000000 / CLOCK_HZ);
}
