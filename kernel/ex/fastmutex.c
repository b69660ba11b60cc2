/*
 * fastmutex.c - NT's fast mutex: a lock whose uncontended acquire and
 * release are one interlocked instruction each.
 *
 * Why: a kernel mutant is a dispatcher object; acquiring one always walks
 * the general wait path (dispatcher lock, wait block, signal test), which
 * costs hundreds of instructions even when nobody else holds it. Code that
 * takes a lock around every call - the kernel-mode GDI host takes the
 * engine's lock for every NtGdi* service - wants NT's FAST_MUTEX instead:
 * a count that one `lock dec` claims when it is free, and an auto-reset
 * event that only a contended acquire waits on and only a contended
 * release sets. Like NT's, it is not recursive. (NT also raises IRQL to
 * APC_LEVEL while it is held; Daytona has no APCs, and a thread is only
 * terminated on its way back to user mode, never inside the kernel.)
 */
#include "../include/ex.h"
#include "../include/ke.h"

VOID ExInitializeFastMutex(PFAST_MUTEX FastMutex) {
    FastMutex->Count = 1;
    FastMutex->Owner = NULL;
    FastMutex->Contention = 0;
    KeInitializeEvent(&FastMutex->Event, SynchronizationEvent, FALSE);
}

VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex) {
    if (__atomic_sub_fetch(&FastMutex->Count, 1, __ATOMIC_ACQUIRE) != 0) {
        FastMutex->Contention++;
        (void)KeWaitForSingleObject(&FastMutex->Event, KernelMode, FALSE, NULL);
    }
    FastMutex->Owner = KeGetCurrentThread();
}

VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex) {
    FastMutex->Owner = NULL;
    if (__atomic_add_fetch(&FastMutex->Count, 1, __ATOMIC_RELEASE) <= 0)
        (void)KeSetEvent(&FastMutex->Event, 0, FALSE); /* wakes one waiter, who now owns it */
}
