/*
 * obwait.c - the wait services: NtWaitForSingleObject and friends.
 *
 * Why: a handle names an object; the wait needs the dispatcher object
 * inside it (the type says where, or that there is none). The references
 * are held for the whole wait, so closing the handle meanwhile cannot free
 * what the thread waits on. The wait is in the caller's mode: a user-mode
 * wait can be ended by thread termination.
 */
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include <nt/ntapi.h>

#define TAG_WAIT_BLOCKS NT_TAG('W', 'a', 'i', 't')

/* Copies an optional caller timeout. */
static NTSTATUS capture_timeout(PLARGE_INTEGER Caller, PLARGE_INTEGER Copy, PLARGE_INTEGER *Use) {
    *Use = NULL;
    if (!Caller)
        return STATUS_SUCCESS;
    NTSTATUS status = ExCopyFromCaller(Copy, Caller, sizeof *Copy);
    if (NT_SUCCESS(status))
        *Use = Copy;
    return status;
}

NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE *Handles, ULONG WaitType, BOOLEAN Alertable,
                                        PLARGE_INTEGER Timeout) {
    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS || (WaitType != WaitAll && WaitType != WaitAny))
        return STATUS_INVALID_PARAMETER;
    HANDLE handles[MAXIMUM_WAIT_OBJECTS];
    PVOID objects[MAXIMUM_WAIT_OBJECTS], waitables[MAXIMUM_WAIT_OBJECTS];
    LARGE_INTEGER timeout, *use;
    NTSTATUS status = ExCopyFromCaller(handles, Handles, Count * sizeof(HANDLE));
    if (NT_SUCCESS(status))
        status = capture_timeout(Timeout, &timeout, &use);
    if (!NT_SUCCESS(status))
        return status;
    ULONG got = 0;
    for (; got < Count; got++) {
        status = ObReferenceObjectByHandle(handles[got], SYNCHRONIZE, NULL, KeGetPreviousMode(),
                                           &objects[got], NULL);
        if (!NT_SUCCESS(status))
            break;
        waitables[got] = ObpGetWaitableObject(objects[got]);
        if (!waitables[got]) {
            ObDereferenceObject(objects[got]);
            status = STATUS_OBJECT_TYPE_MISMATCH;
            break;
        }
        for (ULONG j = 0; j < got && WaitType == WaitAll; j++)
            if (waitables[j] == waitables[got])
                status = STATUS_INVALID_PARAMETER_MIX; /* NT refuses a wait-all on the same object twice */
        if (!NT_SUCCESS(status)) {
            got++;
            break;
        }
    }
    if (NT_SUCCESS(status)) {
        PKWAIT_BLOCK blocks = NULL;
        if (Count > THREAD_WAIT_OBJECTS) {
            blocks = ExAllocatePoolWithTag(NonPagedPool, Count * sizeof(KWAIT_BLOCK), TAG_WAIT_BLOCKS);
            if (!blocks)
                status = STATUS_INSUFFICIENT_RESOURCES;
        }
        if (NT_SUCCESS(status))
            status = KeWaitForMultipleObjects(Count, waitables, (WAIT_TYPE)WaitType, KeGetPreviousMode(),
                                              Alertable, use, blocks);
        if (blocks)
            ExFreePoolWithTag(blocks, TAG_WAIT_BLOCKS);
    }
    for (ULONG i = 0; i < got; i++)
        ObDereferenceObject(objects[i]);
    return status;
}

NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout) {
    LARGE_INTEGER timeout, *use;
    NTSTATUS status = capture_timeout(Timeout, &timeout, &use);
    if (!NT_SUCCESS(status))
        return status;
    PVOID object;
    status = ObReferenceObjectByHandle(Handle, SYNCHRONIZE, NULL, KeGetPreviousMode(), &object, NULL);
    if (!NT_SUCCESS(status))
        return status;
    PVOID waitable = ObpGetWaitableObject(object);
    status = waitable ? KeWaitForSingleObject(waitable, KeGetPreviousMode(), Alertable, use)
                      : STATUS_OBJECT_TYPE_MISMATCH;
    ObDereferenceObject(object);
    return status;
}

NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval) {
    LARGE_INTEGER interval;
    NTSTATUS status = ExCopyFromCaller(&interval, DelayInterval, sizeof interval);
    if (!NT_SUCCESS(status))
        return status;
    return KeDelayExecutionThread(KeGetPreviousMode(), Alertable, &interval);
}

NTSTATUS NTAPI NtYieldExecution(VOID) {
    KeYieldExecution();
    return STATUS_SUCCESS;
}

/* NT delivers pending user-mode APCs here. This kernel queues none yet, so
 * there is nothing to deliver: the call does no work, which makes it the
 * benchmark's null system call. */
NTSTATUS NTAPI NtTestAlert(VOID) {
    return STATUS_SUCCESS;
}
