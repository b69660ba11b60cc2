/*
 * test_ntdll_critsect.c - critical sections: NT's counting rules on one
 * thread, and mutual exclusion with real contention on several.
 *
 * Why: the loader lock and every Win32 program's locks are these. The
 * single-thread paths pin down the fields (LockCount, RecursionCount,
 * OwningThread) that code written against NT's headers inspects, and that
 * the uncontended paths make no system call at all. The contended path needs
 * threads and a kernel event, so here each host thread gets a TEB of its own
 * (NtCurrentTeb reads a thread-local one) and NtCreateEvent,
 * NtWaitForSingleObject and NtSetEvent are an auto-reset event built on a
 * pthread mutex and condition variable, as the kernel's SynchronizationEvent
 * behaves: a set wakes exactly one waiter, or stays signalled until one
 * comes.
 */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../libs/ntdll/critsect.c"
#include "unit.h"

/* ---- this process: a PEB and a TEB per thread ---- */

static PEB HostPeb;
static _Thread_local TEB ThreadTeb;
static ULONG NextThreadId = 0x100;

PTEB NtCurrentTeb(VOID) {
    if (ThreadTeb.ClientId.UniqueThread == NULL) {
        ThreadTeb.ProcessEnvironmentBlock = &HostPeb;
        ThreadTeb.ClientId.UniqueThread =
            (HANDLE)(ULONG_PTR)__atomic_add_fetch(&NextThreadId, 4, __ATOMIC_RELAXED);
    }
    return &ThreadTeb;
}

static char DebugLog[2048];

ULONG DbgPrint(PCSTR Format, ...) {
    va_list args;
    va_start(args, Format);
    vsnprintf(DebugLog, sizeof DebugLog, Format, args);
    va_end(args);
    return STATUS_SUCCESS;
}

/* ---- the kernel's events ---- */

#define MAX_EVENTS 8
typedef struct _HOST_EVENT {
    BOOLEAN InUse, Signalled;
    pthread_cond_t Wake;
} HOST_EVENT;

static HOST_EVENT Events[MAX_EVENTS];
static pthread_mutex_t EventLock = PTHREAD_MUTEX_INITIALIZER;
static ULONG EventsCreated, EventsClosed, Waits, Sets, BadHandles;
static BOOLEAN FailEventCreation;
static ULONG LastEventType;

static HOST_EVENT *event_of(HANDLE Handle) {
    ULONG_PTR i = (ULONG_PTR)Handle;
    if (i < 0x10 || i >= 0x10 + MAX_EVENTS || !Events[i - 0x10].InUse)
        return NULL;
    return &Events[i - 0x10];
}

NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, ULONG EventType, BOOLEAN InitialState) {
    (void)DesiredAccess;
    NTSTATUS status = STATUS_INSUFFICIENT_RESOURCES;
    pthread_mutex_lock(&EventLock);
    LastEventType = EventType;
    for (ULONG i = 0; i < MAX_EVENTS && !FailEventCreation && ObjectAttributes == NULL; i++) {
        if (Events[i].InUse)
            continue;
        Events[i].InUse = TRUE;
        Events[i].Signalled = InitialState;
        pthread_cond_init(&Events[i].Wake, NULL);
        *EventHandle = (HANDLE)(ULONG_PTR)(0x10 + i);
        EventsCreated++;
        status = STATUS_SUCCESS;
        break;
    }
    pthread_mutex_unlock(&EventLock);
    return status;
}

NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout) {
    (void)Alertable;
    if (Timeout != NULL)
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&EventLock);
    HOST_EVENT *event = event_of(Handle);
    if (event == NULL) {
        BadHandles++;
        pthread_mutex_unlock(&EventLock);
        return STATUS_INVALID_HANDLE;
    }
    Waits++;
    while (!event->Signalled)
        pthread_cond_wait(&event->Wake, &EventLock);
    event->Signalled = FALSE; /* auto-reset: this waiter takes the signal */
    pthread_mutex_unlock(&EventLock);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    pthread_mutex_lock(&EventLock);
    HOST_EVENT *event = event_of(EventHandle);
    if (event == NULL) {
        BadHandles++;
        pthread_mutex_unlock(&EventLock);
        return STATUS_INVALID_HANDLE;
    }
    if (PreviousState != NULL)
        *PreviousState = event->Signalled;
    event->Signalled = TRUE;
    Sets++;
    pthread_cond_signal(&event->Wake);
    pthread_mutex_unlock(&EventLock);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtClose(HANDLE Handle) {
    pthread_mutex_lock(&EventLock);
    HOST_EVENT *event = event_of(Handle);
    NTSTATUS status = STATUS_INVALID_HANDLE;
    if (event != NULL) {
        pthread_cond_destroy(&event->Wake);
        event->InUse = FALSE;
        EventsClosed++;
        status = STATUS_SUCCESS;
    } else {
        BadHandles++;
    }
    pthread_mutex_unlock(&EventLock);
    return status;
}

static NTSTATUS TerminatedWith;

NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus) {
    /* What RtlpTerminateProcess does when a section cannot wait: the test
     * that provokes it ends its (forked) process here with a known code. */
    (void)ProcessHandle;
    TerminatedWith = ExitStatus;
    printf("  terminated with 0x%08x: %s", (unsigned)ExitStatus, DebugLog);
    fflush(stdout);
    _exit(ExitStatus == STATUS_INSUFFICIENT_RESOURCES ? 42 : 43);
}

/* ---- one thread ---- */

TEST(a_new_section_is_free_and_has_no_event) {
    RTL_CRITICAL_SECTION cs;
    memset(&cs, 0xAB, sizeof cs);
    HostPeb.NumberOfProcessors = 1;
    CHECK_STATUS(RtlInitializeCriticalSection(&cs), STATUS_SUCCESS);
    CHECK(cs.DebugInfo == NULL);
    CHECK_EQ(cs.LockCount, -1);
    CHECK_EQ(cs.RecursionCount, 0);
    CHECK(cs.OwningThread == NULL);
    CHECK(cs.LockSemaphore == NULL);
    CHECK_EQ(cs.SpinCount, 0);
}

TEST(enter_and_leave_count_recursion_without_system_calls) {
    RTL_CRITICAL_SECTION cs;
    CHECK_STATUS(RtlInitializeCriticalSection(&cs), STATUS_SUCCESS);
    HANDLE me = NtCurrentTeb()->ClientId.UniqueThread;
    CHECK_STATUS(RtlEnterCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(cs.LockCount, 0);
    CHECK_EQ(cs.RecursionCount, 1);
    CHECK(cs.OwningThread == me);
    CHECK_STATUS(RtlEnterCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_STATUS(RtlEnterCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(cs.LockCount, 2);
    CHECK_EQ(cs.RecursionCount, 3);
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(cs.LockCount, 1);
    CHECK_EQ(cs.RecursionCount, 2);
    CHECK(cs.OwningThread == me);
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(cs.LockCount, -1);
    CHECK_EQ(cs.RecursionCount, 0);
    CHECK(cs.OwningThread == NULL);
    CHECK_EQ(EventsCreated + Waits + Sets, 0);
    CHECK(cs.LockSemaphore == NULL);
}

TEST(leaving_a_section_one_does_not_own_is_refused) {
    RTL_CRITICAL_SECTION cs;
    CHECK_STATUS(RtlInitializeCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_RESOURCE_NOT_OWNED);
    CHECK_EQ(cs.LockCount, -1);
    CHECK_STATUS(RtlEnterCriticalSection(&cs), STATUS_SUCCESS);
    cs.OwningThread = (HANDLE)(ULONG_PTR)0x9999; /* as if another thread owned it */
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_RESOURCE_NOT_OWNED);
    CHECK_EQ(cs.LockCount, 0);
    CHECK_EQ(cs.RecursionCount, 1);
}

TEST(try_enter_takes_a_free_or_own_section_only) {
    RTL_CRITICAL_SECTION cs;
    CHECK_STATUS(RtlInitializeCriticalSection(&cs), STATUS_SUCCESS);
    CHECK(RtlTryEnterCriticalSection(&cs));
    CHECK_EQ(cs.LockCount, 0);
    CHECK(RtlTryEnterCriticalSection(&cs));
    CHECK_EQ(cs.LockCount, 1);
    CHECK_EQ(cs.RecursionCount, 2);
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(cs.LockCount, -1);
    /* Owned by someone else: no. */
    cs.LockCount = 0;
    cs.RecursionCount = 1;
    cs.OwningThread = (HANDLE)(ULONG_PTR)0x9999;
    CHECK(!RtlTryEnterCriticalSection(&cs));
    CHECK_EQ(cs.LockCount, 0);
    CHECK_EQ(cs.RecursionCount, 1);
    CHECK(cs.OwningThread == (HANDLE)(ULONG_PTR)0x9999);
}

TEST(spin_count_is_kept_on_multiprocessors_only) {
    RTL_CRITICAL_SECTION cs;
    HostPeb.NumberOfProcessors = 1;
    CHECK_STATUS(RtlInitializeCriticalSectionAndSpinCount(&cs, 4000), STATUS_SUCCESS);
    CHECK_EQ(cs.SpinCount, 0);
    HostPeb.NumberOfProcessors = 2;
    CHECK_STATUS(RtlInitializeCriticalSectionAndSpinCount(&cs, 0x80000FA0), STATUS_SUCCESS);
    CHECK_EQ(cs.SpinCount, 0xFA0); /* the top byte is a flag */
    CHECK_STATUS(RtlEnterCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(cs.LockCount, 0);
    CHECK_STATUS(RtlLeaveCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_STATUS(RtlDeleteCriticalSection(&cs), STATUS_SUCCESS);
}

TEST(delete_closes_the_event_when_there_is_one) {
    RTL_CRITICAL_SECTION cs;
    CHECK_STATUS(RtlInitializeCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_STATUS(RtlDeleteCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(EventsClosed, 0);
    CHECK_STATUS(RtlInitializeCriticalSection(&cs), STATUS_SUCCESS);
    HANDLE event;
    CHECK_STATUS(NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, 1, FALSE), STATUS_SUCCESS);
    cs.LockSemaphore = event;
    CHECK_STATUS(RtlDeleteCriticalSection(&cs), STATUS_SUCCESS);
    CHECK_EQ(EventsClosed, 1);
    CHECK(cs.LockSemaphore == NULL);
    CHECK_EQ(cs.LockCount, -1);
    cs.LockSemaphore = (HANDLE)(ULONG_PTR)0x77; /* not a handle: the failure is reported */
    CHECK_STATUS(RtlDeleteCriticalSection(&cs), STATUS_INVALID_HANDLE);
}

/* ---- several threads ---- */

#define WORKERS 6
#define ROUNDS 4000

static RTL_CRITICAL_SECTION Shared;
static volatile ULONG Counter;
static volatile LONG Inside;
static volatile LONG Overlaps;

static void *worker(void *Argument) {
    BOOLEAN recurse = Argument != NULL;
    for (ULONG i = 0; i < ROUNDS; i++) {
        if (RtlEnterCriticalSection(&Shared) != STATUS_SUCCESS)
            break;
        if (__atomic_add_fetch(&Inside, 1, __ATOMIC_SEQ_CST) != 1)
            __atomic_add_fetch(&Overlaps, 1, __ATOMIC_SEQ_CST);
        if (recurse && RtlEnterCriticalSection(&Shared) != STATUS_SUCCESS)
            break;
        ULONG value = Counter; /* a deliberately racy read-modify-write */
        if (i % 16 == 0)
            sched_yield(); /* let others pile up behind the owner */
        Counter = value + 1;
        if (recurse && RtlLeaveCriticalSection(&Shared) != STATUS_SUCCESS)
            break;
        __atomic_sub_fetch(&Inside, 1, __ATOMIC_SEQ_CST);
        if (RtlLeaveCriticalSection(&Shared) != STATUS_SUCCESS)
            break;
    }
    return NULL;
}

TEST(contended_sections_exclude_and_hand_over_through_one_event) {
    pthread_t threads[WORKERS];
    alarm(120); /* a lost wake-up would hang: let the watchdog fail the test instead */
    HostPeb.NumberOfProcessors = 1;
    CHECK_STATUS(RtlInitializeCriticalSection(&Shared), STATUS_SUCCESS);
    for (ULONG i = 0; i < WORKERS; i++)
        CHECK(pthread_create(&threads[i], NULL, worker, (i & 1) ? (void *)1 : NULL) == 0);
    for (ULONG i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL);
    CHECK_EQ(Counter, WORKERS * ROUNDS);
    CHECK_EQ(Overlaps, 0);
    CHECK_EQ(Shared.LockCount, -1);
    CHECK_EQ(Shared.RecursionCount, 0);
    CHECK(Shared.OwningThread == NULL);
    /* Contention happened, and the waits were served by one event (a thread
     * that lost the race to install its own closed it). */
    CHECK(Waits > 0);
    CHECK_EQ(Sets, Waits);
    CHECK(Shared.LockSemaphore != NULL);
    CHECK_EQ(EventsCreated - EventsClosed, 1);
    CHECK_EQ(LastEventType, 1); /* SynchronizationEvent: auto-reset */
    CHECK_STATUS(RtlDeleteCriticalSection(&Shared), STATUS_SUCCESS);
    CHECK_EQ(EventsCreated, EventsClosed);
    CHECK_EQ(BadHandles, 0);
}

TEST(contended_sections_with_spinning_exclude_too) {
    pthread_t threads[WORKERS];
    alarm(120);
    HostPeb.NumberOfProcessors = 4;
    CHECK_STATUS(RtlInitializeCriticalSectionAndSpinCount(&Shared, 200), STATUS_SUCCESS);
    for (ULONG i = 0; i < WORKERS; i++)
        CHECK(pthread_create(&threads[i], NULL, worker, NULL) == 0);
    for (ULONG i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL);
    CHECK_EQ(Counter, WORKERS * ROUNDS);
    CHECK_EQ(Overlaps, 0);
    CHECK_EQ(Shared.LockCount, -1);
    CHECK_EQ(Sets, Waits);
    CHECK_STATUS(RtlDeleteCriticalSection(&Shared), STATUS_SUCCESS);
}

static void *hold_for_a_while(void *Argument) {
    (void)Argument;
    if (RtlEnterCriticalSection(&Shared) == STATUS_SUCCESS) {
        __atomic_store_n(&Inside, 1, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&Overlaps, __ATOMIC_SEQ_CST) == 0)
            sched_yield();
        if (RtlLeaveCriticalSection(&Shared) != STATUS_SUCCESS)
            printf("  leave failed\n");
    }
    return NULL;
}

TEST(a_section_that_cannot_make_its_event_ends_the_process) {
    /* Run in a child of the test so the ending can be observed. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t holder;
        HostPeb.NumberOfProcessors = 1;
        FailEventCreation = TRUE;
        if (RtlInitializeCriticalSection(&Shared) != STATUS_SUCCESS ||
            pthread_create(&holder, NULL, hold_for_a_while, NULL) != 0)
            _exit(1);
        while (__atomic_load_n(&Inside, __ATOMIC_SEQ_CST) == 0)
            sched_yield();
        NTSTATUS status = RtlEnterCriticalSection(&Shared); /* contended: needs the event */
        _exit(status == STATUS_SUCCESS ? 2 : 3);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 42); /* NtTerminateProcess(STATUS_INSUFFICIENT_RESOURCES) */
}

int main(void) {
    RUN(a_new_section_is_free_and_has_no_event);
    RUN(enter_and_leave_count_recursion_without_system_calls);
    RUN(leaving_a_section_one_does_not_own_is_refused);
    RUN(try_enter_takes_a_free_or_own_section_only);
    RUN(spin_count_is_kept_on_multiprocessors_only);
    RUN(delete_closes_the_event_when_there_is_one);
    RUN(contended_sections_exclude_and_hand_over_through_one_event);
    RUN(contended_sections_with_spinning_exclude_too);
    RUN(a_section_that_cannot_make_its_event_ends_the_process);
    return UtFinish();
}
