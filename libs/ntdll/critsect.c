/*
 * critsect.c - critical sections: the user-mode lock every Win32 program,
 * the heap's callers and the loader (PEB->LoaderLock) use.
 *
 * Why: a lock that is almost never contended should cost one interlocked
 * instruction and no system call. NT's design does exactly that and is kept
 * here, field for field, so RTL_CRITICAL_SECTION can be shared with code
 * built against Microsoft's headers:
 *
 *  - LockCount starts at -1. Every EnterCriticalSection increments it; the
 *    one that takes it from -1 to 0 owns the section. The owner entering
 *    again only counts (RecursionCount). Anyone else has registered as a
 *    waiter by incrementing, and sleeps on the section's event.
 *  - LeaveCriticalSection decrements RecursionCount; the owner's last leave
 *    clears OwningThread and decrements LockCount: if that leaves it >= 0
 *    someone is waiting, and the event (auto-reset: exactly one thread gets
 *    through) is set. The woken waiter makes itself the owner. Ownership is
 *    handed over, never raced for, so waiters are served and cannot starve.
 *    If the releaser sets the event before the waiter reaches its wait, the
 *    event stays signalled and the wait returns at once.
 *  - The event is made only when the section is first contended (most never
 *    are), by whichever thread needs it first; a thread that loses the race
 *    to install its event closes it.
 *  - Spinning before sleeping only makes sense when the owner can run at the
 *    same time, so a spin count is kept only on a multiprocessor PEB.
 *
 * The owner is the TEB's ClientId.UniqueThread.
 */
#include <nt/ntapi.h>
#include <nt/ntrtl.h>

#include "ntdllp.h"

#ifndef STATUS_RESOURCE_NOT_OWNED
#define STATUS_RESOURCE_NOT_OWNED ((NTSTATUS)0xC0000264)
#endif

/* NtCreateEvent's EventType for an auto-reset event (NT's SynchronizationEvent). */
#define RTLP_SYNCHRONIZATION_EVENT 1
/* The spin count's top byte is NT's "preallocate the event" flag. */
#define RTLP_SPIN_COUNT_MASK 0x00FFFFFFu

static HANDLE current_thread(VOID) {
    return NtCurrentTeb()->ClientId.UniqueThread;
}

static void take_ownership(PRTL_CRITICAL_SECTION CriticalSection, HANDLE Thread) {
    __atomic_store_n(&CriticalSection->OwningThread, Thread, __ATOMIC_RELAXED);
    CriticalSection->RecursionCount = 1;
}

/* The section's wait event, made and installed on first use. The status of
 * NtCreateEvent on failure. */
static NTSTATUS wait_event(PRTL_CRITICAL_SECTION CriticalSection, HANDLE *Event) {
    HANDLE event = __atomic_load_n(&CriticalSection->LockSemaphore, __ATOMIC_ACQUIRE);
    if (event == NULL) {
        HANDLE created;
        NTSTATUS status = NtCreateEvent(&created, EVENT_ALL_ACCESS, NULL, RTLP_SYNCHRONIZATION_EVENT, FALSE);
        if (!NT_SUCCESS(status))
            return status;
        HANDLE expected = NULL;
        if (__atomic_compare_exchange_n(&CriticalSection->LockSemaphore, &expected, created, FALSE,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            event = created;
        } else {
            status = NtClose(created);
            if (!NT_SUCCESS(status))
                DbgPrint("RTL: closing a spare critical section event failed: 0x%08x\n", (ULONG)status);
            event = expected;
        }
    }
    *Event = event;
    return STATUS_SUCCESS;
}

/* A section that cannot make or use its event can neither be waited for nor
 * handed over: NT raises the status; Daytona ends the process. */
static __attribute__((noreturn)) void section_failed(PRTL_CRITICAL_SECTION CriticalSection, PCSTR What,
                                                     NTSTATUS Status) {
    DbgPrint("RTL: critical section %p: %s failed: status 0x%08x\n", (PVOID)CriticalSection, What,
             (ULONG)Status);
    RtlpTerminateProcess(Status);
}

NTSTATUS NTAPI RtlInitializeCriticalSectionAndSpinCount(PRTL_CRITICAL_SECTION CriticalSection,
                                                        ULONG SpinCount) {
    CriticalSection->DebugInfo = NULL;
    CriticalSection->LockCount = -1;
    CriticalSection->RecursionCount = 0;
    CriticalSection->OwningThread = NULL;
    CriticalSection->LockSemaphore = NULL;
    CriticalSection->SpinCount =
        NtCurrentPeb()->NumberOfProcessors > 1 ? (SpinCount & RTLP_SPIN_COUNT_MASK) : 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION CriticalSection) {
    return RtlInitializeCriticalSectionAndSpinCount(CriticalSection, 0);
}

NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection) {
    HANDLE thread = current_thread();

    for (ULONG_PTR spin = CriticalSection->SpinCount; spin != 0; spin--) {
        LONG free = -1;
        if (__atomic_load_n(&CriticalSection->LockCount, __ATOMIC_RELAXED) == -1 &&
            __atomic_compare_exchange_n(&CriticalSection->LockCount, &free, 0, FALSE, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            take_ownership(CriticalSection, thread);
            return STATUS_SUCCESS;
        }
        __builtin_ia32_pause();
    }

    if (__atomic_add_fetch(&CriticalSection->LockCount, 1, __ATOMIC_ACQUIRE) == 0) {
        take_ownership(CriticalSection, thread);
        return STATUS_SUCCESS;
    }
    if (__atomic_load_n(&CriticalSection->OwningThread, __ATOMIC_RELAXED) == thread) {
        CriticalSection->RecursionCount++;
        return STATUS_SUCCESS;
    }

    /* Registered as a waiter: sleep until a leave hands the section over. */
    HANDLE event;
    NTSTATUS status = wait_event(CriticalSection, &event);
    if (!NT_SUCCESS(status))
        section_failed(CriticalSection, "creating the wait event", status);
    status = NtWaitForSingleObject(event, FALSE, NULL);
    if (status != STATUS_SUCCESS)
        section_failed(CriticalSection, "waiting", status);
    take_ownership(CriticalSection, thread);
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI RtlTryEnterCriticalSection(PRTL_CRITICAL_SECTION CriticalSection) {
    HANDLE thread = current_thread();
    LONG free = -1;
    if (__atomic_compare_exchange_n(&CriticalSection->LockCount, &free, 0, FALSE, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
        take_ownership(CriticalSection, thread);
        return TRUE;
    }
    if (__atomic_load_n(&CriticalSection->OwningThread, __ATOMIC_RELAXED) == thread) {
        __atomic_add_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELAXED);
        CriticalSection->RecursionCount++;
        return TRUE;
    }
    return FALSE;
}

NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION CriticalSection) {
    /* Leaving a section one does not own would corrupt it for its owner;
     * NT does not look, Daytona refuses. */
    if (__atomic_load_n(&CriticalSection->OwningThread, __ATOMIC_RELAXED) != current_thread() ||
        CriticalSection->RecursionCount <= 0)
        return STATUS_RESOURCE_NOT_OWNED;

    if (--CriticalSection->RecursionCount != 0) {
        __atomic_sub_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELEASE);
        return STATUS_SUCCESS;
    }
    __atomic_store_n(&CriticalSection->OwningThread, NULL, __ATOMIC_RELAXED);
    if (__atomic_sub_fetch(&CriticalSection->LockCount, 1, __ATOMIC_RELEASE) >= 0) {
        /* Someone registered as a waiter: hand the section to one of them. */
        HANDLE event;
        NTSTATUS status = wait_event(CriticalSection, &event);
        if (!NT_SUCCESS(status))
            section_failed(CriticalSection, "creating the wait event", status);
        status = NtSetEvent(event, NULL);
        if (!NT_SUCCESS(status))
            section_failed(CriticalSection, "waking a waiter", status);
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION CriticalSection) {
    NTSTATUS status = STATUS_SUCCESS;
    if (CriticalSection->LockSemaphore != NULL)
        status = NtClose(CriticalSection->LockSemaphore);
    CriticalSection->DebugInfo = NULL;
    CriticalSection->LockCount = -1;
    CriticalSection->RecursionCount = 0;
    CriticalSection->OwningThread = NULL;
    CriticalSection->LockSemaphore = NULL;
    CriticalSection->SpinCount = 0;
    return status;
}
