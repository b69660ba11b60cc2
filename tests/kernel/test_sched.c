/*
 * test_sched.c - in-kernel checks of the scheduler and the dispatcher
 * objects, with real threads. The test runner is itself a priority-8 system
 * thread; helper threads record what they saw in a shared log.
 */
#include "../../kernel/include/ke.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/mm.h"
#include "../../kernel/include/rtl.h"

#define LOG_MAX 16
static volatile ULONG TestLog[LOG_MAX];
static volatile ULONG TestLogCount;

static void log_event(ULONG What) {
    if (TestLogCount < LOG_MAX)
        TestLog[TestLogCount++] = What;
}

typedef struct _WAITER {
    PVOID Objects[3];
    ULONG Count;
    WAIT_TYPE Type;
    LONGLONG TimeoutTicks; /* 0: no timeout */
    ULONG Tag;
    NTSTATUS Result;
    KTHREAD Thread;
} WAITER;

static VOID waiter_routine(PVOID Context) {
    WAITER *w = Context;
    LARGE_INTEGER timeout = {.QuadPart = -w->TimeoutTicks * (10000000 / CLOCK_HZ)};
    w->Result = KeWaitForMultipleObjects(w->Count, w->Objects, w->Type, KernelMode, FALSE,
                                         w->TimeoutTicks ? &timeout : NULL, NULL);
    log_event(w->Tag);
}

static BOOLEAN start(WAITER *w, PKSTART_ROUTINE Routine, CHAR Priority) {
    if (!NT_SUCCESS(
            KeInitializeThread(&w->Thread, KeGetCurrentThread()->Process, Routine, w, NULL, Priority)))
        return FALSE;
    KeReadyThread(&w->Thread);
    return TRUE;
}

/* Lets every ready thread at or below our priority run for a moment. */
static void settle(void) {
    LARGE_INTEGER t = {.QuadPart = -2 * (10000000 / CLOCK_HZ)};
    (void)KeDelayExecutionThread(KernelMode, FALSE, &t);
}

static void finish(WAITER *w) {
    (void)KeWaitForSingleObject(&w->Thread, KernelMode, FALSE, NULL);
    KeDeleteThread(&w->Thread);
}

static void reset_log(void) {
    TestLogCount = 0;
}

KTEST(synchronization_event_releases_one_waiter_notification_all) {
    static KEVENT sync, notify;
    static WAITER a, b, c, d;
    KeInitializeEvent(&sync, SynchronizationEvent, FALSE);
    KeInitializeEvent(&notify, NotificationEvent, FALSE);
    reset_log();
    a = (WAITER){.Objects = {&sync}, .Count = 1, .Type = WaitAny, .TimeoutTicks = 0, .Tag = 1};
    b = (WAITER){.Objects = {&sync}, .Count = 1, .Type = WaitAny, .TimeoutTicks = 0, .Tag = 2};
    c = (WAITER){.Objects = {&notify}, .Count = 1, .Type = WaitAny, .TimeoutTicks = 0, .Tag = 3};
    d = (WAITER){.Objects = {&notify}, .Count = 1, .Type = WaitAny, .TimeoutTicks = 0, .Tag = 4};
    KT_CHECK(start(&a, waiter_routine, 8) && start(&b, waiter_routine, 8));
    KT_CHECK(start(&c, waiter_routine, 8) && start(&d, waiter_routine, 8));
    settle();
    KT_CHECK_EQ(TestLogCount, 0);
    KeSetEvent(&sync, 0, FALSE);
    settle();
    KT_CHECK_EQ(TestLogCount, 1); /* exactly one of a, b */
    KT_CHECK_EQ(TestLog[0], 1);   /* the first to wait is the first released */
    KT_CHECK_EQ(KeReadStateEvent(&sync), 0);
    KeSetEvent(&notify, 0, FALSE);
    settle();
    KT_CHECK_EQ(TestLogCount, 3); /* both c and d */
    KT_CHECK_EQ(KeReadStateEvent(&notify), 1);
    KeSetEvent(&sync, 0, FALSE);
    finish(&a), finish(&b), finish(&c), finish(&d);
    KT_CHECK_EQ(a.Result, STATUS_WAIT_0);
    KT_CHECK_EQ(b.Result, STATUS_WAIT_0);
}

KTEST(wait_all_completes_only_when_every_object_is_signalled) {
    static KEVENT e1, e2;
    static WAITER w;
    KeInitializeEvent(&e1, NotificationEvent, FALSE);
    KeInitializeEvent(&e2, SynchronizationEvent, FALSE);
    reset_log();
    w = (WAITER){.Objects = {&e1, &e2}, .Count = 2, .Type = WaitAll, .TimeoutTicks = 0, .Tag = 7};
    KT_CHECK(start(&w, waiter_routine, 8));
    settle();
    KeSetEvent(&e1, 0, FALSE);
    settle();
    KT_CHECK_EQ(TestLogCount, 0);
    KeSetEvent(&e2, 0, FALSE);
    settle();
    KT_CHECK_EQ(TestLogCount, 1);
    KT_CHECK_EQ(KeReadStateEvent(&e2), 0); /* the wait consumed the sync event */
    finish(&w);
    KT_CHECK_EQ(w.Result, STATUS_WAIT_0);
}

KTEST(wait_any_reports_the_index_and_times_out) {
    static KEVENT e1, e2;
    static WAITER w, late;
    KeInitializeEvent(&e1, SynchronizationEvent, FALSE);
    KeInitializeEvent(&e2, SynchronizationEvent, FALSE);
    w = (WAITER){.Objects = {&e1, &e2}, .Count = 2, .Type = WaitAny, .TimeoutTicks = 0, .Tag = 1};
    KT_CHECK(start(&w, waiter_routine, 8));
    settle();
    KeSetEvent(&e2, 0, FALSE);
    finish(&w);
    KT_CHECK_EQ(w.Result, STATUS_WAIT_0 + 1);
    ULONGLONG before = KeQueryTickCount();
    late = (WAITER){.Objects = {&e1}, .Count = 1, .Type = WaitAny, .TimeoutTicks = 5, .Tag = 2};
    KT_CHECK(start(&late, waiter_routine, 8));
    finish(&late);
    KT_CHECK_EQ(late.Result, STATUS_TIMEOUT);
    KT_CHECK(KeQueryTickCount() - before >= 5);
    LARGE_INTEGER zero = {.QuadPart = 0};
    KT_CHECK_EQ(KeWaitForSingleObject(&e1, KernelMode, FALSE, &zero), STATUS_TIMEOUT);
}

KTEST(semaphore_counts_and_refuses_to_pass_its_limit) {
    static KSEMAPHORE sem;
    static WAITER a, b;
    KeInitializeSemaphore(&sem, 0, 2);
    reset_log();
    a = (WAITER){.Objects = {&sem}, .Count = 1, .Type = WaitAny, .TimeoutTicks = 0, .Tag = 1};
    b = (WAITER){.Objects = {&sem}, .Count = 1, .Type = WaitAny, .TimeoutTicks = 0, .Tag = 2};
    KT_CHECK(start(&a, waiter_routine, 8) && start(&b, waiter_routine, 8));
    settle();
    LONG previous = -1;
    KT_CHECK_STATUS(KeReleaseSemaphore(&sem, 0, 2, &previous), STATUS_SUCCESS);
    KT_CHECK_EQ(previous, 0);
    finish(&a), finish(&b);
    KT_CHECK_EQ(TestLogCount, 2);
    KT_CHECK_EQ(sem.Header.SignalState, 0);
    KT_CHECK_STATUS(KeReleaseSemaphore(&sem, 0, 3, NULL), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    KT_CHECK_STATUS(KeReleaseSemaphore(&sem, 0, 0, NULL), STATUS_INVALID_PARAMETER);
}

static KMUTANT AbandonedMutant;
static VOID take_mutant_and_exit(PVOID Context) {
    (void)Context;
    (void)KeWaitForSingleObject(&AbandonedMutant, KernelMode, FALSE, NULL);
    /* ends still owning it */
}

KTEST(mutant_recursion_ownership_and_abandonment) {
    static KMUTANT m;
    KeInitializeMutant(&m, FALSE);
    KT_CHECK_EQ(KeWaitForSingleObject(&m, KernelMode, FALSE, NULL), STATUS_WAIT_0);
    KT_CHECK_EQ(KeWaitForSingleObject(&m, KernelMode, FALSE, NULL), STATUS_WAIT_0); /* recursive */
    KT_CHECK(m.OwnerThread == KeGetCurrentThread());
    KT_CHECK_STATUS(KeReleaseMutant(&m, 0, FALSE, NULL), STATUS_SUCCESS);
    KT_CHECK(m.OwnerThread == KeGetCurrentThread()); /* still held once */
    KT_CHECK_STATUS(KeReleaseMutant(&m, 0, FALSE, NULL), STATUS_SUCCESS);
    KT_CHECK(m.OwnerThread == NULL);
    KT_CHECK_STATUS(KeReleaseMutant(&m, 0, FALSE, NULL), STATUS_MUTANT_NOT_OWNED);

    static WAITER owner;
    KeInitializeMutant(&AbandonedMutant, FALSE);
    KT_CHECK(start(&owner, take_mutant_and_exit, 8));
    finish(&owner);
    KT_CHECK_EQ(KeWaitForSingleObject(&AbandonedMutant, KernelMode, FALSE, NULL), STATUS_ABANDONED_WAIT_0);
    KT_CHECK(AbandonedMutant.OwnerThread == KeGetCurrentThread());
    KT_CHECK_STATUS(KeReleaseMutant(&AbandonedMutant, 0, FALSE, NULL), STATUS_SUCCESS);
}

static VOID log_tag(PVOID Context) {
    log_event(((WAITER *)Context)->Tag);
}

KTEST(higher_priority_ready_threads_run_first) {
    static WAITER low, mid, high;
    reset_log();
    low = (WAITER){.Tag = 5};
    mid = (WAITER){.Tag = 9};
    high = (WAITER){.Tag = 20};
    KT_CHECK(start(&low, log_tag, 5));
    KT_CHECK(start(&mid, log_tag, 9));
    KT_CHECK(start(&high, log_tag, 20));
    settle(); /* we block: the scheduler picks by priority */
    finish(&low), finish(&mid), finish(&high);
    KT_CHECK_EQ(TestLogCount, 3);
    KT_CHECK_EQ(TestLog[0], 20);
    KT_CHECK_EQ(TestLog[1], 9);
    KT_CHECK_EQ(TestLog[2], 5);
}

#define PING_PONGS 100
static KEVENT_PAIR Pair;
static volatile ULONG ServerCount;
static VOID pair_server(PVOID Context) {
    (void)Context;
    (void)KeWaitForSingleObject(&Pair.EventHigh, KernelMode, FALSE, NULL);
    for (ULONG i = 0; i < PING_PONGS; i++) {
        ServerCount++;
        if (i + 1 < PING_PONGS)
            (void)KeSetLowWaitHighEventPair(&Pair, KernelMode);
        else
            KeSetEvent(&Pair.EventLow, 0, FALSE);
    }
}

KTEST(event_pair_hands_the_processor_straight_to_the_partner) {
    static WAITER server;
    KeInitializeEventPair(&Pair);
    ServerCount = 0;
    KT_CHECK(start(&server, pair_server, 8));
    settle(); /* the server now waits on High */
    ULONG handoffs = KiPcr.PrcbData.DirectHandoffs;
    BOOLEAN inStep = TRUE;
    for (ULONG i = 0; i < PING_PONGS; i++) {
        NTSTATUS s = KeSetHighWaitLowEventPair(&Pair, KernelMode);
        inStep &= s == STATUS_WAIT_0 && ServerCount == i + 1;
    }
    KT_CHECK(inStep);
    finish(&server);
    KT_CHECK_EQ(ServerCount, PING_PONGS);
    /* Every round trip after the first is two direct handoffs. */
    KT_CHECK(KiPcr.PrcbData.DirectHandoffs - handoffs >= 2 * (PING_PONGS - 1) - 1);
}

KTEST(timers_signal_once_or_periodically) {
    static KTIMER once, periodic;
    KeInitializeTimer(&once, NotificationTimer);
    KeInitializeTimer(&periodic, SynchronizationTimer);
    ULONGLONG before = KeQueryTickCount();
    LARGE_INTEGER due = {.QuadPart = -30 * 10000LL}; /* 30 ms */
    KT_CHECK(!KeSetTimer(&once, due, 0));
    KT_CHECK_EQ(KeWaitForSingleObject(&once, KernelMode, FALSE, NULL), STATUS_WAIT_0);
    KT_CHECK(KeQueryTickCount() - before >= 3);
    KT_CHECK_EQ(once.Header.SignalState, 1); /* notification timers stay signalled */
    LARGE_INTEGER first = {.QuadPart = -10 * 10000LL};
    KeSetTimer(&periodic, first, 20);
    ULONG fired = 0;
    LARGE_INTEGER limit = {.QuadPart = -50 * 10000LL};
    for (ULONG i = 0; i < 3; i++)
        fired += KeWaitForSingleObject(&periodic, KernelMode, FALSE, &limit) == STATUS_WAIT_0;
    KT_CHECK_EQ(fired, 3);
    KT_CHECK(KeCancelTimer(&periodic));
    KT_CHECK(!KeCancelTimer(&periodic));
}

KTEST(finished_threads_signal_and_give_their_stacks_back) {
    static WAITER w;
    ULONG freeBefore = MmNumberOfFreePages();
    ULONG ptesBefore = MiFreeSystemPtes();
    w = (WAITER){.Tag = 1};
    KT_CHECK(start(&w, log_tag, 8));
    KT_CHECK(MmNumberOfFreePages() == freeBefore - KERNEL_STACK_PAGES);
    KT_CHECK_EQ(KeWaitForSingleObject(&w.Thread, KernelMode, FALSE, NULL), STATUS_WAIT_0);
    KT_CHECK_EQ(w.Thread.State, Terminated);
    KeDeleteThread(&w.Thread);
    KT_CHECK_EQ(MmNumberOfFreePages(), freeBefore);
    KT_CHECK_EQ(MiFreeSystemPtes(), ptesBefore);
}

static volatile ULONG YieldTrace[8];
static volatile ULONG YieldCount;
static VOID yield_twice(PVOID Context) {
    for (ULONG i = 0; i < 2; i++) {
        if (YieldCount < 8)
            YieldTrace[YieldCount++] = ((WAITER *)Context)->Tag;
        KeYieldExecution();
    }
}

KTEST(yielding_threads_of_equal_priority_take_turns) {
    /* Kernel code is not preempted (sched.c), so equals share the processor
     * when they yield; time-slice preemption of user threads is tested with
     * the first user processes. */
    static WAITER a, b;
    YieldCount = 0;
    a = (WAITER){.Tag = 1};
    b = (WAITER){.Tag = 2};
    KT_CHECK(start(&a, yield_twice, 8) && start(&b, yield_twice, 8));
    finish(&a), finish(&b);
    KT_CHECK_EQ(YieldCount, 4);
    KT_CHECK(YieldTrace[0] == 1 && YieldTrace[1] == 2 && YieldTrace[2] == 1 && YieldTrace[3] == 2);
    KT_CHECK(KiPcr.PrcbData.Counters.ContextSwitches > 0);
}
