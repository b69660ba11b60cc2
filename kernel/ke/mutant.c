/*
 * mutant.c - mutants (NT's mutexes) and semaphores.
 *
 * Why: a mutant has an owner and may be re-acquired by it (SignalState goes
 * below zero as the recursion deepens); only the owner may release it. When
 * an owner thread ends still holding one, the mutant is released as
 * "abandoned" and the next waiter learns so (STATUS_ABANDONED_WAIT_0). A
 * semaphore is a count bounded by its limit.
 */
#include "../include/ke.h"

VOID KiWaitTest(DISPATCHER_HEADER *Object, LONG Increment);

VOID KeInitializeMutant(PKMUTANT Mutant, BOOLEAN InitialOwner) {
    Mutant->Header.Type = MutantObject;
    InitializeListHead(&Mutant->Header.WaitListHead);
    Mutant->Abandoned = FALSE;
    if (InitialOwner) {
        PKTHREAD t = KeGetCurrentThread();
        Mutant->Header.SignalState = 0;
        Mutant->OwnerThread = t;
        ULONG s = KiAcquireDispatcherLock();
        InsertHeadList(&t->MutantListHead, &Mutant->MutantListEntry);
        KiReleaseDispatcherLock(s);
    } else {
        Mutant->Header.SignalState = 1;
        Mutant->OwnerThread = NULL;
        InitializeListHead(&Mutant->MutantListEntry);
    }
}

/* Releases one level of ownership. Abandoned is set by thread exit, which
 * releases every level at once. Dispatcher lock held. */
static NTSTATUS release_locked(PKMUTANT Mutant, LONG Increment, BOOLEAN Abandoned, PLONG Previous) {
    PKTHREAD t = KeGetCurrentThread();
    if (!Abandoned && Mutant->OwnerThread != t)
        return STATUS_MUTANT_NOT_OWNED;
    if (Previous)
        *Previous = Mutant->Header.SignalState;
    if (Abandoned) {
        Mutant->Header.SignalState = 1;
        Mutant->Abandoned = TRUE;
    } else {
        Mutant->Header.SignalState++;
    }
    if (Mutant->Header.SignalState == 1) {
        RemoveEntryList(&Mutant->MutantListEntry);
        Mutant->OwnerThread = NULL;
        KiWaitTest(&Mutant->Header, Increment);
    }
    return STATUS_SUCCESS;
}

NTSTATUS KeReleaseMutant(PKMUTANT Mutant, LONG Increment, BOOLEAN Abandoned, PLONG PreviousCount) {
    ULONG s = KiAcquireDispatcherLock();
    NTSTATUS status = release_locked(Mutant, Increment, Abandoned, PreviousCount);
    KiReleaseDispatcherLock(s);
    return status;
}

/* Thread exit: every mutant the thread still owns is abandoned. */
VOID KiAbandonMutants(PKTHREAD Thread) {
    while (!IsListEmpty(&Thread->MutantListHead)) {
        PKMUTANT m = CONTAINING_RECORD(Thread->MutantListHead.Flink, KMUTANT, MutantListEntry);
        release_locked(m, MUTANT_INCREMENT, TRUE, NULL);
    }
}

VOID KeInitializeSemaphore(PKSEMAPHORE Semaphore, LONG Count, LONG Limit) {
    Semaphore->Header.Type = SemaphoreObject;
    Semaphore->Header.SignalState = Count;
    Semaphore->Limit = Limit;
    InitializeListHead(&Semaphore->Header.WaitListHead);
}

NTSTATUS KeReleaseSemaphore(PKSEMAPHORE Semaphore, LONG Increment, LONG Adjustment, PLONG PreviousCount) {
    ULONG s = KiAcquireDispatcherLock();
    LONG old = Semaphore->Header.SignalState;
    if (Adjustment <= 0 || Adjustment > Semaphore->Limit - old) {
        KiReleaseDispatcherLock(s);
        return Adjustment <= 0 ? STATUS_INVALID_PARAMETER : STATUS_SEMAPHORE_LIMIT_EXCEEDED;
    }
    Semaphore->Header.SignalState = old + Adjustment;
    if (PreviousCount)
        *PreviousCount = old;
    if (old == 0)
        KiWaitTest(&Semaphore->Header, Increment);
    KiReleaseDispatcherLock(s);
    return STATUS_SUCCESS;
}
